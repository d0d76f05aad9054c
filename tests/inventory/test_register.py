"""The asset register's core: tags in a sequence per tenant, kits moving with their parts, one way to change status."""
from inventory_items import make_item, make_kit
import pytest

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory import services
from bibnet.tenants.inventory.models import ItemKind, ItemStatus


def test_tags_follow_one_sequence_per_tenant(world):
    with tenant_scope(world.jelgava):
        first, second = make_item(), make_item("Magnifier")
        db.session.commit()
    with tenant_scope(world.pasvalys):
        other = make_item()
        db.session.commit()
    assert (first.tag, second.tag, other.tag) == ("BN-00001", "BN-00002", "BN-00001")


def test_a_tag_is_found_however_it_is_typed(world, in_jelgava):
    item = make_item()
    db.session.commit()
    assert services.by_tag(" bn-00001 ") is item
    assert services.by_tag("1") is item
    assert services.by_tag("BN-00002") is None


def test_another_tenants_tag_is_not_found(world):
    with tenant_scope(world.pasvalys):
        make_item()
        db.session.commit()
    with tenant_scope(world.jelgava):
        assert services.by_tag("BN-00001") is None


def test_a_serialised_item_counts_one_whatever_is_typed(world, in_jelgava):
    assert make_item(quantity=7).quantity == 1
    assert make_item("Board games", kind=ItemKind.QUANTITY, quantity=7).quantity == 7


def test_a_kit_changes_status_with_its_parts_and_listeners_hear_it(world, in_jelgava, monkeypatch):
    monkeypatch.setattr(services, "_status_listeners", [])
    heard = []
    services.on_status_change(lambda item, old, new: heard.append((item.name, old, new)))
    kit = make_kit()
    services.change_status(kit, ItemStatus.ON_LOAN)
    assert {part.status for part in kit.parts} == {ItemStatus.ON_LOAN}
    assert heard == [(name, ItemStatus.AVAILABLE, ItemStatus.ON_LOAN) for name in ("DAISY lending kit", "DAISY player", "Charger", "Headphones", "Manual")]


def test_a_lost_part_stays_lost_when_its_kit_moves(world, in_jelgava):
    kit = make_kit()
    services.change_status(kit.parts[1], ItemStatus.LOST)
    services.change_status(kit, ItemStatus.ON_LOAN)
    assert [part.status for part in kit.parts] == [ItemStatus.ON_LOAN, ItemStatus.LOST, ItemStatus.ON_LOAN, ItemStatus.ON_LOAN]


@pytest.mark.parametrize("typed", ["²", "12345678901234567890123", "BN-" + "9" * 30, "", "   "])
def test_a_tag_that_cannot_be_one_finds_nothing(world, in_jelgava, typed):
    make_item()
    assert services.by_tag(typed) is None


@pytest.mark.parametrize("status", [ItemStatus.AVAILABLE])
def test_changing_to_the_same_status_tells_nobody(world, in_jelgava, status, monkeypatch):
    monkeypatch.setattr(services, "_status_listeners", [])
    heard = []
    services.on_status_change(lambda item, old, new: heard.append(new))
    services.change_status(make_item(), status)
    assert heard == []


def test_a_check_can_refuse_a_status_change_and_nothing_changes(world, in_jelgava, monkeypatch):
    monkeypatch.setattr(services, "_status_checks", [])
    def no_retiring(item, new):
        if new is ItemStatus.RETIRED:
            raise Refused({"status": ["not yet"]})

    services.check_status_change(no_retiring)
    item = make_item()
    with pytest.raises(Refused):
        services.change_status(item, ItemStatus.RETIRED)
    assert item.status is ItemStatus.AVAILABLE
