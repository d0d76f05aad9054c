"""The room and closure a page or API call names (`room_id`, `closure_id` in the URL), loaded by the core
before the view runs (`bibnet.loading`), through the tenant guard: another tenant's, or none, is a 404."""
from sqlalchemy.orm import joinedload, selectinload

from bibnet.loading import register_loader
from bibnet.tenancy.queries import get_or_404
from bibnet.tenants.rooms.models import Closure, Room


def visible_room(room_id: int) -> Room:
    """With its opening hours and photo, which its pages and the API show."""
    return get_or_404(Room, room_id, selectinload(Room.opening_hours), joinedload(Room.photo))


def visible_closure(closure_id: int) -> Closure:
    return get_or_404(Closure, closure_id)


register_loader("room_id", "room", visible_room)
register_loader("closure_id", "closure", visible_closure)
