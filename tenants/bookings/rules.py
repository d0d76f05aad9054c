"""The booking rules of a room, as pure checks: no database access here, so every rule is easy to test.

`check` turns a request into the UTC slots it asks for and collects every problem with the request as a
whole (field errors: 422 in the API, an error summary on pages). `unavailable_dates` tells which dates of
a series fall on a closure or outside opening hours; taken slots are found in `conflicts`.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from bibnet.refusals import refuse_if_any
from bibnet.tenants.bookings.models import VISITOR_KINDS, Activity
from bibnet.tenants.bookings.recurrence import Frequency, Rule, RuleError, to_utc
from bibnet.tenants.rooms.models import Closure, Room

MAX_VISITORS = 1000

RULE_MESSAGES = {
    "interval_range": _l("Repeat every 1 to 52 days, weeks or months."),
    "weekday_unknown": _l("Choose weekdays from Monday to Sunday."),
    "end_missing": _l("Give the date of the last session or the number of sessions."),
    "until_before_start": _l("The last date must be on or after the first date."),
    "count_positive": _l("Enter a number of sessions of at least 1."),
    "longer_than_a_year": _l("A series can run for at most one year."),
    "no_dates": _l("These settings give no date: choose at least one weekday."),
}


@dataclass
class BookingInput:
    """A booking request as the form or the API hands it over: typed, but not yet checked against the room."""

    room_id: int
    activity: Activity
    title: str
    responsible_id: int
    first_date: date
    start_time: time
    end_time: time
    frequency: Frequency = Frequency.ONCE
    interval: int = 1
    weekdays: frozenset[int] = frozenset()
    until: date | None = None
    count: int | None = None
    expected: dict[str, int] = field(default_factory=dict)
    organiser_name: str | None = None
    organiser_contact: str | None = None
    internal_note: str = ""

    @property
    def rule(self) -> Rule:
        weekdays = self.weekdays if self.frequency is Frequency.WEEKLY else frozenset()
        return Rule(self.frequency, self.first_date, self.interval, weekdays, self.until, self.count)


@dataclass(frozen=True)
class Slot:
    """One requested session: its local date and its UTC times, the cleaning buffer included."""

    day: date
    starts_at: datetime
    ends_at: datetime
    blocked_until: datetime


@dataclass(frozen=True)
class Unavailable:
    slot: Slot
    reason: str  # "taken", "closed" or "outside_hours"
    closure_reason: str = ""
    # The time of the session already holding the room (its start and end, no other detail of it).
    clash: tuple[datetime, datetime] | None = None
    # When the two sessions do not overlap, only a cleaning buffer does: the room's buffer in minutes.
    cleaning_minutes: int = 0


class Problems:
    def __init__(self):
        self.errors: dict[str, list] = {}

    def add(self, name: str, message) -> None:
        self.errors.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        refuse_if_any(self.errors)


def slot_for(day: date, start: time, end: time, room: Room, zone: str) -> Slot:
    starts_at, ends_at = to_utc(day, start, zone), to_utc(day, end, zone)
    return Slot(day, starts_at, ends_at, ends_at + timedelta(minutes=room.buffer_minutes))


def check_times(problems: Problems, start: time, end: time, room: Room) -> None:
    if end <= start:
        problems.add("end_time", _l("The end time must be after the start time."))
        return
    minutes = (datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds // 60
    if minutes > room.max_duration_minutes:
        problems.add("end_time", _l("A session in this room can last at most %(minutes)d minutes.", minutes=room.max_duration_minutes))


def check_window(problems: Problems, first: Slot, room: Room, now: datetime, field_name: str = "first_date") -> None:
    """No start in the past, enough notice, not too far ahead (counted from the first session)."""
    if first.starts_at <= now:
        problems.add(field_name, _l("This time has already passed. Choose a time in the future."))
    elif first.starts_at < now + timedelta(hours=room.min_notice_hours):
        problems.add(field_name, _l("This room must be booked at least %(hours)d hours ahead.", hours=room.min_notice_hours))
    if first.starts_at.date() > (now + timedelta(days=room.max_advance_days)).date():
        problems.add(field_name, _l("This room can be booked at most %(days)d days ahead.", days=room.max_advance_days))


def check_visitors(problems: Problems, expected: dict[str, int], room: Room) -> None:
    for kind in VISITOR_KINDS:
        value = expected.get(kind, 0)
        if value < 0:
            problems.add(f"expected.{kind}", _l("Enter a number of 0 or more."))
        elif value > MAX_VISITORS:
            problems.add(f"expected.{kind}", _l("Enter a number up to %(max)d.", max=MAX_VISITORS))
    total = sum(max(expected.get(kind, 0), 0) for kind in VISITOR_KINDS)
    if total > room.capacity:
        problems.add(
            "expected.carers",
            _l("The room holds %(capacity)d people; this booking expects %(total)d with carers.", capacity=room.capacity, total=total),
        )


def check(request: BookingInput, room: Room, zone: str, now: datetime) -> list[Slot]:
    """Every problem of the request as a whole, raised together as `Refused`; else its slots."""
    problems = Problems()
    if not request.title.strip():
        problems.add("title", _l("Give the booking a short title, like “Tuesday club”."))
    check_times(problems, request.start_time, request.end_time, room)
    check_visitors(problems, request.expected, room)
    try:
        dates = request.rule.dates()
    except RuleError as error:
        problems.add(error.field, RULE_MESSAGES[error.code])
        dates = []
    problems.raise_any()
    slots = [slot_for(day, request.start_time, request.end_time, room, zone) for day in dates]
    check_window(problems, slots[0], room, now)
    problems.raise_any()
    return slots


def is_open(room: Room, day: date, start: time, end: time) -> bool:
    """Whether the session lies inside one opening interval of that weekday (the buffer may run past it)."""
    return any(hours.weekday == day.weekday() and hours.opens <= start and end <= hours.closes for hours in room.opening_hours)


def closure_on(closures: list[Closure], room: Room, day: date) -> Closure | None:
    return next((closure for closure in closures if closure.covers(day, room.id)), None)


def unavailable_dates(slots: list[Slot], start: time, end: time, room: Room, closures: list[Closure]) -> list[Unavailable]:
    """Dates that cannot be booked whatever else is booked: closed days, and days the room is not open then."""
    found = []
    for slot in slots:
        closure = closure_on(closures, room, slot.day)
        if closure is not None:
            found.append(Unavailable(slot, "closed", closure_reason=closure.reason))
        elif not is_open(room, slot.day, start, end):
            found.append(Unavailable(slot, "outside_hours"))
    return found
