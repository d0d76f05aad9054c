"""The benchmark's data: a tenant with 50 busy sensory rooms and 100,000 sessions, and a second, smaller tenant.

Tenants, users and rooms are made through the models, as the app makes them. Bookings and occurrences are
written with COPY: one booking per session, sessions of 45 to 75 minutes on a 90-minute grid from 08:00 to
20:00 local time, so that with the 15-minute cleaning buffer no two overlap and the exclusion constraint accepts
them all. The history runs back about ten months and four weeks ahead; past sessions carry attendance. Between
20:00 and 21:00 every room is free: the create-booking measurements book there.
"""
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
import random
from zoneinfo import ZoneInfo

from flask import current_app
import sqlalchemy as sa

from bibnet.accounts import services as account_services
from bibnet.accounts.models import Membership, Role, User
from bibnet.accounts.passwords import hash_password
from bibnet.db import owner_engine
from bibnet.extensions import db
from bibnet.tenancy.context import raw_sql, tenant_scope
from bibnet.tenancy.models import Country, Tenant
from bibnet.tenants.bookings.models import VISITOR_KINDS, Activity, Status
from bibnet.tenants.rooms.models import OpeningHours, Room

PASSWORD = "bench-password"
ZONE = "Europe/Riga"
OPENS, CLOSES = time(8), time(21)
GRID_START, GRID_MINUTES, GRID_SLOTS = time(8), 90, 8  # sessions may start at 08:00, 09:30, … 18:30
SLOT_TAKEN = 0.82  # share of grid slots booked: about 46 sessions per room and week, as in MRBS' data set
DURATIONS = (45, 60, 75)
BUFFER_MINUTES = 15
WEEKS_AHEAD = 4
FREE_FROM, FREE_UNTIL = time(20), time(20, 45)  # always free: where the measured bookings go

TITLES = ("Sensory session", "Tuesday club", "Quiet hour", "Story time in sign language", "Staff training", "Family visit")

BOOKING_COLUMNS = (
    "id", "tenant_id", "room_id", "activity", "title", "responsible_id", "created_by_id", "organiser_name",
    "organiser_contact", *(f"expected_{kind}" for kind in VISITOR_KINDS), "internal_note", "frequency", "interval",
    "weekdays", "first_date", "last_date", "start_time", "end_time", "created_at",
)
OCCURRENCE_COLUMNS = (
    "id", "tenant_id", "booking_id", "room_id", "starts_at", "ends_at", "blocked_until", "original_starts_at",
    "status", "status_reason", *(f"attended_{kind}" for kind in VISITOR_KINDS), "attendance_recorded_at",
)


@dataclass
class BenchTenant:
    slug: str
    tenant_id: int
    coordinator_id: int
    coordinator_email: str
    room_ids: list[int]
    api_token: str
    first_day: date | None = None  # of the generated sessions (local days)
    last_day: date | None = None


def _tenant_with_rooms(slug: str, name: str, rooms: int, password_hash: str) -> BenchTenant:
    tenant = Tenant(slug=slug, name=name, country=Country.LV, default_locale="en", timezone=ZONE)
    email = f"coordinator@{slug}.example"
    user = User(email=email, name=f"{name} coordinator", password_hash=password_hash)
    db.session.add_all([tenant, user])
    db.session.flush()
    with tenant_scope(tenant):
        db.session.add(Membership(user_id=user.id, role=Role.COORDINATOR))
        created = []
        for number in range(1, rooms + 1):
            room = Room(
                library=f"{name} library {1 + (number - 1) // 10}", name=f"Sensory room {number:02d}", capacity=12,
                buffer_minutes=BUFFER_MINUTES, max_advance_days=366, max_duration_minutes=180,
            )
            room.opening_hours = [OpeningHours(weekday=day, opens=OPENS, closes=CLOSES) for day in range(7)]
            created.append(room)
        db.session.add_all(created)
        db.session.flush()
    token = account_services.issue_api_token(user, "benchmark")
    db.session.commit()
    return BenchTenant(slug, tenant.id, user.id, email, [room.id for room in created], token)


def _sessions_of_room(rng: random.Random, quota: int, today: date):
    """(local day, start, minutes) of `quota` sessions on the grid, ending about WEEKS_AHEAD weeks after today."""
    per_day = GRID_SLOTS * SLOT_TAKEN
    day = today + timedelta(weeks=WEEKS_AHEAD) - timedelta(days=int(quota / per_day))
    sessions = []
    while len(sessions) < quota:
        for slot in range(GRID_SLOTS):
            if len(sessions) < quota and rng.random() < SLOT_TAKEN:
                start = (datetime.combine(day, GRID_START) + timedelta(minutes=slot * GRID_MINUTES)).time()
                sessions.append((day, start, rng.choice(DURATIONS)))
        day += timedelta(days=1)
    return sessions


