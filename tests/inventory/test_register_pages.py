"""The register's pages: the filtered item list, the item's page with its history, the item form (money and dates
as everywhere, custom attributes of the category), kits' parts, status changes by hand, categories and locations."""
from decimal import Decimal
import io

from inventory_items import make_item, make_kit, shared_category
import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory import services
from bibnet.tenants.inventory.categories import save_category
from bibnet.tenants.inventory.locations import save_location
from bibnet.tenants.inventory.models import Category, Item, ItemDocument, ItemKind, ItemStatus, Location, LocationKind

from conftest import log_in, post_form

BASE = "/t/jelgava/equipment"


@pytest.fixture
def coordinator(client, world):
    log_in(client, "coordinator@jelgava.example")
    return client


def _item_form(**fields):
    with tenant_scope_of_jelgava():
        category_id = shared_category().id
        db.session.commit()
    data = {"name": "Bubble tube", "category_id": str(category_id), "kind": "serialised", "quantity": "1", "condition": "good", "cost": "1 250,50", "purchase_date": "31.03.2026"}
    data.update(fields)
    return data


def tenant_scope_of_jelgava():
    from bibnet.tenancy.models import Tenant

    return tenant_scope(db.session.scalar(sa.select(Tenant).where(Tenant.slug == "jelgava")))


def _items():
    with tenant_scope_of_jelgava():
        return db.session.scalars(sa.select(Item).order_by(Item.id)).all()


def test_an_item_is_added_with_eu_money_and_dates(coordinator):
    response = post_form(coordinator, f"{BASE}/new", _item_form())
    assert response.status_code == 302
    (item,) = _items()
    assert (item.tag, item.cost, item.purchase_date.isoformat()) == ("BN-00001", Decimal("1250.50"), "2026-03-31")


@pytest.mark.parametrize(("field", "value"), [("cost", "12,345"), ("cost", "-5"), ("purchase_date", "01/02/2026"), ("name", ""), ("category_id", "999999")])
def test_a_bad_item_is_refused_and_nothing_is_written(coordinator, field, value):
    response = post_form(coordinator, f"{BASE}/new", _item_form(**{field: value}))
    assert response.status_code == 422
    assert "There is a problem" in response.get_data(as_text=True)
    assert _items() == []


def test_custom_attributes_follow_the_category(coordinator, world):
    with tenant_scope(world.jelgava):
        category = save_category(Category(), name="Tablets", attribute_fields=[{"key": "screen", "label": "Screen size", "kind": "number"}, {"key": "charged", "label": "Charged", "kind": "yesno"}])
        db.session.commit()
        category_id = category.id
    page = coordinator.get(f"{BASE}/new?category_id={category_id}").get_data(as_text=True)
    assert "Screen size" in page
    refused = post_form(coordinator, f"{BASE}/new?category_id={category_id}", _item_form(category_id=str(category_id), attributes_screen="big"))
    assert refused.status_code == 422 and _items() == []
    saved = post_form(coordinator, f"{BASE}/new?category_id={category_id}", _item_form(category_id=str(category_id), attributes_screen="10,5", attributes_charged="y"))
    assert saved.status_code == 302
    assert _items()[0].attributes == {"screen": "10.5", "charged": True}


def test_the_list_filters_by_text_status_kind_and_location_with_its_sub_locations(coordinator, world):
    with tenant_scope(world.jelgava):
        branch = save_location(Location(), name="Library", kind=LocationKind.BRANCH, parent_id=None, room_id=None)
        cupboard = save_location(Location(), name="Cupboard", kind=LocationKind.STORAGE, parent_id=branch.id, room_id=None)
        make_item("Projector", location_id=cupboard.id)
        make_item("Board games", kind=ItemKind.QUANTITY, quantity=12)
        lost = make_item("Magnifier", serial="MAG-77")
        services.change_status(lost, ItemStatus.LOST)
        db.session.commit()
        branch_id = branch.id

    def listed(query):
        return {name for name in ("Projector", "Board games", "Magnifier") if f"<td>{name}</td>" in coordinator.get(f"{BASE}/?{query}").get_data(as_text=True)}

    assert listed("q=mag-7") == {"Magnifier"}
    assert listed("status=lost") == {"Magnifier"}
    assert listed("kind=quantity") == {"Board games"}
    assert listed(f"location={branch_id}") == {"Projector"}


def test_the_list_runs_the_same_statements_for_any_number_of_items(coordinator, world, count_queries):
    def statements():
        with count_queries() as counted:
            assert coordinator.get(f"{BASE}/?per_page=50").status_code == 200
        return counted.n

    with tenant_scope(world.jelgava):
        make_item()
        db.session.commit()
    few = statements()
    with tenant_scope(world.jelgava):
        for number in range(30):
            make_item(f"Game {number}", location_id=save_location(Location(), name=f"Shelf {number}", kind=LocationKind.STORAGE, parent_id=None, room_id=None).id)
        db.session.commit()
    assert statements() == few <= 14


