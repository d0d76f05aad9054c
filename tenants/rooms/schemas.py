"""What a room may be: the limits of its settings, the checks of its week, and the API schemas.

The pages' forms (`forms.py`) and the API share the limits, the unique-name check and the week check
defined here, so a room is refused for the same reasons with the same messages in both.
"""
from datetime import time

from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema
import sqlalchemy as sa

from bibnet.api.schemas import Day, WholeNested, page_of
from bibnet.extensions import db
from bibnet.tenants.rooms.changes import MESSAGE_LENGTH
from bibnet.tenants.rooms.models import Room, RoomFeature

# The database's CHECK constraints (models.py), and a ceiling for capacity so that no number overflows a column.
RANGES = {
    "capacity": (1, 500),
    "buffer_minutes": (0, 240),
    "min_notice_hours": (0, 720),
    "max_advance_days": (1, 366),
    "max_duration_minutes": (15, 720),
}
NAME_LENGTH, LIBRARY_LENGTH, DESCRIPTION_LENGTH, REASON_LENGTH = 120, 200, 5000, 200
INTERVALS_PER_DAY = 2
# New rooms open Monday to Friday, 09:00–17:00, until the coordinator sets their hours.
DEFAULT_WEEK = [(weekday, time(9), time(17)) for weekday in range(5)]


def range_message(name: str):
    low, high = RANGES[name]
    return _l("Enter a whole number from %(min)d to %(max)d.", min=low, max=high)


def name_taken(name: str, room_id: int | None = None) -> bool:
    """Whether another room of the tenant already has this name (the tenant guard limits the query to it)."""
    query = sa.select(Room.id).where(Room.name == name)
    if room_id is not None:
        query = query.where(Room.id != room_id)
    return db.session.scalar(query.limit(1)) is not None


NAME_TAKEN = _l("Your library already has a room with this name. Choose another name.")


def week_problems(intervals: list[tuple[int, time, time]]) -> dict[int, object]:
    """Problems of a week of opening intervals (weekday, opens, closes): {index of the interval: message}.

    An interval must close after it opens; a day has at most two intervals, and they must not overlap.
    """
    problems = {}
    seen: dict[int, list[int]] = {}
    for index, (weekday, opens, closes) in enumerate(intervals):
        if opens >= closes:
            problems[index] = _l("The closing time must be later than the opening time.")
            continue
        earlier = seen.setdefault(weekday, [])
        if len(earlier) >= INTERVALS_PER_DAY:
            problems[index] = _l("A day can have at most two opening intervals.")
        elif any(opens < intervals[other][2] and intervals[other][1] < closes for other in earlier):
            problems[index] = _l("The two intervals of this day overlap. The second must start after the first closes.")
        else:
            earlier.append(index)
    return problems


def calendar_url(room: Room) -> str:
    """The room's secret iCal feed address (the feed itself is served by the bookings package)."""
    return url_for("ical.feed", token=room.calendar_token, _external=True)


def photo_url(room: Room) -> str | None:
    return url_for("storage.download", file_id=room.photo_id, _external=True) if room.photo_id else None


