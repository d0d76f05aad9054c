"""The only code that creates or changes bookings. Pages, the API, the demo and the benchmark call these.

Every function checks first and writes after; on any refusal it raises (`Refused`: the request is wrong;
SlotTaken: the room is not free), and the caller's refusal handling drops what the request wrote. Fields
are named as in the API's request bodies. Callers commit on success: the per-room lock lasts until then.
"""
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from bibnet import gates
from bibnet.accounts.models import Membership
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings import APPROVE_REQUESTS, HOST_SESSIONS, conflicts, notifications, rules
from bibnet.tenants.bookings.conflicts import SlotTaken
from bibnet.tenants.bookings.models import OCCUPYING, OPEN, VISITOR_KINDS, Booking, Occurrence, Status
from bibnet.tenants.bookings.rules import BookingInput, Problems, Unavailable
from bibnet.tenants.rooms.models import Closure, Room

# Reasons the system itself gives, stored as codes and translated when shown.
SKIPPED = "skipped"
OVERLAP = "overlap"
SYSTEM_REASONS = {
    SKIPPED: _l("Not booked: the room was not available then."),
    OVERLAP: _l("Another booking was confirmed for this time."),
}


def reason_text(reason: str) -> str:
    return str(SYSTEM_REASONS.get(reason, reason))


def zone_of(tenant_id: int) -> str:
    return db.session.get(Tenant, tenant_id).timezone


def _room(room_id) -> Room:
    room = db.session.scalar(sa.select(Room).where(Room.id == room_id, Room.active)) if room_id else None
    if room is None:
        raise Refused({"room_id": [_l("Choose one of your library's rooms.")]})
    return room


def _check_responsible(problems: Problems, user_id) -> None:
    """A member of the library's staff who may host sessions (a training gate may ask for a course first)."""
    member = db.session.scalar(sa.select(Membership.id).where(Membership.user_id == user_id, Membership.active))
    if member is None:
        problems.add("responsible_id", _l("Choose a member of your library's staff."))
        return
    refusal = gates.refusal(HOST_SESSIONS, user_id)
    if refusal is not None:
        problems.add("responsible_id", refusal.message)


def closures_between(room: Room, first: date, last: date) -> list[Closure]:
    return list(
        db.session.scalars(
            sa.select(Closure).where(
                sa.or_(Closure.room_id.is_(None), Closure.room_id == room.id), Closure.starts_on <= last, Closure.ends_on >= first
            )
        )
    )


def _single_date_problem(unavailable: Unavailable, room: Room, date_field: str = "first_date") -> Refused:
    if unavailable.reason == "closed":
        message = _l("The room is closed on this day: %(reason)s.", reason=unavailable.closure_reason)
        return Refused({date_field: [message]})
    return Refused({"start_time": [_l("The room is not open at this time. Choose a time within its opening hours.")]})


def _flush_or_slot_taken(room_id: int, slots) -> None:
    """Flush; the exclusion constraint (or a deadlock while waiting for it) means another writer won.

    After the rollback the winner is committed, so it can be looked up to name the time it took.
    """
    try:
        db.session.flush()
    except DBAPIError as error:
        if not conflicts.is_slot_taken_error(error):
            raise
        db.session.rollback()
        raise SlotTaken(conflicts.taken(room_id, slots) or [Unavailable(slot, "taken") for slot in slots]) from None


def _reject_overlapping_requests(confirmed: list[Occurrence]) -> list[Occurrence]:
    rejected = []
    for occurrence in confirmed:
        for request in conflicts.overlapping_requests(occurrence):
            request.status, request.status_reason = Status.REJECTED, OVERLAP
            rejected.append(request)
    return rejected


def confirms_at_once(room: Room | None, may_approve: bool, by=None) -> bool:
    """A booking holds the room at once unless the room needs approval and the booker may not give it (by their
    role, `may_approve`, or a training gate on approving: then the booking is a request)."""
    if room is not None and not room.needs_approval:
        return True
    return may_approve and (by is None or gates.passes(APPROVE_REQUESTS, by))


def approval_refusal(by) -> str | None:
    """Why `by`, whose role lets them approve, may not approve requests now (a training gate), else None: the
    booking page says so in place of the Approve buttons."""
    refused = gates.refusal(APPROVE_REQUESTS, by)
    return None if refused is None else str(refused.message)


