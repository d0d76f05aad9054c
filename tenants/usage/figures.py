"""Usage figures of the sensory rooms, per room and month: sessions, hours booked against open hours, no-shows, visitors.

A month is a calendar month in the tenant's time zone: a session at 00:30 local time on the 1st counts in
that month. The month boundaries are computed here as UTC instants and the sessions are bucketed by one
CASE expression in one grouped query; open hours come from the opening hours and closures in Python.

Rounding rule: hours and percentages are Decimals rounded half-up to one decimal, each computed from the
exact minutes or counts (never from another rounded figure).

Across tenants (a project lead's view) every count from 1 to 4 is shown as "<5" (`SMALL_COUNT`), and a
no-show rate that would reveal such a count is withheld.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from bibnet.extensions import db
from bibnet.figures import small_count_hidden
from bibnet.tenancy.context import partners_of
from bibnet.tenants.bookings.labels import VISITOR_SHORT_LABELS
from bibnet.tenants.bookings.models import OCCUPYING, VISITOR_KINDS, Occurrence, Status
from bibnet.tenants.bookings.recurrence import to_local, to_utc
from bibnet.tenants.rooms.models import Closure, OpeningHours, Room

ONE_DECIMAL = Decimal("0.1")


def one_decimal(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def hours(minutes: int) -> Decimal:
    return one_decimal(Decimal(minutes) / 60)


def percent(part: int, whole: int) -> Decimal | None:
    return one_decimal(Decimal(part) * 100 / Decimal(whole)) if whole else None


# What is measured, in display order. `kind` says how a value is shown and whether it is suppressed across tenants.
COUNT, HOURS, PERCENT = "count", "hours", "percent"


@dataclass(frozen=True)
class Measure:
    key: str
    label: object  # a lazy string
    kind: str


MEASURES = (
    Measure("sessions_held", _l("Sessions held"), COUNT),
    Measure("sessions_booked", _l("Sessions booked"), COUNT),
    Measure("no_shows", _l("No-shows"), COUNT),
    Measure("no_show_rate", _l("No-show rate (%)"), PERCENT),
    Measure("hours_booked", _l("Hours booked"), HOURS),
    Measure("open_hours", _l("Open hours"), HOURS),
    Measure("utilisation", _l("Utilisation (%)"), PERCENT),
    *(Measure(kind, VISITOR_SHORT_LABELS[kind], COUNT) for kind in VISITOR_KINDS),
    Measure("visitors_total", _l("Visitors in all target groups"), COUNT),
)


def _no_visitors() -> dict[str, int]:
    return dict.fromkeys(VISITOR_KINDS, 0)


@dataclass
class Measures:
    """The figures of one room (or several summed) over one month (or several summed)."""

    sessions_held: int = 0  # completed
    sessions_booked: int = 0  # confirmed, completed or no-show: the sessions that held the room
    no_shows: int = 0
    minutes_booked: int = 0
    open_minutes: int = 0
    visitors: dict[str, int] = field(default_factory=_no_visitors)  # attended, per target group and carers

    def __add__(self, other: "Measures") -> "Measures":
        return Measures(
            sessions_held=self.sessions_held + other.sessions_held,
            sessions_booked=self.sessions_booked + other.sessions_booked,
            no_shows=self.no_shows + other.no_shows,
            minutes_booked=self.minutes_booked + other.minutes_booked,
            open_minutes=self.open_minutes + other.open_minutes,
            visitors={kind: self.visitors[kind] + other.visitors[kind] for kind in VISITOR_KINDS},
        )

    @property
    def no_show_rate(self) -> Decimal | None:
        """No-shows among the sessions that are over (held or no-show), in %; None when none is over."""
        return percent(self.no_shows, self.sessions_held + self.no_shows)

    @property
    def hours_booked(self) -> Decimal:
        return hours(self.minutes_booked)

    @property
    def open_hours(self) -> Decimal:
        return hours(self.open_minutes)

    @property
    def utilisation(self) -> Decimal | None:
        """Hours booked against open hours, in %; None when the room was not open."""
        return percent(self.minutes_booked, self.open_minutes)

    @property
    def visitors_total(self) -> int:
        return sum(count for kind, count in self.visitors.items() if kind != "carers")

    def value(self, key: str):
        return self.visitors[key] if key in self.visitors else getattr(self, key)

    def shown(self, measure: Measure, across_tenants: bool):
        """The value as a page, an export or the API shows it: suppressed when read across tenants."""
        value = self.value(measure.key)
        if not across_tenants:
            return value
        if measure.kind == COUNT:
            return small_count_hidden(value)
        if measure.key == "no_show_rate" and 1 <= self.no_shows <= 4:
            return None  # with the sessions held, the rate would give the hidden number of no-shows away
        return value


def total(measures) -> Measures:
    return sum(measures, Measures())


@dataclass(frozen=True)
class Period:
    """The days the figures cover, both included, in the tenant's local calendar."""

    first: date
    last: date

    def __post_init__(self):
        if self.first > self.last:
            raise ValueError("a period cannot end before it starts")

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def months(self) -> list[tuple[date, date]]:
        """The first and last day of each month of the period (the first and last month may be partial)."""
        months, start = [], self.first
        while start <= self.last:
            month_end = start.replace(day=1) + relativedelta(months=1) - timedelta(days=1)
            months.append((start, min(month_end, self.last)))
            start = month_end + timedelta(days=1)
        return months

    def boundaries(self, zone: str) -> list[datetime]:
        """The local midnight starting each month, and the one after the last day, as UTC instants."""
        starts = [first for first, _last in self.months] + [self.last + timedelta(days=1)]
        return [to_utc(day, time(0), zone) for day in starts]


