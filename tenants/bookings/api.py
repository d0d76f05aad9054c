"""API: bookings and their occurrences.

Every write goes through `services` and is committed here on success. The services' refusals are the core's
problem+json: a 422 with field errors named as in the request body, or SlotTaken's 409 listing each unavailable
date with the time of the session holding the room (nothing else of that session).
"""
from datetime import date, time, timedelta

from flask import g, jsonify, url_for
from flask_login import current_user
from flask_smorest import Blueprint
import sqlalchemy as sa

from bibnet.access import allowed, require
from bibnet.api.problems import PROBLEM_TYPE
from bibnet.extensions import db
from bibnet.tenants.bookings import lookups, services  # noqa: F401  (lookups: the URL's booking)
from bibnet.tenants.bookings.models import VISITOR_KINDS, Booking, Occurrence
from bibnet.tenants.bookings.recurrence import to_utc
from bibnet.tenants.bookings.rules import BookingInput
from bibnet.tenants.bookings.schemas import (
    AttendanceSchema,
    BookingChangeSchema,
    BookingDetailSchema,
    BookingInputSchema,
    BookingPageSchema,
    CancelSchema,
    ConflictProblemSchema,
    MoveSchema,
    OccurrenceArgs,
    OccurrencePageSchema,
    OccurrenceSchema,
    PeriodArgs,
    RejectSchema,
)
from bibnet.tenants.rooms.models import Room
from bibnet.web.pagination import paginate

