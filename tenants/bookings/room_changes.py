"""The bookings' answer to a closure or new opening hours (see `bibnet.tenants.rooms.changes`): which future
requested or confirmed sessions would fall into closed time, and their cancellation with a message to the
organisers (through `services.cancel`, which queues the mails in the same transaction).
"""
from collections.abc import Collection
from datetime import time, timedelta

from flask import has_request_context, url_for
import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import current_tenant_id
from bibnet.tenants.bookings import conflicts, services
from bibnet.tenants.bookings.models import OPEN, Booking, Occurrence
from bibnet.tenants.bookings.recurrence import to_local, to_utc
from bibnet.tenants.rooms.changes import AffectedSession, ScheduleChange, ScheduleGuard
from bibnet.tenants.rooms.models import Room


def _inside(week, starts, ends) -> bool:
    """Whether a session (local datetimes) lies inside one interval of the week, as `rules.is_open` decides."""
    if ends.date() != starts.date():
        return False
    return any(weekday == starts.weekday() and opens <= starts.time() and ends.time() <= closes for weekday, opens, closes in week)


def _future_open_sessions(change: ScheduleChange, zone: str):
    statement = (
        sa.select(Occurrence)
        .join(Occurrence.booking)
        .join(Occurrence.room)
        .options(contains_eager(Occurrence.booking), contains_eager(Occurrence.room))
        .where(Occurrence.status.in_(OPEN), Occurrence.starts_at > utcnow())
        .order_by(Occurrence.starts_at, Occurrence.id)
    )
    if change.room_id is not None:
        statement = statement.where(Occurrence.room_id == change.room_id)
    if change.closed_from is not None:
        statement = statement.where(
            Occurrence.starts_at >= to_utc(change.closed_from, time(), zone),
            Occurrence.starts_at < to_utc(change.closed_until + timedelta(days=1), time(), zone),
        )
    return db.session.scalars(statement).all()


def affected(change: ScheduleChange) -> list[AffectedSession]:
    """The sessions the change would close. The rooms concerned are locked first (until the commit), so that no
    booking slips in between this answer and the saving of the change."""
    rooms = [change.room_id] if change.room_id is not None else db.session.scalars(sa.select(Room.id).order_by(Room.id)).all()
    for room_id in rooms:
        conflicts.lock_room(room_id)
    zone = services.zone_of(current_tenant_id())
    found = []
    for occurrence in _future_open_sessions(change, zone):
        starts, ends = to_local(occurrence.starts_at, zone), to_local(occurrence.ends_at, zone)
        if change.week is not None and _inside(change.week, starts, ends):
            continue
        booking: Booking = occurrence.booking
        link = url_for("bookings.view", booking_id=booking.id) if has_request_context() else ""
        found.append(AffectedSession(occurrence.id, occurrence.room.name, booking.title, occurrence.status.value, starts, ends, link))
    return found


def cancel(ids: Collection[int], message: str, by) -> None:
    occurrences = db.session.scalars(sa.select(Occurrence).where(Occurrence.id.in_(list(ids))).order_by(Occurrence.starts_at)).all()
    if occurrences:
        services.cancel(list(occurrences), by, reason=message)


GUARD = ScheduleGuard(affected=affected, cancel=cancel)
