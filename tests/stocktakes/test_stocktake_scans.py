"""Stock-takes: what is expected, what a scan confirms, and what finishing stamps — the durability evidence."""
from datetime import date

import pytest
import sqlalchemy as sa
from stocktake_helpers import make_item

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory.models import ItemStatus, Location
from bibnet.tenants.inventory.stocktakes import services
from bibnet.tenants.inventory.stocktakes.models import StockTakeEntry
from bibnet.tenants.inventory.stocktakes.services import ScanOutcome

TODAY = date(2026, 12, 2)


def place(name: str, parent: Location | None = None) -> Location:
    location = Location(name=name, parent_id=parent.id if parent else None)
    db.session.add(location)
    db.session.flush()
    return location


@pytest.fixture
def room(world, in_jelgava):
    return place("Sensory room")


def test_the_items_of_the_location_and_its_sub_locations_are_expected_but_not_lost_or_retired_ones(room):
    cupboard, elsewhere = place("Cupboard", room), place("Store")
    tube, blanket = make_item("Bubble tube", location_id=room.id), make_item("Weighted blanket", location_id=cupboard.id)
    make_item("Projector", location_id=elsewhere.id)
    make_item("Lost lamp", location_id=room.id, status=ItemStatus.LOST)
    make_item("Old chair", location_id=room.id, status=ItemStatus.RETIRED)
    stocktake = services.start(room, None)
    assert stocktake.expected_count == 2
    assert {entry.item for entry in services.result(stocktake).missing} == {tube, blanket}


def test_a_scan_confirms_an_item_by_its_typed_tag_or_its_qr_address(room):
    tube, lights = make_item("Bubble tube", location_id=room.id), make_item("Fibre-optic lights", location_id=room.id)
    stocktake = services.start(room, None)
    assert services.scan(stocktake, " bn-00001 ", None).outcome is ScanOutcome.FOUND
    assert services.scan(stocktake, f"https://bibnet.example/i/{lights.public_token}", None).item is lights
    assert {entry.item for entry in services.result(stocktake).found} == {tube, lights}


def test_scanning_an_item_twice_changes_nothing(room):
    make_item("Bubble tube", location_id=room.id)
    stocktake = services.start(room, None)
    first = services.scan(stocktake, "BN-00001", None)
    found_at = db.session.scalar(sa.select(StockTakeEntry.found_at))
    again = services.scan(stocktake, "BN-00001", None)
    assert (first.outcome, again.outcome) == (ScanOutcome.FOUND, ScanOutcome.AGAIN)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StockTakeEntry)) == 1
    assert db.session.scalar(sa.select(StockTakeEntry.found_at)) == found_at


def test_an_unknown_tag_is_refused_with_a_clear_message_and_changes_nothing(room):
    make_item("Bubble tube", location_id=room.id)
    stocktake = services.start(room, None)
    with pytest.raises(Refused) as refused:
        services.scan(stocktake, "BN-09999", None)
    assert "No item of this library has this tag" in refused.value.summary()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StockTakeEntry).where(StockTakeEntry.found_at.is_not(None))) == 0


def test_another_libraries_label_is_unknown_here(world):
    with tenant_scope(world.pasvalys):
        theirs = make_item("Pasvalys bubble tube")
        db.session.commit()
    with tenant_scope(world.jelgava):
        room = place("Sensory room")
        stocktake = services.start(room, None)
        with pytest.raises(Refused):
            services.scan(stocktake, f"https://bibnet.example/i/{theirs.public_token}", None)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StockTakeEntry)) == 0


def test_an_item_registered_elsewhere_is_misplaced_and_can_be_moved_here(room):
    store = place("Store")
    stray = make_item("Projector", location_id=store.id)
    stocktake = services.start(room, None)
    assert services.scan(stocktake, stray.tag, None).outcome is ScanOutcome.MISPLACED
    assert [entry.item for entry in services.result(stocktake).misplaced] == [stray]
    assert services.move_here(stocktake, [stray.id]) == 1
    assert stray.location_id == room.id


def test_finishing_stamps_found_items_and_leaves_missing_ones_unstamped(room):
    found, missing = make_item("Bubble tube", location_id=room.id), make_item("Weighted blanket", location_id=room.id)
    stocktake = services.start(room, None)
    services.scan(stocktake, found.tag, None)
    services.finish(stocktake, TODAY)
    assert (found.last_stocktake_on, missing.last_stocktake_on) == (TODAY, None)
    assert [entry.item for entry in services.result(stocktake).missing] == [missing]


def test_a_finished_stocktake_takes_no_more_scans(room):
    item = make_item("Bubble tube", location_id=room.id)
    stocktake = services.start(room, None)
    services.finish(stocktake, TODAY)
    with pytest.raises(Refused) as refused:
        services.scan(stocktake, item.tag, None)
    assert refused.value.status == 409


def test_a_scan_is_two_indexed_statements(room, count_queries):
    for number in range(30):
        make_item(f"Game {number}", location_id=room.id)
    stocktake = services.start(room, None)
    db.session.commit()
    assert not stocktake.finished  # loaded, as the page's loader has it
    with count_queries() as counted:
        services.scan(stocktake, "BN-00017", None)
    assert counted.n <= 2