@dataclass(frozen=True)
class MonthFigures:
    first: date
    last: date
    measures: Measures

    @property
    def month(self) -> date:
        return self.first.replace(day=1)


@dataclass(frozen=True)
class RoomFigures:
    room_id: int
    tenant_id: int
    name: str
    library: str
    months: list[MonthFigures]

    @property
    def total(self) -> Measures:
        return total(month.measures for month in self.months)


@dataclass(frozen=True)
class UsageFigures:
    """A tenant's rooms, each month by month, and the months summed over the rooms."""

    period: Period
    rooms: list[RoomFigures]

    @property
    def months(self) -> list[MonthFigures]:
        return sum_months(self.period, self.rooms)

    @property
    def total(self) -> Measures:
        return total(room.total for room in self.rooms)


@dataclass(frozen=True)
class PartnerFigures:
    """One partner of a project: its code (LP1, PP2...), its tenant and its rooms' figures summed per month."""

    code: str
    tenant_name: str
    months: list[MonthFigures]

    @property
    def total(self) -> Measures:
        return total(month.measures for month in self.months)


@dataclass(frozen=True)
class ProjectFigures:
    period: Period
    partners: list[PartnerFigures]

    @property
    def total(self) -> Measures:
        return total(partner.total for partner in self.partners)


def sum_months(period: Period, rooms) -> list[MonthFigures]:
    return [
        MonthFigures(first, last, total(room.months[index].measures for room in rooms))
        for index, (first, last) in enumerate(period.months)
    ]


class minutes_between(FunctionElement):
    """Whole minutes from the first timestamp to the second. Only SQLite and PostgreSQL are supported."""

    type = sa.Integer()
    inherit_cache = True
    name = "minutes_between"


@compiles(minutes_between, "sqlite")
def _minutes_between_on_sqlite(element, compiler, **kw):
    start, end = (compiler.process(argument, **kw) for argument in element.clauses)
    return f"CAST(ROUND((julianday({end}) - julianday({start})) * 1440) AS INTEGER)"


@compiles(minutes_between, "postgresql")
def _minutes_between_on_postgresql(element, compiler, **kw):
    start, end = (compiler.process(argument, **kw) for argument in element.clauses)
    return f"CAST(ROUND(EXTRACT(EPOCH FROM ({end} - {start})) / 60) AS INTEGER)"


def _session_counts(period: Period, zones: dict[int, str]) -> dict[tuple[int, int], Measures]:
    """(room id, month index) → the session figures, in ONE grouped query over the tenants in `zones`.

    Each tenant's months start at its own local midnight; tenants sharing a time zone share boundaries.
    """
    tenants_by_zone: dict[str, list[int]] = defaultdict(list)
    for tenant_id, zone in zones.items():
        tenants_by_zone[zone].append(tenant_id)
    one_zone = len(tenants_by_zone) == 1
    starts_at = Occurrence.starts_at
    buckets, in_period = [], []
    for zone, tenant_ids in tenants_by_zone.items():
        in_zone = sa.true() if one_zone else Occurrence.tenant_id.in_(tenant_ids)
        bounds = period.boundaries(zone)
        in_period.append(sa.and_(in_zone, starts_at >= bounds[0], starts_at < bounds[-1]))
        buckets += [(sa.and_(in_zone, starts_at >= low, starts_at < high), index) for index, (low, high) in enumerate(pairwise(bounds))]
    sessions = (
        sa.select(
            Occurrence.room_id,
            sa.case(*buckets).label("month"),
            Occurrence.status,
            minutes_between(Occurrence.starts_at, Occurrence.ends_at).label("minutes"),
            *(sa.func.coalesce(getattr(Occurrence, f"attended_{kind}"), 0).label(kind) for kind in VISITOR_KINDS),
        )
        .where(Occurrence.status.in_(OCCUPYING), sa.or_(*in_period))
        .subquery()
    )

    def sessions_in(status: Status):
        return sa.func.sum(sa.case((sessions.c.status == status.value, 1), else_=0))

    # Grouped by the subquery's column: PostgreSQL cannot match a CASE with bound parameters in GROUP BY.
    rows = db.session.execute(
        sa.select(
            sessions.c.room_id,
            sessions.c.month,
            sessions_in(Status.COMPLETED),
            sa.func.count(),
            sessions_in(Status.NO_SHOW),
            sa.func.sum(sessions.c.minutes),
            *(sa.func.sum(getattr(sessions.c, kind)) for kind in VISITOR_KINDS),
        ).group_by(sessions.c.room_id, sessions.c.month)
    )
    return {
        (room_id, month): Measures(
            sessions_held=int(held),
            sessions_booked=int(booked),
            no_shows=int(no_shows),
            minutes_booked=int(minutes or 0),
            visitors={kind: int(count or 0) for kind, count in zip(VISITOR_KINDS, visitors, strict=True)},
        )
        for room_id, month, held, booked, no_shows, minutes, *visitors in rows
    }