def test_the_item_page_runs_the_same_statements_for_a_small_or_a_large_kit(coordinator, world, count_queries):
    def statements(kit_id):
        with count_queries() as counted:
            assert coordinator.get(f"{BASE}/{kit_id}/").status_code == 200
        return counted.n

    with tenant_scope(world.jelgava):
        small = make_kit(parts=("Player",))
        large = make_kit(parts=[f"Part {number}" for number in range(20)])
        for number in range(15):
            large.notes = f"Checked {number}"
            db.session.commit()
        small_id, large_id = small.id, large.id
    assert statements(small_id) == statements(large_id)


def test_the_item_page_shows_its_history_and_its_kit(coordinator, world):
    with tenant_scope(world.jelgava):
        kit = make_kit()
        part_id = kit.parts[0].id
        db.session.commit()
        kit_id = kit.id
    post_form(coordinator, f"{BASE}/{kit_id}/edit", _item_form(name="DAISY kit A", kind="kit", cost=""), page=f"{BASE}/{kit_id}/edit")
    page = coordinator.get(f"{BASE}/{kit_id}/").get_data(as_text=True)
    assert "DAISY kit A" in page and "Charger" in page and "History" in page and "Ilze Coordinator" in page
    assert "DAISY lending kit" in page  # the change's old value
    assert "DAISY kit A" in coordinator.get(f"{BASE}/{part_id}/").get_data(as_text=True)


def test_parts_are_added_and_taken_out_of_a_kit(coordinator, world):
    with tenant_scope(world.jelgava):
        kit = make_kit(parts=())
        loose = make_item("Spare headphones")
        db.session.commit()
        kit_id, loose_id, loose_tag = kit.id, loose.id, loose.tag
    assert post_form(coordinator, f"{BASE}/{kit_id}/parts", {"part": loose_tag.lower()}, page=f"{BASE}/{kit_id}/").status_code == 302
    with tenant_scope(world.jelgava):
        assert db.session.get(Item, loose_id).kit_id == kit_id
    refused = post_form(coordinator, f"{BASE}/{kit_id}/parts", {"part": "BN-09999"}, page=f"{BASE}/{kit_id}/")
    assert refused.status_code == 422
    assert post_form(coordinator, f"{BASE}/{kit_id}/parts/remove", {"part": loose_tag}, page=f"{BASE}/{kit_id}/").status_code == 302
    with tenant_scope(world.jelgava):
        assert db.session.get(Item, loose_id).kit_id is None


def test_a_status_change_by_hand_goes_through_the_checks(coordinator, world, monkeypatch):
    monkeypatch.setattr(services, "_status_checks", [])

    def no_retiring(item, new):
        if new is ItemStatus.RETIRED:
            raise Refused({"status": ["Ask the project lead first."]})

    services.check_status_change(no_retiring)
    with tenant_scope(world.jelgava):
        item_id = make_item().id
        db.session.commit()
    refused = post_form(coordinator, f"{BASE}/{item_id}/status", {"status": "retired"}, page=f"{BASE}/{item_id}/")
    assert refused.status_code == 422 and "Ask the project lead first." in refused.get_data(as_text=True)
    assert post_form(coordinator, f"{BASE}/{item_id}/status", {"status": "maintenance"}, page=f"{BASE}/{item_id}/").status_code == 302
    assert post_form(coordinator, f"{BASE}/{item_id}/status", {"status": "on_loan"}, page=f"{BASE}/{item_id}/").status_code == 422
    with tenant_scope(world.jelgava):
        assert db.session.get(Item, item_id).status is ItemStatus.MAINTENANCE


def test_documents_are_kept_and_removed(coordinator, world):
    with tenant_scope(world.jelgava):
        item_id = make_item().id
        db.session.commit()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    from conftest import csrf_token

    token = csrf_token(coordinator.get(f"{BASE}/{item_id}/").get_data(as_text=True))
    response = coordinator.post(f"{BASE}/{item_id}/documents", data={"csrf_token": token, "title": "Manual", "file": (io.BytesIO(pdf), "manual.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    refused = coordinator.post(f"{BASE}/{item_id}/documents", data={"csrf_token": token, "file": (io.BytesIO(b"hello"), "x.exe")}, content_type="multipart/form-data")
    assert refused.status_code == 422
    with tenant_scope(world.jelgava):
        (document,) = db.session.scalars(sa.select(ItemDocument)).all()
        document_id = document.id
    assert "Manual" in coordinator.get(f"{BASE}/{item_id}/").get_data(as_text=True)
    assert coordinator.post(f"{BASE}/{item_id}/documents/{document_id}/delete", data={"csrf_token": token}).status_code == 302
    with tenant_scope(world.jelgava):
        assert db.session.scalars(sa.select(ItemDocument)).all() == []


def test_another_tenants_item_is_not_found(coordinator, world):
    with tenant_scope(world.pasvalys):
        theirs = make_item("Pasvalys projector").id
        db.session.commit()
    assert coordinator.get(f"{BASE}/{theirs}/").status_code == 404
    assert coordinator.get(f"{BASE}/{theirs}/edit").status_code == 404


def test_staff_see_the_register_but_do_not_change_it(client, world):
    log_in(client, "staff@jelgava.example")
    assert client.get(f"{BASE}/").status_code == 200
    assert client.get(f"{BASE}/new").status_code == 403
