"""Room features come from the inventory: a sensory room's page lists the equipment kept in the room's
location(s) and their sub-locations, and when such an item goes to maintenance or missing, the people who run
the room's upcoming sessions are told (once each, in their language)."""
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet import mail, notifications
from bibnet.accounts.models import User
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings.models import OPEN, Booking, Occurrence
from bibnet.tenants.inventory.locations import Tree
from bibnet.tenants.inventory.models import GONE, OUT_OF_USE, Item, ItemStatus
from bibnet.tenants.rooms.models import Room

# A room holds tens of items; more would be a register, linked below the list.
SHOWN_IN_ROOM = 50
# The moves visitors notice: an item they count on is away or missing.
TOLD_ABOUT = (ItemStatus.MAINTENANCE, ItemStatus.LOST)


def room_location_ids(tree: Tree, room_id: int) -> set[int]:
    """The room's own locations and everything inside them."""
    return tree.with_descendants([location.id for location in tree.by_id.values() if location.room_id == room_id])


def equipment_in_room(room: Room) -> dict:
    """The page section's data: the items in the room (retired and lost ones left out of the list's count of
    what the room has, but shown as unavailable while they are still recorded there)."""
    tree = Tree.load()
    location_ids = room_location_ids(tree, room.id)
    items = []
    if location_ids:
        items = db.session.scalars(
            sa.select(Item).options(joinedload(Item.category)).where(Item.location_id.in_(sorted(location_ids)), Item.kit_id.is_(None))
            .order_by(Item.name, Item.tag_number).limit(SHOWN_IN_ROOM + 1)
        ).all()
    return {
        "items": items[:SHOWN_IN_ROOM],
        "more": len(items) > SHOWN_IN_ROOM,
        "out_of_use": OUT_OF_USE,
        "gone": GONE,
        "linked": bool(location_ids),
        "first_location_id": min(location_ids) if location_ids else None,
    }


def tell_room_organisers(item: Item, old: ItemStatus, new: ItemStatus) -> None:
    """After an item in a room went to maintenance or missing: tell the responsible people of the room's
    upcoming sessions that it is unavailable."""
    if new not in TOLD_ABOUT or item.location_id is None:
        return
    tree = Tree.load()
    room_ids = {location.room_id for location in tree.by_id.values() if location.room_id is not None and item.location_id in tree.with_descendants([location.id])}
    if not room_ids:
        return
    now = utcnow()
    rows = db.session.execute(
        sa.select(Booking.responsible_id, Booking.room_id)
        .join(Occurrence, Occurrence.booking_id == Booking.id)
        .where(Booking.room_id.in_(sorted(room_ids)), Occurrence.starts_at >= now, Occurrence.status.in_(OPEN))
        .distinct()
    ).all()
    if not rows:
        return
    users = db.session.scalars(sa.select(User).where(User.id.in_(sorted({responsible for responsible, _room in rows})))).all()
    rooms = db.session.scalars(sa.select(Room).where(Room.id.in_(sorted({room for _user, room in rows})))).all()
    link = mail.link("inventory.show", tenant_slug=db.session.get(Tenant, item.tenant_id).slug, item_id=item.id)
    subject = (
        _l("Missing in the room: %(name)s", name=item.name) if new is ItemStatus.LOST
        else _l("Away for maintenance: %(name)s", name=item.name)
    )
    notifications.notify(
        users, "inventory.room_item_unavailable", subject, "inventory/mail/room_item_unavailable.txt", link,
        item_name=item.name, tag=item.tag, lost=new is ItemStatus.LOST, rooms=", ".join(sorted(room.name for room in rooms)),
    )