def _status(rng: random.Random, ends_at: datetime, now: datetime) -> Status:
    draw = rng.random()
    if draw < 0.05:
        return Status.CANCELLED
    if ends_at <= now:
        return Status.NO_SHOW if draw < 0.10 else Status.COMPLETED
    return Status.REQUESTED if draw < 0.07 else Status.CONFIRMED


def _rows(bench: BenchTenant, occurrences: int, now: datetime, first_id: int, rng: random.Random):
    zone = ZoneInfo(ZONE)
    today = now.astimezone(zone).date()
    per_room = [occurrences // len(bench.room_ids) + (1 if i < occurrences % len(bench.room_ids) else 0) for i in range(len(bench.room_ids))]
    bookings, sessions = [], []
    next_id = first_id
    for room_id, quota in zip(bench.room_ids, per_room, strict=True):
        for day, start, minutes in _sessions_of_room(rng, quota, today):
            starts_at = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
            ends_at = starts_at + timedelta(minutes=minutes)
            end = (datetime.combine(day, start) + timedelta(minutes=minutes)).time()
            expected = dict.fromkeys(VISITOR_KINDS, 0)
            expected[rng.choice(VISITOR_KINDS[:-1])] = rng.randint(2, 6)
            expected["carers"] = rng.randint(0, 2)
            status = _status(rng, ends_at, now)
            attended = [None] * len(VISITOR_KINDS)
            recorded_at = None
            if status is Status.COMPLETED:
                attended = [max(0, expected[kind] - rng.randint(0, 1)) if expected[kind] else 0 for kind in VISITOR_KINDS]
                attended[-1] += 1  # at least somebody came
                recorded_at = ends_at + timedelta(minutes=30)
            elif status is Status.NO_SHOW:
                attended, recorded_at = [0] * len(VISITOR_KINDS), ends_at + timedelta(minutes=30)
            bookings.append((
                next_id, bench.tenant_id, room_id, rng.choice(list(Activity)).value, rng.choice(TITLES), bench.coordinator_id,
                bench.coordinator_id, None, None, *expected.values(), "", "once", 1, "", day, day, start, end,
                starts_at - timedelta(days=14),
            ))
            sessions.append((
                next_id, bench.tenant_id, next_id, room_id, starts_at, ends_at, ends_at + timedelta(minutes=BUFFER_MINUTES),
                starts_at, status.value, "", *attended, recorded_at,
            ))
            next_id += 1
            bench.first_day = min(bench.first_day or day, day)
            bench.last_day = max(bench.last_day or day, day)
    return bookings, sessions


def _copy(connection, table: str, columns: tuple[str, ...], rows) -> None:
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _bulk_insert(bench: BenchTenant, occurrences: int, now: datetime, rng: random.Random) -> None:
    """COPY, as the tables' owner (the benchmark's database URL): row-level security would refuse it to the app's role."""
    with raw_sql(reason="benchmark data: bookings and sessions loaded with COPY"):
        first_id = (db.session.scalar(sa.text("SELECT coalesce(max(id), 0) FROM booking")) or 0) + 1
        bookings, sessions = _rows(bench, occurrences, now, first_id, rng)
        connection = db.session.connection().connection.dbapi_connection
        _copy(connection, "booking", BOOKING_COLUMNS, bookings)
        _copy(connection, "occurrence", OCCURRENCE_COLUMNS, sessions)
        for table in ("booking", "occurrence"):
            db.session.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    db.session.commit()


def build(rooms: int, occurrences: int, other_rooms: int, other_occurrences: int, now: datetime, seed: int = 3) -> tuple[BenchTenant, BenchTenant]:
    """The measured tenant and a second one whose rows every query must leave out. Needs an app context."""
    rng = random.Random(seed)
    password_hash = hash_password(PASSWORD)
    main = _tenant_with_rooms("bench", "Bench Municipality", rooms, password_hash)
    other = _tenant_with_rooms("bench-other", "Other Municipality", other_rooms, password_hash)
    _bulk_insert(main, occurrences, now, rng)
    _bulk_insert(other, other_occurrences, now, rng)
    with owner_engine(current_app).connect() as connection:  # VACUUM skips the tables a role does not own
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
    return main, other