blp = Blueprint("api_bookings", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Bookings of the sensory rooms")

# Ids beyond the database's integers are unknown (404) before they reach SQLite, which cannot even compare them.
# The booking or occurrence a URL names is loaded by the core before the body is read (bookings.lookups).
BOOKING = "/bookings/<int:booking_id>"
OCCURRENCE = "/occurrences/<int:occurrence_id>"
CONFLICT = {"schema": ConflictProblemSchema, "content_type": PROBLEM_TYPE, "description": "The room is not free at some of the requested times"}
# For writes without a request body, whose refusals the services still give as field errors.
INVALID = "UNPROCESSABLE_ENTITY"
LOCATION = {"Location": {"description": "The new booking", "schema": {"type": "string"}}}


# Reading ------------------------------------------------------------------------------------------------------------


def _local_day_start(day: date):
    return to_utc(day, time(0), g.tenant.timezone)


@blp.route("/occurrences")
@require("bookings.view")
@blp.arguments(OccurrenceArgs, location="query", as_kwargs=True)
@blp.response(200, OccurrencePageSchema)
def list_occurrences(page, per_page, room_id=None, from_=None, to=None, status=None):
    """Sessions in a period (local dates, both included), in time order; filter by room and status"""
    statement = sa.select(Occurrence).order_by(Occurrence.starts_at, Occurrence.id)
    if room_id is not None:
        statement = statement.where(Occurrence.room_id == room_id)
    if from_ is not None:
        statement = statement.where(Occurrence.starts_at >= _local_day_start(from_))
    if to is not None:
        statement = statement.where(Occurrence.starts_at < _local_day_start(to + timedelta(days=1)))
    if status is not None:
        statement = statement.where(Occurrence.status == status)
    return paginate(statement, page=page, per_page=per_page)


@blp.route("/bookings")
@require("bookings.view")
@blp.arguments(PeriodArgs, location="query", as_kwargs=True)
@blp.response(200, BookingPageSchema)
def list_bookings(page, per_page, room_id=None, from_=None, to=None):
    """Bookings with a session in a period (local dates, both included); filter by room"""
    statement = sa.select(Booking).order_by(Booking.first_date, Booking.start_time, Booking.id)
    if room_id is not None:
        statement = statement.where(Booking.room_id == room_id)
    if from_ is not None:
        statement = statement.where(Booking.last_date >= from_)
    if to is not None:
        statement = statement.where(Booking.first_date <= to)
    return paginate(statement, page=page, per_page=per_page)


@blp.route(BOOKING)
@require("bookings.view")
@blp.response(200, BookingDetailSchema)
def get_booking(booking):
    """A booking: its rule, expected visitors, organiser and every session"""
    return booking


# Writing ------------------------------------------------------------------------------------------------------------


@blp.route("/bookings", methods=["POST"])
@require("bookings.book")
@blp.arguments(BookingInputSchema)
@blp.response(201, BookingDetailSchema, headers=LOCATION)
@blp.alt_response(409, **CONFLICT)
def create_booking(body):
    """Book a session or a series: confirmed at once, or a request when the room needs approval"""
    skip_unavailable = body.pop("skip_unavailable")
    body["weekdays"] = frozenset(body["weekdays"])
    body.setdefault("responsible_id", current_user.id)
    room = db.session.scalar(sa.select(Room).where(Room.id == body["room_id"]))
    confirm = services.confirms_at_once(room, allowed("bookings.approve"), current_user)
    booking = services.create_booking(BookingInput(**body), current_user, confirm=confirm, skip_unavailable=skip_unavailable)
    # Serialised before the commit, which would expire the objects and load them all again.
    response = jsonify(BookingDetailSchema().dump(booking))
    response.status_code = 201
    response.headers["Location"] = url_for(".get_booking", booking_id=booking.id)
    db.session.commit()
    return response


@blp.route(BOOKING, methods=["PATCH"])
@require("bookings.book")
@blp.arguments(BookingChangeSchema)
@blp.response(200, BookingDetailSchema)
def change_booking(body, booking):
    """Change what a booking is about (its times: move its sessions)"""
    services.change_details(booking, **body)
    db.session.commit()
    return booking


@blp.route(BOOKING + "/cancel", methods=["POST"])
@require("bookings.book")
@blp.arguments(CancelSchema)
@blp.response(200, BookingDetailSchema)
def cancel_booking(body, booking):
    """Cancel every future session of a booking; past ones stay as they were"""
    services.cancel_series(booking, current_user, body["reason"])
    db.session.commit()
    return booking


@blp.route(BOOKING + "/approve", methods=["POST"])
@require("bookings.approve")
@blp.response(200, BookingDetailSchema)
@blp.alt_response(409, **CONFLICT)
@blp.alt_response(422, INVALID)
def approve_booking(booking):
    """Confirm every future requested session of a booking; requests overlapping them are rejected"""
    services.approve(booking.occurrences, current_user)
    db.session.commit()
    return booking


@blp.route(BOOKING + "/reject", methods=["POST"])
@require("bookings.approve")
@blp.arguments(RejectSchema)
@blp.response(200, BookingDetailSchema)
def reject_booking(body, booking):
    """Turn down every requested session of a booking, with a reason the organiser reads"""
    services.reject(booking.occurrences, body["reason"], current_user)
    db.session.commit()
    return booking


@blp.route(OCCURRENCE, methods=["PATCH"])
@require("bookings.book")
@blp.arguments(MoveSchema)
@blp.response(200, OccurrenceSchema)
@blp.alt_response(409, **CONFLICT)
def move_occurrence(body, occurrence):
    """Move one session; the other sessions of its series stay"""
    services.move_occurrence(occurrence, body["date"], body["start_time"], body["end_time"], by=current_user)
    db.session.commit()
    return occurrence


@blp.route(OCCURRENCE + "/cancel", methods=["POST"])
@require("bookings.book")
@blp.arguments(CancelSchema)
@blp.response(200, OccurrenceSchema)
def cancel_occurrence(body, occurrence):
    """Cancel one future session; the other sessions of its series stay"""
    services.cancel([occurrence], current_user, body["reason"])
    db.session.commit()
    return occurrence


@blp.route(OCCURRENCE + "/approve", methods=["POST"])
@require("bookings.approve")
@blp.response(200, OccurrenceSchema)
@blp.alt_response(409, **CONFLICT)
@blp.alt_response(422, INVALID)
def approve_occurrence(occurrence):
    """Confirm one requested session; requests overlapping it are rejected"""
    services.approve([occurrence], current_user)
    db.session.commit()
    return occurrence


@blp.route(OCCURRENCE + "/reject", methods=["POST"])
@require("bookings.approve")
@blp.arguments(RejectSchema)
@blp.response(200, OccurrenceSchema)
def reject_occurrence(body, occurrence):
    """Turn down one requested session, with a reason the organiser reads"""
    services.reject([occurrence], body["reason"], current_user)
    db.session.commit()
    return occurrence


@blp.route(OCCURRENCE + "/attendance", methods=["POST"])
@require("bookings.book")
@blp.arguments(AttendanceSchema)
@blp.response(200, OccurrenceSchema)
def record_attendance(body, occurrence):
    """Record who came, counted per target group and carers, or a no-show; may be corrected later"""
    attended = None if body["no_show"] else {kind: body[kind] for kind in VISITOR_KINDS}
    services.record_attendance(occurrence, attended, current_user)
    db.session.commit()
    return occurrence