def _minute_of_day(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _open_minutes(period: Period, rooms) -> dict[tuple[int, int], int]:
    """(room id, month index) → minutes the room is open: its weekly hours over the month's days, less closures.

    Opening hours are wall-clock times, so a day of a daylight saving switch counts the hours on the door.
    """
    weekly: dict[int, list[int]] = defaultdict(lambda: [0] * 7)
    for opening in db.session.scalars(sa.select(OpeningHours)):
        weekly[opening.room_id][opening.weekday] += _minute_of_day(opening.closes) - _minute_of_day(opening.opens)
    closed_room: dict[int, set[date]] = defaultdict(set)
    closed_tenant: dict[int, set[date]] = defaultdict(set)  # closures without a room close all of a tenant's rooms
    for closure in db.session.scalars(sa.select(Closure).where(Closure.starts_on <= period.last, Closure.ends_on >= period.first)):
        # Only the closure's days within the period: a closure may be years long, the figures cover one year.
        first, last = max(closure.starts_on, period.first), min(closure.ends_on, period.last)
        days = {first + timedelta(days=n) for n in range((last - first).days + 1)}
        if closure.room_id is None:
            closed_tenant[closure.tenant_id] |= days
        else:
            closed_room[closure.room_id] |= days
    result = {}
    for room in rooms:
        week = weekly[room.id]
        shut = closed_room[room.id] | closed_tenant[room.tenant_id]
        for index, (first, last) in enumerate(period.months):
            days = (first + timedelta(days=n) for n in range((last - first).days + 1))
            result[room.id, index] = sum(week[day.weekday()] for day in days if day not in shut)
    return result


def _room_figures(period: Period, zones: dict[int, str]) -> list[RoomFigures]:
    """Every room visible in the current scope (one tenant, or a project's partners), month by month.

    Four queries whatever the data size. Rooms no longer in use are listed only when they have sessions in the period.
    """
    rooms = db.session.execute(sa.select(Room.id, Room.tenant_id, Room.name, Room.library, Room.active).order_by(Room.library, Room.name)).all()
    sessions = _session_counts(period, zones)
    open_minutes = _open_minutes(period, rooms)
    figures = []
    for room in rooms:
        months = []
        for index, (first, last) in enumerate(period.months):
            measures = sessions.get((room.id, index), Measures())
            measures.open_minutes = open_minutes[room.id, index]
            months.append(MonthFigures(first, last, measures))
        if room.active or any((room.id, index) in sessions for index in range(len(months))):
            figures.append(RoomFigures(room.id, room.tenant_id, room.name, room.library, months))
    return figures


def tenant_usage(tenant, period: Period) -> UsageFigures:
    """The current tenant's figures (the tenant guard limits every query to it)."""
    return UsageFigures(period, _room_figures(period, {tenant.id: tenant.timezone}))


def project_usage(project, period: Period) -> ProjectFigures:
    """Every partner's figures, summed over its rooms, read across the partners with `partners_of`."""
    partners = list(project.partners)
    with partners_of(project, reason=f"usage figures of the sensory rooms, {period.first} to {period.last}"):
        rooms = _room_figures(period, {partner.tenant_id: partner.tenant.timezone for partner in partners})
    return ProjectFigures(
        period,
        [
            PartnerFigures(partner.code, partner.tenant.name, sum_months(period, [r for r in rooms if r.tenant_id == partner.tenant_id]))
            for partner in partners
        ],
    )


def totals_by_tenant(period: Period, tenants) -> dict[int, Measures]:
    """Each tenant's figures summed over its rooms (the tenants visible in the current scope), in four queries."""
    rooms = _room_figures(period, {tenant.id: tenant.timezone for tenant in tenants})
    totals: dict[int, Measures] = defaultdict(Measures)
    for room in rooms:
        totals[room.tenant_id] = totals[room.tenant_id] + room.total
    return dict(totals)


def years_with_sessions(zone: str) -> tuple[int, int] | None:
    """The first and last year with a session in the current scope, for the year selector."""
    first, last = db.session.execute(sa.select(sa.func.min(Occurrence.starts_at), sa.func.max(Occurrence.starts_at))).one()
    return (to_local(first, zone).year, to_local(last, zone).year) if first is not None else None