def create_booking(request: BookingInput, by, confirm: bool, skip_unavailable: bool = False, now: datetime | None = None) -> Booking:
    """Book a session or a series. `confirm`: the booking holds the room at once (else it is a request).

    With `skip_unavailable`, a series is booked on its free dates and the others are kept as cancelled
    ("skipped"); without it, any unavailable date refuses the whole request with SlotTaken.
    """
    now = now or utcnow()
    room = _room(request.room_id)
    problems = Problems()
    _check_responsible(problems, request.responsible_id)
    zone = zone_of(room.tenant_id)
    try:
        slots = rules.check(request, room, zone, now)
    except Refused as error:
        for name, messages in error.errors.items():
            for message in messages:
                problems.add(name, message)
    if problems.errors:
        raise Refused(problems.errors)
    # Locked before the closures are read: a closure being saved locks the room too (see room_changes).
    conflicts.lock_room(room.id)
    unavailable = rules.unavailable_dates(slots, request.start_time, request.end_time, room, closures_between(room, slots[0].day, slots[-1].day))
    if len(slots) == 1 and unavailable:
        raise _single_date_problem(unavailable[0], room)
    blocked = {u.slot for u in unavailable}
    unavailable += conflicts.taken(room.id, [slot for slot in slots if slot not in blocked])
    if unavailable and (not skip_unavailable or len(unavailable) == len(slots)):
        raise SlotTaken(sorted(unavailable, key=lambda u: u.slot.starts_at))

    booking = Booking(
        room_id=room.id,
        activity=request.activity,
        title=request.title.strip(),
        responsible_id=request.responsible_id,
        created_by_id=getattr(by, "id", None),
        organiser_name=(request.organiser_name or "").strip() or None,
        organiser_contact=(request.organiser_contact or "").strip() or None,
        internal_note=request.internal_note or "",
        frequency=request.frequency,
        interval=request.interval,
        weekdays=",".join(str(day) for day in sorted(request.rule.weekdays)),
        first_date=slots[0].day,
        last_date=slots[-1].day,
        until=request.until if request.count is None else None,
        count=request.count,
        start_time=request.start_time,
        end_time=request.end_time,
        **{f"expected_{kind}": request.expected.get(kind, 0) for kind in VISITOR_KINDS},
    )
    skipped = {u.slot for u in unavailable}
    status = Status.CONFIRMED if confirm else Status.REQUESTED
    booking.occurrences = [
        Occurrence(
            room_id=room.id,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            blocked_until=slot.blocked_until,
            original_starts_at=slot.starts_at,
            status=Status.CANCELLED if slot in skipped else status,
            status_reason=SKIPPED if slot in skipped else "",
        )
        for slot in slots
    ]
    db.session.add(booking)
    _flush_or_slot_taken(room.id, slots)
    booked = [o for o in booking.occurrences if o.status is status]
    if confirm:
        rejected = _reject_overlapping_requests(booked)
        db.session.flush()
        notifications.occurrences_confirmed(booking, booked)
        notifications.occurrences_rejected(rejected)
    else:
        notifications.booking_requested(booking)
    return booking


def change_details(booking: Booking, *, activity=None, title=None, responsible_id=None, organiser_name=None, organiser_contact=None, expected=None, internal_note=None) -> Booking:
    """Change what a booking is about (not its times: move occurrences for that). None keeps a value."""
    problems = Problems()
    if title is not None and not title.strip():
        problems.add("title", _l("Give the booking a short title, like “Tuesday club”."))
    if responsible_id is not None and responsible_id != booking.responsible_id:  # who hosts already was checked
        _check_responsible(problems, responsible_id)
    if expected is not None:
        rules.check_visitors(problems, {**booking.expected, **expected}, booking.room)
    if problems.errors:
        raise Refused(problems.errors)
    if activity is not None:
        booking.activity = activity
    if title is not None:
        booking.title = title.strip()
    if responsible_id is not None:
        booking.responsible_id = responsible_id
    if organiser_name is not None:
        booking.organiser_name = organiser_name.strip() or None
    if organiser_contact is not None:
        booking.organiser_contact = organiser_contact.strip() or None
    if internal_note is not None:
        booking.internal_note = internal_note
    for kind, value in (expected or {}).items():
        setattr(booking, f"expected_{kind}", value)
    db.session.flush()
    return booking


def move_occurrence(occurrence: Occurrence, day: date, start: time, end: time, by=None, now: datetime | None = None) -> Occurrence:
    """Move one session (the series keeps its other dates); the same rules as for a new booking apply."""
    now = now or utcnow()
    room = occurrence.room
    problems = Problems()
    if occurrence.status not in OPEN:
        raise Refused({"date": [_l("Only requested or confirmed sessions can be moved.")]})
    rules.check_times(problems, start, end, room)
    if problems.errors:
        raise Refused(problems.errors)
    slot = rules.slot_for(day, start, end, room, zone_of(room.tenant_id))
    rules.check_window(problems, slot, room, now, field_name="date")
    if problems.errors:
        raise Refused(problems.errors)
    unavailable = rules.unavailable_dates([slot], start, end, room, closures_between(room, day, day))
    if unavailable:
        raise _single_date_problem(unavailable[0], room, date_field="date")
    conflicts.lock_room(room.id)
    if occurrence.status in OCCUPYING:
        clash = conflicts.taken(room.id, [slot], exclude_ids=[occurrence.id])
        if clash:
            raise SlotTaken(clash)
    occurrence.starts_at, occurrence.ends_at, occurrence.blocked_until = slot.starts_at, slot.ends_at, slot.blocked_until
    _flush_or_slot_taken(room.id, [slot])
    if occurrence.status is Status.CONFIRMED:
        notifications.occurrences_rejected(_reject_overlapping_requests([occurrence]))
        db.session.flush()
    return occurrence


