"""Demo bookings: a weekly seniors' club in Pasvalys, and a fortnight of sessions in both demo rooms.

Everything is dated around the day the demo is loaded: sessions of the past seven days ran (attendance is
recorded; now and then a group did not come), those of the next seven days are confirmed, and Jelgava's room, which needs
approval, has one open request. Every booking goes through `services` with `now` set to when it would have been
made, so the demo obeys the same rules as real bookings. Organisers' contacts (fictional, at example.org) are
added once a booking is made, so loading the demo mails no organiser. A room that has any booking is left alone,
so loading the demo again adds nothing.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings import rules, services
from bibnet.tenants.bookings.models import VISITOR_KINDS, Activity, Booking, Occurrence, Status
from bibnet.tenants.bookings.recurrence import Frequency
from bibnet.tenants.bookings.rules import BookingInput
from bibnet.tenants.rooms.demo import JELGAVA_ROOM, PASVALYS_ROOM, DemoRoom
from bibnet.tenants.rooms.models import Room


@dataclass(frozen=True)
class Session:
    """What a demo session is about; its date and time come from the room's plan."""

    title: str
    activity: Activity
    expected: dict[str, int]
    organiser_name: str | None = None
    organiser_contact: str | None = None


@dataclass(frozen=True)
class RoomPlan:
    room: DemoRoom
    # Session times on weekdays and on Saturdays; a time the room is not open that day is left out.
    weekday_times: tuple[tuple[time, time], ...]
    saturday_times: tuple[tuple[time, time], ...]
    sessions: tuple[Session, ...]
    club: Session | None = None
    club_times: tuple[time, time] | None = None
    request: Session | None = None
    request_times: tuple[time, time] | None = None


PASVALYS = RoomPlan(
    room=PASVALYS_ROOM,
    weekday_times=((time(13), time(14)), (time(15), time(16, 30))),
    saturday_times=((time(11), time(12, 30)),),
    sessions=(
        Session("Sensorinis užsiėmimas", Activity.SENSORY_SESSION, {"intellectual": 4, "carers": 2},
                "Dienos centras „Šypsena“", "centras.sypsena@example.org"),
        Session("Ramybės valanda", Activity.SENSORY_SESSION, {"psychosocial": 3, "seniors": 1, "carers": 1}),
        Session("Garsiniai skaitymai", Activity.EVENT, {"visual": 4, "seniors": 2, "carers": 1},
                "Regos negalią turinčių bendrija „Šviesa“", "sviesa.bendrija@example.org"),
        Session("Šeimų konsultacija", Activity.CONSULTATION, {"physical": 1, "carers": 2}),
    ),
    club=Session("Senjorų klubas „Sidabrinė gija“", Activity.CLUB, {"seniors": 6, "carers": 1},
                 "Pasvalio senjorų draugija", "sidabrine.gija@example.org"),
    club_times=(time(10), time(11, 30)),
)

JELGAVA = RoomPlan(
    room=JELGAVA_ROOM,
    weekday_times=((time(10), time(11)), (time(14), time(15, 30))),
    saturday_times=((time(11), time(12)),),
    sessions=(
        Session("Sensorā nodarbība bērniem", Activity.SENSORY_SESSION, {"intellectual": 3, "carers": 2},
                "Biedrība „Saules stari“", "saules.stari@example.org"),
        Session("Klusā stunda senioriem", Activity.SENSORY_SESSION, {"seniors": 4, "hearing": 1}),
        Session("Pasaku rīts zīmju valodā", Activity.EVENT, {"hearing": 3, "carers": 2},
                "Zīmju valodas pulciņš „Rokas runā“", "rokas.runa@example.org"),
        Session("Bibliotekāru apmācība", Activity.TRAINING, {"other": 5}),
    ),
    request=Session("Iepazīšanās vizīte", Activity.SENSORY_SESSION, {"psychosocial": 3, "carers": 2},
                    "Ģimeņu atbalsta biedrība „Kopā“", "kopa.gimenes@example.org"),
    request_times=(time(16), time(16, 45)),
)

PLANS = (PASVALYS, JELGAVA)

CLUB_WEEKS_BEFORE, CLUB_SESSIONS = 5, 12  # a Tuesday club that began five weeks ago and runs twelve weeks
FORTNIGHT = range(-7, 8)  # days around today with sessions
BOOKED_AHEAD = timedelta(days=14)  # when the demo sessions were booked, counted back from today
EVERY_NTH_IS_NO_SHOW = 6


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _input(room: Room, responsible: User, session: Session, day: date, start: time, end: time, **rule) -> BookingInput:
    return BookingInput(
        room_id=room.id,
        activity=session.activity,
        title=session.title,
        responsible_id=responsible.id,
        first_date=day,
        start_time=start,
        end_time=end,
        expected=dict(session.expected),
        organiser_name=session.organiser_name,
        **rule,
    )


