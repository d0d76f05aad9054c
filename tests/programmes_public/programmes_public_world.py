"""Programmes for the public side's tests: made through the models, as staff pages would leave them."""
from datetime import UTC, datetime, time, timedelta

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.bookings import services as bookings
from bibnet.tenants.programmes.models import Place, Programme, ProgrammeKind, ProgrammeSession

from conftest import booking_input, monday_in


def make_programme(tenant, title="Seniors' club", capacity=10, public=True, sessions=2, place=Place.ADDRESS, **fields) -> Programme:
    """A programme of `tenant` with `sessions` weekly sessions from next week's Wednesday at 10:00 UTC, at an address."""
    with tenant_scope(tenant):
        programme = Programme(
            kind=fields.pop("kind", ProgrammeKind.CLUB), title=fields.pop("title_texts", {"en": title, "lv": f"{title} (lv)", "lt": f"{title} (lt)"}),
            description=fields.pop("description", {"en": f"About {title}."}), target_groups=fields.pop("target_groups", ["seniors"]),
            capacity=capacity, public=public, **fields,
        )
        db.session.add(programme)
        db.session.flush()
        first = datetime.combine(monday_in(1) + timedelta(days=2), time(10), tzinfo=UTC)
        for number in range(sessions):
            starts = first + timedelta(weeks=number)
            db.session.add(ProgrammeSession(
                programme_id=programme.id, starts_at=starts, ends_at=starts + timedelta(hours=1, minutes=30), place=place,
                address="Pasta iela 37, Jelgava" if place is Place.ADDRESS else "", online_url="https://meet.example/club" if place is Place.ONLINE else "",
            ))
        db.session.commit()
        return programme


def add_room_session(programme, tenant, room, staff, weeks=1) -> ProgrammeSession:
    """A session of `programme` in `room`, booked through the bookings feature (Tuesday 14:00–15:00 local time)."""
    with tenant_scope(tenant):
        booking = bookings.create_booking(booking_input(room, staff, monday_in(weeks) + timedelta(days=1), time(14), time(15), title="Club in the room"), staff, confirm=True)
        occurrence = booking.occurrences[0]
        session = ProgrammeSession(programme_id=programme.id, starts_at=occurrence.starts_at, ends_at=occurrence.ends_at, place=Place.ROOM, occurrence_id=occurrence.id)
        db.session.add(session)
        db.session.commit()
        return session