class TrimmedString(fields.String):
    """Text with the spaces around it removed, so that "  " counts as empty."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def _text(length: int, empty_message):
    return validate.And(
        validate.Length(min=1, error=empty_message),
        validate.Length(max=length, error=_l("Use at most %(max)d characters.", max=length)),
    )


def _whole_number(name: str, description: str, **kwargs):
    low, high = RANGES[name]
    return fields.Integer(strict=True, validate=validate.Range(low, high, error=range_message(name)), metadata={"description": description}, **kwargs)


class OpeningIntervalSchema(Schema):
    weekday = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(0, 6, error=_l("Enter a weekday from 0 (Monday) to 6 (Sunday).")),
        metadata={"description": "0 = Monday … 6 = Sunday"},
    )
    opens = fields.Time(required=True, format="%H:%M", metadata={"description": "HH:MM, the tenant's local time"})
    closes = fields.Time(required=True, format="%H:%M", metadata={"description": "HH:MM, later than opens"})


class RoomSchema(Schema):
    """A room, its booking rules and its opening hours. Settings left out of a new room take their defaults."""

    id = fields.Integer(dump_only=True)
    library = TrimmedString(required=True, validate=_text(LIBRARY_LENGTH, _l("Enter the library the room is in.")))
    name = TrimmedString(required=True, validate=_text(NAME_LENGTH, _l("Enter the room's name.")))
    capacity = _whole_number("capacity", "Visitors the room holds, carers included", required=True)
    description = TrimmedString(validate=validate.Length(max=DESCRIPTION_LENGTH, error=_l("Use at most %(max)d characters.", max=DESCRIPTION_LENGTH)))
    features = fields.List(
        fields.String(validate=validate.OneOf([feature.value for feature in RoomFeature], error=_l("This is not a known room feature."))),
        metadata={"description": "Sensory and accessibility features: " + ", ".join(feature.value for feature in RoomFeature)},
    )
    buffer_minutes = _whole_number("buffer_minutes", "Minutes kept free after every session to reset the room")
    min_notice_hours = _whole_number("min_notice_hours", "Hours a booking must be made before it starts")
    max_advance_days = _whole_number("max_advance_days", "Days ahead a booking may be made")
    max_duration_minutes = _whole_number("max_duration_minutes", "Longest session in minutes")
    needs_approval = fields.Boolean(metadata={"description": "Bookings are requests until a coordinator approves them"})
    active = fields.Boolean(metadata={"description": "Inactive rooms cannot be booked"})
    opening_hours = fields.List(
        WholeNested(OpeningIntervalSchema),
        metadata={"description": "At most two intervals a weekday; a weekday without one is closed. New rooms: Monday to Friday 09:00–17:00"},
    )
    photo_url = fields.Function(photo_url, dump_only=True, allow_none=True)
    calendar_url = fields.Function(calendar_url, dump_only=True, metadata={"description": "The room's secret iCal feed"})

    @validates("opening_hours")
    def _week_is_possible(self, value, **kwargs):
        if not all({"weekday", "opens", "closes"} <= item.keys() for item in value):
            return  # an interval that could not be read has its own field errors; the week is checked once it can
        problems = week_problems([(item["weekday"], item["opens"], item["closes"]) for item in value])
        if problems:
            raise ValidationError({index: {"closes": [str(message)]} for index, message in problems.items()})


def _cancel_affected_sessions():
    return fields.Boolean(
        load_only=True,
        load_default=False,
        metadata={
            "description": "Booked sessions the change would close (future, requested or confirmed) are refused with a 409"
            " listing them as affected_sessions; true cancels them instead, in the same transaction, and mails their organisers"
        },
    )


def _cancellation_message():
    return TrimmedString(
        load_only=True,
        load_default="",
        validate=validate.Length(max=MESSAGE_LENGTH, error=_l("Use at most %(max)d characters.", max=MESSAGE_LENGTH)),
        metadata={"description": "Required with cancel_affected_sessions when sessions are affected: the organisers read it"},
    )


class RoomChangesSchema(RoomSchema):
    """The fields of a room to change (PATCH): any of them; opening_hours, when given, replaces the whole week."""

    cancel_affected_sessions = _cancel_affected_sessions()
    cancellation_message = _cancellation_message()


RoomPageSchema = page_of(RoomSchema, "RoomPageSchema")


class ClosureSchema(Schema):
    """Days the room (or, with no room_id, every room of the library) cannot be booked."""

    id = fields.Integer(dump_only=True)
    room_id = fields.Integer(load_default=None, allow_none=True, strict=True, metadata={"description": "Empty for every room"})
    starts_on = Day(required=True)
    ends_on = Day(required=True)
    reason = TrimmedString(required=True, validate=_text(REASON_LENGTH, _l("Enter the reason, for example “Public holiday”.")))
    cancel_affected_sessions = _cancel_affected_sessions()
    cancellation_message = _cancellation_message()

    @validates_schema
    def _dates_in_order(self, data, **kwargs):
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError({"ends_on": [str(_l("The last day must be on or after the first day."))]})


ClosurePageSchema = page_of(ClosureSchema, "ClosurePageSchema")
