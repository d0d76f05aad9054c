"""The read-only iCal feed of a room, at a secret URL (RFC 5545).

Anyone with the URL may read it, so it tells only *when* the room is taken and for what kind of activity:
no title, organiser, visitor count or note. Regenerating the room's token cuts off every old subscriber.
A series is one VEVENT with an RRULE in the tenant's local time (a 10:00 club stays at 10:00 across the
daylight saving switch), EXDATE for the dates it does not take place, and one VEVENT with RECURRENCE-ID
for each moved session.
"""
from __future__ import annotations  # the icalendar types in signatures: the library loads on the first feed

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, make_response
from flask_babel import force_locale
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.access import public
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings.labels import activity_label
from bibnet.tenants.bookings.models import OCCUPYING, Booking, Occurrence
from bibnet.tenants.bookings.recurrence import Frequency, to_local, to_utc
from bibnet.tenants.rooms.models import Room

if TYPE_CHECKING:
    from icalendar import Calendar, Event, Timezone, vRecur

bp = Blueprint("ical", __name__)

PRODID = "-//BibNet//Sensory room bookings//EN"
# How far back the feed reaches; everything ahead is included. A series is included whole while it has a
# session in that span.
FEED_PAST = timedelta(days=90)
# Calendar apps poll; a few minutes of staleness spares the database.
CACHE_CONTROL = "private, max-age=300"


@bp.get("/calendar/<token>.ics")
@public
def feed(token: str):
    with all_tenants(reason="iCal feed: find the room of a calendar token"):
        room = db.session.scalar(sa.select(Room).where(Room.calendar_token == token, Room.active))
    tenant = db.session.get(Tenant, room.tenant_id) if room is not None else None
    if tenant is None or not tenant.active:
        abort(404)
    now = utcnow()
    with tenant_scope(tenant, reason="iCal feed of a room of this tenant"):
        bookings = _bookings_shown(room, now - FEED_PAST)
        with force_locale(tenant.default_locale):
            calendar = room_calendar(room, tenant.timezone, bookings, now)
    response = make_response(calendar.to_ical())
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def _bookings_shown(room: Room, since: datetime) -> list[Booking]:
    # Only sessions that hold the room are shown. Requests are left out: they do not hold the room, several
    # may ask for the same time and confirming one rejects the others, so a subscriber would see clashes
    # that mostly never happen. Completed and no-show sessions held the room, so they stay (as CONFIRMED).
    return list(
        db.session.scalars(
            sa.select(Booking)
            .where(
                Booking.room_id == room.id,
                Booking.occurrences.any(sa.and_(Occurrence.status.in_(OCCUPYING), Occurrence.ends_at >= since)),
            )
            .options(selectinload(Booking.occurrences))
            .order_by(Booking.first_date, Booking.id)
        )
    )


def room_calendar(room: Room, zone_name: str, bookings: list[Booking], now: datetime) -> Calendar:
    """The VCALENDAR of `room`; SUMMARY texts in the current locale."""
    from icalendar import Calendar  # on the first feed, not at start

    zone = ZoneInfo(zone_name)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", room.name)
    calendar.add("x-wr-timezone", zone_name)
    calendar.add_component(_vtimezone(zone, bookings, now))
    for booking in bookings:
        for event in _events(booking, zone, now):
            calendar.add_component(event)
    return calendar


def _vtimezone(zone: ZoneInfo, bookings: list[Booking], now: datetime) -> Timezone:
    """The zone's offsets over every date the feed can show (a series may have begun before the window)."""
    from icalendar import Timezone

    days = [now.date()] + [o.original_starts_at.date() for b in bookings for o in b.occurrences]
    days += [o.ends_at.date() for b in bookings for o in b.occurrences]
    return Timezone.from_tzinfo(zone, first_date=min(days) - timedelta(days=1), last_date=max(days) + timedelta(days=2))


def _event(booking: Booking, starts: datetime, ends: datetime, now: datetime) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", f"booking-{booking.id}@bibnet")
    event.add("dtstamp", now)  # bookings keep no revision time; the feed is a fresh copy on every request
    event.add("dtstart", starts)
    event.add("dtend", ends)
    event.add("summary", activity_label(booking.activity))
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _events(booking: Booking, zone: ZoneInfo, now: datetime) -> list[Event]:
    held = [o for o in booking.occurrences if o.status in OCCUPYING]
    if booking.frequency is Frequency.ONCE:
        return [_event(booking, o.starts_at.astimezone(zone), o.ends_at.astimezone(zone), now) for o in held]

    def local(day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=zone)

    series = _event(booking, local(booking.first_date, booking.start_time), local(booking.first_date, booking.end_time), now)
    series.add("rrule", _recur(booking, zone))
    held_on = {to_local(o.original_starts_at, zone.key).date() for o in held}
    # Every date of the rule that holds no session: cancelled, rejected, skipped, or still only requested.
    excluded = [local(day, booking.start_time) for day in booking.rule.dates() if day not in held_on]
    if excluded:
        series.add("exdate", excluded)
    events = [series]
    for moved in (o for o in held if o.moved):
        event = _event(booking, moved.starts_at.astimezone(zone), moved.ends_at.astimezone(zone), now)
        event.add("recurrence-id", moved.original_starts_at.astimezone(zone))
        events.append(event)
    return events


def _recur(booking: Booking, zone: ZoneInfo) -> vRecur:
    from icalendar import vRecur

    parts = booking.rule.ical_recur()
    if "UNTIL" in parts:
        # DTSTART carries a TZID, so UNTIL must be a UTC date-time (RFC 5545 3.3.10): the end of that local day.
        parts["UNTIL"] = to_utc(parts["UNTIL"], time(23, 59, 59), zone.key)
    return vRecur(parts)
