"""Closures and opening hours against what is already booked: nothing is closed under a session without asking.

The rooms package knows nothing about bookings; the bookings feature registers a `ScheduleGuard` here that
finds the sessions a change would leave in a closed room and cancels them. The pages and the API ask it
before saving: with sessions affected they show them (pages) or refuse with a 409 listing them (API), and
only an explicit confirmation with a message to the organisers cancels them, in the transaction of the save.
"""
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask import current_app
from flask_babel import lazy_gettext as _l

from bibnet.refusals import Refused

GUARDS = "bibnet.rooms.schedule_guards"
MESSAGE_LENGTH = 300
MESSAGE_MISSING = _l("Write a message to the organisers: it is sent with the cancellation.")


@dataclass(frozen=True)
class ScheduleChange:
    """A closure about to be added, or a room's new week of opening hours about to be saved."""

    room_id: int | None  # None: a closure of every room of the tenant
    closed_from: date | None = None
    closed_until: date | None = None
    week: tuple[tuple[int, time, time], ...] | None = None  # (weekday, opens, closes), the room's whole new week


@dataclass(frozen=True)
class AffectedSession:
    """A future requested or confirmed session that the change would leave outside the room's open time."""

    id: int
    room_name: str
    title: str
    status: str
    starts: datetime  # in the tenant's time zone
    ends: datetime
    link: str  # the page where the session can be moved or cancelled on its own


@dataclass(frozen=True)
class ScheduleGuard:
    affected: Callable[[ScheduleChange], list[AffectedSession]]
    # Cancels the sessions with these ids, telling their organisers the message; by: the user who confirmed.
    cancel: Callable[[Collection[int], str, object], None]


def register(app, guard: ScheduleGuard) -> None:
    """Declare a guard of `app` (from a feature's `init_app`)."""
    app.extensions.setdefault(GUARDS, []).append(guard)


def _guards() -> list[ScheduleGuard]:
    return current_app.extensions.get(GUARDS, [])


class SessionsAffected(Refused):
    """Saving would close the room during booked sessions: a 409 that lists them."""

    status = 409
    title = _l("Sessions are booked at these times")

    def __init__(self, sessions: list[AffectedSession]):
        super().__init__(
            detail=_l(
                "The change would close the room during the sessions listed. Move them first, or send the change again"
                " with cancel_affected_sessions set to true and a cancellation_message for their organisers."
            )
        )
        self.sessions = sessions

    def problem_members(self) -> dict:
        return {
            "affected_sessions": [
                {
                    "occurrence_id": s.id,
                    "room": s.room_name,
                    "title": s.title,
                    "status": s.status,
                    "starts_at": s.starts.astimezone(UTC).isoformat(),
                    "ends_at": s.ends.astimezone(UTC).isoformat(),
                }
                for s in self.sessions
            ]
        }


def affected_sessions(change: ScheduleChange) -> list[AffectedSession]:
    """Every session the change would close, in time order."""
    found = [session for guard in _guards() for session in guard.affected(change)]
    return sorted(found, key=lambda s: (s.starts, s.id))


def clear_the_way(change: ScheduleChange, *, cancel: bool, message: str = "", seen: Collection[int] | None = None, by=None) -> list[AffectedSession]:
    """Make room for `change` before the caller saves it: refuse while sessions are affected, unless `cancel`.

    With `cancel`, the affected sessions are cancelled (in the caller's transaction) and returned. `seen` are the
    ids the coordinator was shown: a session booked since then is not cancelled unseen, the list comes back.
    """
    found = affected_sessions(change)
    if not found:
        return []
    if not cancel or (seen is not None and not {s.id for s in found} <= set(seen)):
        raise SessionsAffected(found)
    message = (message or "").strip()
    if not message:
        raise Refused({"cancellation_message": [MESSAGE_MISSING]})
    if len(message) > MESSAGE_LENGTH:
        raise Refused({"cancellation_message": [_l("Use at most %(max)d characters.", max=MESSAGE_LENGTH)]})
    ids = [s.id for s in found]
    for guard in _guards():
        guard.cancel(ids, message, by)
    return found