def approve(occurrences: list[Occurrence], by=None, now: datetime | None = None) -> list[Occurrence]:
    """Confirm requested sessions; requests overlapping them are rejected with a reason. `by` must pass the
    training gates on approving (GateClosed otherwise); the system approves without `by`."""
    now = now or utcnow()
    if by is not None:
        gates.check(APPROVE_REQUESTS, by)
    requested = [o for o in occurrences if o.status is Status.REQUESTED and o.starts_at > now]
    if not requested:
        raise Refused({"status": [_l("There is no future requested session to approve.")]})
    for room_id in sorted({o.room_id for o in requested}):
        conflicts.lock_room(room_id)
    slots = {o.id: rules.Slot(o.starts_at.date(), o.starts_at, o.ends_at, o.blocked_until) for o in requested}
    clashes = []
    for occurrence in requested:
        clashes += conflicts.taken(occurrence.room_id, [slots[occurrence.id]], exclude_ids=[occurrence.id])
    if clashes:
        raise SlotTaken(clashes)
    for occurrence in requested:
        occurrence.status, occurrence.status_reason = Status.CONFIRMED, ""
    _flush_or_slot_taken(requested[0].room_id, list(slots.values()))
    rejected = _reject_overlapping_requests(requested)
    db.session.flush()
    notifications.occurrences_confirmed(requested[0].booking, requested)
    notifications.occurrences_rejected(rejected)
    return requested


def reject(occurrences: list[Occurrence], reason: str, by=None) -> list[Occurrence]:
    """Turn down requested sessions; the organiser is told the reason."""
    if not (reason or "").strip():
        raise Refused({"reason": [_l("Give a reason: the organiser will read it.")]})
    requested = [o for o in occurrences if o.status is Status.REQUESTED]
    if not requested:
        raise Refused({"status": [_l("There is no requested session to reject.")]})
    for occurrence in requested:
        occurrence.status, occurrence.status_reason = Status.REJECTED, reason.strip()[:300]
    db.session.flush()
    notifications.occurrences_rejected(requested)
    return requested


def cancel(occurrences: list[Occurrence], by=None, reason: str = "", now: datetime | None = None) -> list[Occurrence]:
    """Cancel sessions that have not started yet; the others of the series stay as they are."""
    now = now or utcnow()
    cancellable = [o for o in occurrences if o.status in OPEN and o.starts_at > now]
    if not cancellable:
        raise Refused({"status": [_l("There is no future session to cancel.")]})
    for occurrence in cancellable:
        occurrence.status, occurrence.status_reason = Status.CANCELLED, (reason or "").strip()[:300]
    db.session.flush()
    notifications.occurrences_cancelled(cancellable)
    return cancellable


def cancel_series(booking: Booking, by=None, reason: str = "", now: datetime | None = None) -> list[Occurrence]:
    now = now or utcnow()
    return cancel([o for o in booking.occurrences if o.starts_at > now], by, reason, now)


def why_no_attendance(occurrence: Occurrence, now: datetime | None = None):
    """Why the attendance of this session cannot be recorded (yet), or None when it can: only a confirmed session
    that has started has any. The attendance page asks before it shows its form."""
    if occurrence.status not in (Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW):
        return _l("Attendance can only be recorded for a confirmed session.")
    if occurrence.starts_at > (now or utcnow()):
        return _l("Attendance can be recorded once the session has started.")
    return None


def record_attendance(occurrence: Occurrence, attended: dict[str, int] | None, by=None, now: datetime | None = None) -> Occurrence:
    """Record who came, counted per target group and carers; `None` records a no-show. May be corrected."""
    now = now or utcnow()
    if (reason := why_no_attendance(occurrence, now)) is not None:
        raise Refused({"status": [reason]})
    problems = Problems()
    counts = {kind: (attended or {}).get(kind, 0) for kind in VISITOR_KINDS}
    for kind, value in counts.items():
        if value is None or value < 0:
            problems.add(kind, _l("Enter a number of 0 or more."))
        elif value > rules.MAX_VISITORS:
            problems.add(kind, _l("Enter a number up to %(max)d.", max=rules.MAX_VISITORS))
    if attended is not None and not problems.errors and sum(counts.values()) == 0:
        problems.add("seniors", _l("Nobody came? Record a no-show instead."))
    if problems.errors:
        raise Refused(problems.errors)
    occurrence.status = Status.COMPLETED if attended is not None else Status.NO_SHOW
    for kind, value in counts.items():
        setattr(occurrence, f"attended_{kind}", value)
    occurrence.attendance_recorded_at = now
    db.session.flush()
    return occurrence
