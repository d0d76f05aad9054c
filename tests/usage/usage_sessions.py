"""Sessions with attendance for the usage tests: booked as on New Year's Day 2025, recorded after they ended."""
from datetime import UTC, date, datetime, time

import pytest

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.bookings import services

from conftest import booking_input

BOOKED_ON = datetime(2025, 1, 1, tzinfo=UTC)
MARCH = 2  # the index of March in the months of a year


def session(tenant, room, staff, day, start, end, attended=None, no_show=False, confirm=True):
    """One session in `room`; `attended` (counts per target group) or `no_show` records its attendance."""
    with tenant_scope(tenant):
        booking = services.create_booking(booking_input(room, staff, day, start, end), staff, confirm=confirm, now=BOOKED_ON)
        occurrence = booking.occurrences[0]
        if attended is not None or no_show:
            services.record_attendance(occurrence, None if no_show else attended, now=occurrence.ends_at)
        db.session.commit()
        return occurrence


@pytest.fixture
def used_room(world, make_room):
    """Jelgava's room in March 2025: 3 sessions held (6 seniors, 2 carers) and 1 no-show, 1 hour each."""
    room = make_room(world.jelgava, "=Sensory room")  # a name a spreadsheet would take for a formula
    for day in (3, 4, 5):
        session(world.jelgava, room, world.staff, date(2025, 3, day), time(10), time(11), attended={"seniors": 2, "carers": 1 if day < 5 else 0})
    session(world.jelgava, room, world.staff, date(2025, 3, 6), time(10), time(11), no_show=True)
    return room


@pytest.fixture
def partner_rooms(world, used_room, make_room):
    """Pasvalys' room with 6 sessions held in March 2025 (6 visual, 3 carers), and Jelgava's `used_room`."""
    room = make_room(world.pasvalys, "Sensorinis kambarys")
    for day in (3, 4, 5, 6, 7, 10):
        session(world.pasvalys, room, world.other_staff, date(2025, 3, day), time(10), time(11), attended={"visual": 1, "carers": 1 if day < 6 else 0})
    return room
