"""Demo rooms: Pasvalys' sensory reading room (booked directly) and Jelgava's (bookings need approval).

Each room gets its opening hours, and each of the two tenants a closure on its next national holiday. Names and
descriptions are in the library's own language, as its staff would type them. `load_demo()` is idempotent: a
room is found by its name and left as it is; a closure is found by its date and reason.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.rooms.models import Closure, OpeningHours, Room, RoomFeature


@dataclass(frozen=True)
class DemoRoom:
    tenant_slug: str
    library: str
    name: str
    capacity: int
    description: str
    features: tuple[RoomFeature, ...]
    # weekday (0 = Monday) -> (opens, closes)
    hours: dict[int, tuple[time, time]]
    buffer_minutes: int
    min_notice_hours: int
    needs_approval: bool


TUESDAY_TO_FRIDAY_AND_SATURDAY = {**{day: (time(10), time(18)) for day in range(1, 5)}, 5: (time(10), time(15))}
MONDAY_TO_FRIDAY_AND_SATURDAY = {**{day: (time(9), time(17)) for day in range(5)}, 5: (time(10), time(14))}

PASVALYS_ROOM = DemoRoom(
    tenant_slug="pasvalys",
    library="Pasvalio Mariaus Katiliškio viešoji biblioteka",
    name="Sensorinė skaitykla",
    capacity=8,
    description=(
        "Rami, pritemdoma skaitykla antrame aukšte (liftas). Burbulų kolona, šviesolaidžiai, minkšti sėdmaišiai "
        "ir sunkios antklodės; knygos lengvai skaitomu tekstu ir garsinės knygos."
    ),
    features=(
        RoomFeature.BUBBLE_TUBE,
        RoomFeature.FIBRE_OPTICS,
        RoomFeature.ADJUSTABLE_LIGHTING,
        RoomFeature.WEIGHTED_BLANKETS,
        RoomFeature.SOFT_FURNISHINGS,
        RoomFeature.STEP_FREE_ACCESS,
        RoomFeature.WHEELCHAIR_SPACE,
        RoomFeature.ACCESSIBLE_TOILET,
    ),
    hours=TUESDAY_TO_FRIDAY_AND_SATURDAY,
    buffer_minutes=15,
    min_notice_hours=2,
    needs_approval=False,
)

JELGAVA_ROOM = DemoRoom(
    tenant_slug="jelgava",
    library="Jelgavas pilsētas bibliotēka",
    name="Sensorā lasītava",
    capacity=6,
    description=(
        "Klusa telpa bērnu literatūras nodaļā ar projektoru, skaņas sistēmu un taktilajiem paneļiem. "
        "Ieeja bez pakāpieniem, indukcijas cilpa un pacēlājs."
    ),
    features=(
        RoomFeature.PROJECTOR,
        RoomFeature.SOUND_SYSTEM,
        RoomFeature.TACTILE_PANELS,
        RoomFeature.QUIET_ZONE,
        RoomFeature.STEP_FREE_ACCESS,
        RoomFeature.HEARING_LOOP,
        RoomFeature.HOIST,
    ),
    hours=MONDAY_TO_FRIDAY_AND_SATURDAY,
    buffer_minutes=20,
    min_notice_hours=24,
    needs_approval=True,
)

DEMO_ROOMS = (PASVALYS_ROOM, JELGAVA_ROOM)

# Fixed-date public holidays, (month, day, reason as the library would write it).
NATIONAL_HOLIDAYS = {
    "LT": [
        (1, 1, "Naujųjų metų diena"),
        (2, 16, "Lietuvos valstybės atkūrimo diena"),
        (3, 11, "Lietuvos nepriklausomybės atkūrimo diena"),
        (5, 1, "Tarptautinė darbo diena"),
        (6, 24, "Joninės (Rasos)"),
        (7, 6, "Valstybės (Lietuvos karaliaus Mindaugo karūnavimo) diena"),
        (8, 15, "Žolinė"),
        (11, 1, "Visų šventųjų diena"),
        (11, 2, "Vėlinės"),
        (12, 24, "Kūčios"),
        (12, 25, "Kalėdos"),
        (12, 26, "Antroji Kalėdų diena"),
    ],
    "LV": [
        (1, 1, "Jaunais gads"),
        (5, 1, "Darba svētki"),
        (5, 4, "Latvijas Republikas Neatkarības atjaunošanas diena"),
        (6, 23, "Līgo diena"),
        (6, 24, "Jāņi"),
        (11, 18, "Latvijas Republikas proklamēšanas diena"),
        (12, 24, "Ziemassvētku vakars"),
        (12, 25, "Ziemassvētki"),
        (12, 26, "Otrie Ziemassvētki"),
        (12, 31, "Vecgada vakars"),
    ],
}

# The closure lies after the demo's fortnight of sessions, so it shows up in the series and in the calendar ahead.
CLOSURE_NOT_BEFORE = timedelta(days=14)


def next_holiday(country: str, after: date, open_weekdays: set[int]) -> tuple[date, str]:
    """The first national holiday on or after `after` that falls on a day the rooms open."""
    for year in (after.year, after.year + 1):
        for month, day, reason in NATIONAL_HOLIDAYS[country]:
            holiday = date(year, month, day)
            if holiday >= after and holiday.weekday() in open_weekdays:
                return holiday, reason
    raise LookupError(f"no holiday of {country} on an open day within a year of {after}")


def _room(spec: DemoRoom) -> Room:
    room = db.session.scalar(sa.select(Room).where(Room.name == spec.name))
    if room is None:
        room = Room(
            library=spec.library,
            name=spec.name,
            capacity=spec.capacity,
            description=spec.description,
            features=[feature.value for feature in spec.features],
            buffer_minutes=spec.buffer_minutes,
            min_notice_hours=spec.min_notice_hours,
            needs_approval=spec.needs_approval,
        )
        room.opening_hours = [OpeningHours(weekday=day, opens=opens, closes=closes) for day, (opens, closes) in spec.hours.items()]
        db.session.add(room)
        db.session.flush()
    return room


def _holiday_closure(tenant: Tenant, spec: DemoRoom, now: datetime) -> None:
    """Close every room of the tenant on its next national holiday."""
    holiday, reason = next_holiday(tenant.country.value, tenant.today(now) + CLOSURE_NOT_BEFORE, set(spec.hours))
    exists = db.session.scalar(sa.select(Closure.id).where(Closure.starts_on == holiday, Closure.reason == reason))
    if exists is None:
        db.session.add(Closure(room_id=None, starts_on=holiday, ends_on=holiday, reason=reason))
        db.session.flush()


def load_demo(now: datetime | None = None) -> None:
    """The demo rooms, their hours and a holiday closure per tenant; tenants of the platform demo only."""
    now = now or utcnow()
    for spec in DEMO_ROOMS:
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == spec.tenant_slug))
        if tenant is None:
            continue
        with tenant_scope(tenant):
            _room(spec)
            _holiday_closure(tenant, spec, now)