def _book(session: Session, request: BookingInput, by: User, confirm: bool, now: datetime, skip_unavailable: bool = False) -> Booking:
    """Book through the services, then add the organiser's contact: confirmations go to no demo organiser."""
    booking = services.create_booking(request, by, confirm=confirm, skip_unavailable=skip_unavailable, now=now)
    if session.organiser_contact:
        services.change_details(booking, organiser_contact=session.organiser_contact)
    return booking


def _attendance(expected: dict[str, int], n: int, may_not_come: bool) -> dict[str, int] | None:
    """Who came to the n-th past session: near the expected counts; now and then nobody (a no-show)."""
    if may_not_come and n % EVERY_NTH_IS_NO_SHOW == EVERY_NTH_IS_NO_SHOW - 1:
        return None
    came = {kind: max(0, count + (n + index) % 3 - 1) for index, (kind, count) in enumerate(expected.items()) if count}
    if not sum(came.values()):
        came[next(iter(expected))] = 1
    return {kind: came.get(kind, 0) for kind in VISITOR_KINDS}


def _record_past(occurrences: list[Occurrence], expected: dict[str, int], now: datetime, n: int, may_not_come: bool = True) -> int:
    """Record attendance of the sessions that have ended, some minutes after each; returns the next n."""
    for occurrence in occurrences:
        if occurrence.status is Status.CONFIRMED and occurrence.ends_at <= now:
            recorded_at = min(occurrence.ends_at + timedelta(minutes=20), now)
            services.record_attendance(occurrence, _attendance(expected, n, may_not_come), now=recorded_at)
            n += 1
    return n


def _open_slots(room: Room, days: list[date], times_of) -> list[tuple[date, time, time]]:
    """The times `times_of(day)` on `days` when the room is open and not closed."""
    closures = services.closures_between(room, days[0], days[-1])
    return [
        (day, start, end)
        for day in days
        if rules.closure_on(closures, room, day) is None
        for start, end in times_of(day)
        if rules.is_open(room, day, start, end)
    ]


def _book_club(plan: RoomPlan, room: Room, staff: User, coordinator: User, today: date, now: datetime) -> None:
    this_tuesday = today - timedelta(days=today.weekday()) + timedelta(days=1)
    first = this_tuesday - timedelta(weeks=CLUB_WEEKS_BEFORE)
    start, end = plan.club_times
    request = _input(room, staff, plan.club, first, start, end, frequency=Frequency.WEEKLY, weekdays=frozenset({1}), count=CLUB_SESSIONS)
    booked_at = rules.slot_for(first, start, end, room, services.zone_of(room.tenant_id)).starts_at - timedelta(days=7)
    # A holiday closure may fall on a Tuesday: that date is kept as skipped, the others are booked.
    booking = _book(plan.club, request, coordinator, confirm=True, now=booked_at, skip_unavailable=True)
    _record_past(booking.occurrences, plan.club.expected, now, 0, may_not_come=False)  # the club always meets


def _book_fortnight(plan: RoomPlan, room: Room, staff: User, coordinator: User, today: date, now: datetime) -> None:
    n = 0
    booked_at = now - BOOKED_AHEAD
    days = [today + timedelta(days=offset) for offset in FORTNIGHT]
    slots = _open_slots(room, days, lambda day: plan.saturday_times if day.weekday() == 5 else plan.weekday_times)
    for index, (day, start, end) in enumerate(slots):
        session = plan.sessions[index % len(plan.sessions)]
        booking = _book(session, _input(room, staff, session, day, start, end), coordinator, confirm=True, now=booked_at)
        n = _record_past(booking.occurrences, session.expected, now, n)


def _book_request(plan: RoomPlan, room: Room, staff: User, today: date, now: datetime) -> None:
    """An organiser's request, two to eight days ahead, waiting for the coordinator's approval."""
    days = [today + timedelta(days=offset) for offset in range(2, 9)]
    day, start, end = _open_slots(room, days, lambda day: [plan.request_times])[0]
    _book(plan.request, _input(room, staff, plan.request, day, start, end), staff, confirm=False, now=now - BOOKED_AHEAD)


def load_demo(now: datetime | None = None) -> None:
    """Bookings of the demo rooms, dated around `now`; rooms that already have bookings are left alone."""
    now = now or utcnow()
    db.session.commit()  # a refused booking rolls the session back: keep what the demo loaded before
    for plan in PLANS:
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == plan.room.tenant_slug))
        if tenant is None:
            continue
        with tenant_scope(tenant):
            room = db.session.scalar(sa.select(Room).where(Room.name == plan.room.name))
            if room is None or db.session.scalar(sa.select(Booking.id).where(Booking.room_id == room.id).limit(1)) is not None:
                continue
            staff, coordinator = _user(f"staff@{tenant.slug}.example"), _user(f"coordinator@{tenant.slug}.example")
            today = tenant.today(now)
            if plan.club:
                _book_club(plan, room, staff, coordinator, today, now)
            _book_fortnight(plan, room, staff, coordinator, today, now)
            if plan.request:
                _book_request(plan, room, staff, today, now)
            db.session.commit()
