"""No double booking, ever: the per-room lock, the overlap check, and the database's last word.

Times are half-open intervals and the room's cleaning buffer belongs to the session before it, so a
session blocks [starts_at, blocked_until). Writers of one room are serialised by a lock taken before the
check: on PostgreSQL a transaction-level advisory lock (without it, a burst of simultaneous inserts can
end in deadlocks, see ../shared/reference/performance.md), on SQLite a write to the room's row, which
takes SQLite's single writer lock. On PostgreSQL an exclusion constraint (see the migration) refuses any
overlap the check could ever miss; its error (23P01), and a deadlock (40P01), both mean "slot taken".
"""
from datetime import datetime

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import raw_sql
from bibnet.tenants.bookings.models import OCCUPYING, Occurrence, Status
from bibnet.tenants.bookings.rules import Slot, Unavailable

# The advisory lock key space of room locks: (namespace, room id), so other features can have their own.
ROOM_LOCK_NAMESPACE = 7001
SLOT_TAKEN_SQLSTATES = {"23P01", "40P01"}


class SlotTaken(Refused):
    """Dates of the request cannot be booked: a 409 whose `conflicts` name each unavailable date, its reason and
    the time of the session holding the room (nothing else of that session)."""

    status = 409
    title = _l("The room is not free then")

    def __init__(self, unavailable: list[Unavailable]):
        super().__init__(detail=_l("The room is not available at the times listed. Choose another time, or book only the free dates of a series."))
        self.unavailable = unavailable

    def problem_members(self) -> dict:
        from bibnet.tenants.bookings.schemas import ConflictSchema  # the API's schema, which imports the models

        conflicts = [
            {
                "date": unavailable.slot.day,
                "starts_at": unavailable.slot.starts_at,
                "ends_at": unavailable.slot.ends_at,
                "reason": unavailable.reason,
                "taken_from": unavailable.clash[0] if unavailable.clash else None,
                "taken_until": unavailable.clash[1] if unavailable.clash else None,
            }
            for unavailable in self.unavailable
        ]
        return {"conflicts": ConflictSchema(many=True).dump(conflicts)}


def lock_room(room_id: int) -> None:
    """Serialise booking writes of one room until the end of the current transaction."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:namespace, :room)"), {"namespace": ROOM_LOCK_NAMESPACE, "room": room_id})
    else:
        with raw_sql("SQLite: a write to the room's row takes the writer lock"):
            db.session.execute(sa.text("UPDATE room SET id = id WHERE id = :room"), {"room": room_id})


def occupied(room_id: int, starts_at: datetime, ends_at: datetime, exclude_ids=()) -> list[Occurrence]:
    """Occurrences holding the room at some time in [starts_at, ends_at), buffers included."""
    statement = sa.select(Occurrence).where(
        Occurrence.room_id == room_id,
        Occurrence.status.in_(OCCUPYING),
        Occurrence.starts_at < ends_at,
        Occurrence.blocked_until > starts_at,
    )
    if exclude_ids:
        statement = statement.where(Occurrence.id.not_in(list(exclude_ids)))
    return list(db.session.scalars(statement.order_by(Occurrence.starts_at)))


def taken(room_id: int, slots: list[Slot], exclude_ids=()) -> list[Unavailable]:
    """The slots that overlap a session holding the room. One query for the whole series."""
    if not slots:
        return []
    holders = occupied(room_id, min(s.starts_at for s in slots), max(s.blocked_until for s in slots), exclude_ids)
    found = []
    for slot in slots:
        clash = next((o for o in holders if o.starts_at < slot.blocked_until and slot.starts_at < o.blocked_until), None)
        if clash is not None:
            only_the_buffer = clash.ends_at <= slot.starts_at or slot.ends_at <= clash.starts_at
            cleaning = int((clash.blocked_until - clash.ends_at).total_seconds() // 60) if only_the_buffer else 0
            found.append(Unavailable(slot, "taken", clash=(clash.starts_at, clash.ends_at), cleaning_minutes=cleaning))
    return found


def overlapping_requests(occurrence: Occurrence) -> list[Occurrence]:
    """Requests of other bookings that a confirmed `occurrence` now makes impossible."""
    return list(
        db.session.scalars(
            sa.select(Occurrence).where(
                Occurrence.room_id == occurrence.room_id,
                Occurrence.status == Status.REQUESTED,
                Occurrence.id != occurrence.id,
                Occurrence.starts_at < occurrence.blocked_until,
                Occurrence.blocked_until > occurrence.starts_at,
            )
        )
    )


def is_slot_taken_error(error: DBAPIError) -> bool:
    return getattr(getattr(error, "orig", None), "sqlstate", None) in SLOT_TAKEN_SQLSTATES
