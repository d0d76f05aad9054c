"""API: the tenant's rooms, their rules and opening hours, and closures. Validation as on the pages (`schemas.py`)."""
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from bibnet.access import require
from bibnet.api.problems import PROBLEM_TYPE
from bibnet.api.schemas import PaginationArgs
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenants.rooms import lookups  # noqa: F401  (the URL's room or closure)
from bibnet.tenants.rooms.changes import ScheduleChange, clear_the_way
from bibnet.tenants.rooms.models import Closure, OpeningHours, Room
from bibnet.tenants.rooms.schemas import (
    DEFAULT_WEEK,
    NAME_TAKEN,
    ClosurePageSchema,
    ClosureSchema,
    RoomChangesSchema,
    RoomPageSchema,
    RoomSchema,
    name_taken,
)
from bibnet.web.pagination import paginate

AFFECTED = {"content_type": PROBLEM_TYPE, "description": "Booked sessions fall into the closed time; affected_sessions lists them"}
blp = Blueprint("api_rooms", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Sensory rooms")


def _refuse(field: str, message) -> None:
    raise Refused({field: [message]})


def _apply(room: Room, data: dict) -> None:
    week = data.pop("opening_hours", None)
    for name, value in data.items():
        setattr(room, name, value)
    if week is not None:
        room.opening_hours = [OpeningHours(weekday=item["weekday"], opens=item["opens"], closes=item["closes"]) for item in week]


def _commit_room(room: Room) -> None:
    try:
        db.session.commit()
    except IntegrityError:  # the name was taken between the check and the commit
        _refuse("name", NAME_TAKEN)


@blp.route("/rooms")
@require("tenant.view")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, RoomPageSchema)
def list_rooms(page, per_page):
    """The tenant's rooms, with their rules and opening hours"""
    return paginate(
        sa.select(Room).options(selectinload(Room.opening_hours)).order_by(Room.library, Room.name, Room.id),
        page=page,
        per_page=per_page,
    )


@blp.route("/rooms", methods=["POST"])
@require("rooms.manage")
@blp.arguments(RoomSchema)
@blp.response(201, RoomSchema)
def create_room(data):
    """Add a room (coordinators). Without opening_hours it opens Monday to Friday, 09:00–17:00"""
    if name_taken(data["name"]):
        _refuse("name", NAME_TAKEN)
    data.setdefault("opening_hours", [{"weekday": day, "opens": opens, "closes": closes} for day, opens, closes in DEFAULT_WEEK])
    room = Room()
    _apply(room, data)
    db.session.add(room)
    _commit_room(room)
    return room


@blp.route("/rooms/<int:room_id>")
@require("tenant.view")
@blp.response(200, RoomSchema)
def get_room(room):
    """One room, with its rules, opening hours and iCal feed address"""
    return room


@blp.route("/rooms/<int:room_id>", methods=["PATCH"])
@require("rooms.manage")
@blp.arguments(RoomChangesSchema(partial=True))
@blp.response(200, RoomSchema)
@blp.alt_response(409, **AFFECTED)
def change_room(data, room):
    """Change a room (coordinators): only the fields sent change; opening_hours replaces the whole week.
    New hours that would close the room during booked sessions are refused (409) unless cancel_affected_sessions"""
    cancel, message = data.pop("cancel_affected_sessions", False), data.pop("cancellation_message", "")
    if "name" in data and name_taken(data["name"], room.id):
        _refuse("name", NAME_TAKEN)
    if data.get("opening_hours") is not None:
        week = tuple((item["weekday"], item["opens"], item["closes"]) for item in data["opening_hours"])
        clear_the_way(ScheduleChange(room.id, week=week), cancel=cancel, message=message, by=current_user)
    _apply(room, data)
    _commit_room(room)
    return room


@blp.route("/rooms/closures")
@require("tenant.view")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, ClosurePageSchema)
def list_closures(page, per_page):
    """Closures of the tenant's rooms, the latest first"""
    return paginate(sa.select(Closure).order_by(Closure.starts_on.desc(), Closure.id.desc()), page=page, per_page=per_page)


@blp.route("/rooms/closures", methods=["POST"])
@require("rooms.manage")
@blp.arguments(ClosureSchema)
@blp.response(201, ClosureSchema)
@blp.alt_response(409, **AFFECTED)
def add_closure(data):
    """Close one room (room_id) or every room of the library (room_id null) from starts_on to ends_on.
    A closure over booked sessions is refused (409, listing them) unless cancel_affected_sessions"""
    cancel, message = data.pop("cancel_affected_sessions", False), data.pop("cancellation_message", "")
    if data["room_id"] is not None and db.session.scalar(sa.select(Room.id).where(Room.id == data["room_id"])) is None:
        _refuse("room_id", _l("Choose one of your library's rooms, or none for every room."))
    change = ScheduleChange(data["room_id"], closed_from=data["starts_on"], closed_until=data["ends_on"])
    clear_the_way(change, cancel=cancel, message=message, by=current_user)
    closure = Closure(**data)
    db.session.add(closure)
    db.session.commit()
    return closure


@blp.route("/rooms/closures/<int:closure_id>", methods=["DELETE"])
@require("rooms.manage")
@blp.response(204)
def delete_closure(closure):
    """Delete a closure: its days can be booked again"""
    db.session.delete(closure)
    db.session.commit()
