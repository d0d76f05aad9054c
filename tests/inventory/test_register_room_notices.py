"""When an item kept in a sensory room goes to maintenance or missing, the people responsible for the room's
upcoming sessions are told, once each, in their own language; other moves and other places tell nobody."""
from datetime import time

from inventory_items import make_item
import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.notifications import Notification
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.bookings import services as bookings
from bibnet.tenants.inventory import services
from bibnet.tenants.inventory.locations import save_location
from bibnet.tenants.inventory.models import ItemStatus, Location, LocationKind

from conftest import booking_input, monday_in


@pytest.fixture
def item_in_room(world, room):
    with tenant_scope(world.jelgava):
        place = save_location(Location(), name="Sensory room", kind=LocationKind.ROOM, parent_id=None, room_id=room.id)
        cupboard = save_location(Location(), name="Cupboard", kind=LocationKind.STORAGE, parent_id=place.id, room_id=None)
        for week in (1, 2):
            bookings.create_booking(booking_input(room, world.staff, monday_in(week), time(10), time(11)), world.coordinator, confirm=True)
        db.session.commit()
        return make_item("Projector", location_id=cupboard.id)


def _told():
    return db.session.scalars(sa.select(Notification).where(Notification.kind == "inventory.room_item_unavailable")).all()


@pytest.mark.parametrize("status", [ItemStatus.MAINTENANCE, ItemStatus.LOST])
def test_the_responsible_person_of_upcoming_sessions_is_told_once(world, item_in_room, status):
    with tenant_scope(world.jelgava):
        services.change_status(item_in_room, status)
        db.session.commit()
    (notice,) = _told()
    assert notice.user_id == world.staff.id
    assert "Projector" in notice.subject


def test_cleaning_tells_nobody(world, item_in_room):
    with tenant_scope(world.jelgava):
        services.change_status(item_in_room, ItemStatus.CLEANING)
        db.session.commit()
    assert _told() == []


def test_an_item_in_no_room_tells_nobody(world, room):
    with tenant_scope(world.jelgava):
        bookings.create_booking(booking_input(room, world.staff, monday_in(1), time(10), time(11)), world.coordinator, confirm=True)
        services.change_status(make_item("Magnifier"), ItemStatus.LOST)
        db.session.commit()
    assert _told() == []
