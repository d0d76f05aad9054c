"""Demo programmes: Pasvalys' weekly seniors' club in its sensory room (public, 12 places, full, two waiting,
attendance marked for the sessions already held), Jelgava's computer-literacy class series in the library's
computer class, and the project's cross-border closing conference organised by Pasvalys with Jelgava and
Augšdaugava.

The club's sessions are the weekly club booking the bookings demo made in Pasvalys' room (its occurrences),
or booked here through the bookings services when there is none. Everything goes through `services` and
`registrations`, so the demo obeys the same rules. Participants are fictional (example.org). A tenant that
has any programme is left alone, so loading the demo again adds nothing.
"""
from datetime import date, time, timedelta

import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings.demo import PASVALYS as PASVALYS_ROOM_PLAN
from bibnet.tenants.bookings.models import OPEN, Booking, Status
from bibnet.tenants.programmes import registrations, services
from bibnet.tenants.programmes.models import Mark, Place, Programme, ProgrammeKind, ProgrammeSession
from bibnet.tenants.programmes.registrations import RegistrationRequest
from bibnet.tenants.rooms.models import Room

CLUB_MEMBERS = (
    ("Ona Petrauskienė", "+370 600 10001", ""), ("Jonas Kazlauskas", "+370 600 10002", "jonas.k@example.org"),
    ("Aldona Jankauskienė", "+370 600 10003", ""), ("Petras Stankevičius", "", "petras.s@example.org"),
    ("Genovaitė Vasiliauskienė", "+370 600 10005", ""), ("Antanas Žukauskas", "+370 600 10006", ""),
    ("Danutė Butkienė", "+370 600 10007", "danute.b@example.org"), ("Vytautas Paulauskas", "+370 600 10008", ""),
    ("Birutė Urbonienė", "+370 600 10009", ""), ("Stasys Kavaliauskas", "+370 600 10010", ""),
)
CLUB_WAITING = (("Regina Navickienė", "+370 600 10011", "regina.n@example.org"), ("Algirdas Ramanauskas", "+370 600 10012", ""))
CLASS_LEARNERS = (
    ("Ilga Ozola", "+371 2000 1001", "ilga.o@example.org"), ("Valdis Liepiņš", "+371 2000 1002", ""),
    ("Skaidrīte Kalniņa", "+371 2000 1003", ""), ("Gunārs Zariņš", "", "gunars.z@example.org"),
    ("Ausma Krūmiņa", "+371 2000 1005", ""), ("Rihards Vītols", "+371 2000 1006", ""),
)


def _tenant(slug: str) -> Tenant | None:
    return db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))


def _staff(slug: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == f"staff@{slug}.example"))


def _register_people(programme: Programme, people, locale: str, companions_of_first: int = 0) -> None:
    for number, (name, phone, email) in enumerate(people):
        registrations.register(programme, RegistrationRequest(name=name, phone=phone, email=email, companions=companions_of_first if number == 0 else 0, locale=locale))


def _mark_past(programme: Programme, group: str, now) -> None:
    """Every held session's roster: most came, one excused now and then, and the counts per target group."""
    on_roster = services.roster_registrations(programme)
    past = db.session.scalars(
        sa.select(ProgrammeSession).where(ProgrammeSession.programme_id == programme.id, ProgrammeSession.starts_at < now, ProgrammeSession.cancelled_at.is_(None))
        .order_by(ProgrammeSession.starts_at)
    ).all()
    for index, session in enumerate(past):
        marks = {registration.id: (Mark.EXCUSED if (number + index) % 6 == 0 else Mark.ABSENT if (number + index) % 9 == 0 else Mark.PRESENT) for number, registration in enumerate(on_roster)}
        came = sum(registration.places for registration in on_roster if marks[registration.id] is Mark.PRESENT)
        # Marked as the session ended, as staff would: the room's attendance is then recorded on time too.
        services.record_roster(session, services.RosterInput(marks=marks, attended={group: came}), now=session.ends_at + timedelta(minutes=10))


def _club_occurrences(room: Room):
    booking = db.session.scalar(sa.select(Booking).where(Booking.room_id == room.id, Booking.title == PASVALYS_ROOM_PLAN.club.title))
    if booking is None:
        return []
    return [occurrence for occurrence in booking.occurrences if occurrence.status in (*OPEN, Status.COMPLETED, Status.NO_SHOW)]


def _pasvalys_club(staff: User, today: date, now) -> None:
    programme = services.save_programme(services.ProgrammeInput(
        kind=ProgrammeKind.CLUB,
        title={"lt": "Senjorų klubas „Sidabrinė gija“", "en": "Silver Thread seniors' club", "lv": "Senioru klubs “Sudraba pavediens”"},
        description={
            "lt": "Kas antradienį – pokalbiai, garsiniai skaitymai ir ramybės valanda sensorinėje skaitykloje.",
            "en": "Every Tuesday: conversation, reading aloud and a quiet hour in the sensory reading room.",
        },
        target_groups=["seniors"], organiser_id=staff.id, capacity=12, public=True, registration_open=True,
    ))
    room = db.session.scalar(sa.select(Room).where(Room.active).order_by(Room.id))
    occurrences = _club_occurrences(room) if room is not None else []
    if occurrences:
        db.session.add_all([
            ProgrammeSession(programme_id=programme.id, starts_at=o.starts_at, ends_at=o.ends_at, place=Place.ROOM, occurrence_id=o.id) for o in occurrences
        ])
        db.session.flush()
    elif room is not None:
        first = today + timedelta(days=(1 - today.weekday()) % 7 or 7)  # next Tuesday
        services.add_sessions(programme, services.SessionInput(place=Place.ROOM, first_date=first, start_time=time(10), end_time=time(11, 30), weeks=8, room_id=room.id), staff)
    _register_people(programme, CLUB_MEMBERS, "lt", companions_of_first=2)  # 10 people and 2 companions fill the 12 places
    _register_people(programme, CLUB_WAITING, "lt")  # the waitlist
    _mark_past(programme, "seniors", now)


def _jelgava_class(staff: User, today: date, now) -> None:
    programme = services.save_programme(services.ProgrammeInput(
        kind=ProgrammeKind.CLASS_SERIES,
        title={"lv": "Datorprasmes senioriem", "en": "Computer skills for seniors", "lt": "Kompiuterinis raštingumas senjorams"},
        description={"lv": "Astoņas nodarbības: e-pasts, internetbanka, e-pakalpojumi un video zvani.", "en": "Eight classes: e-mail, online banking, e-services and video calls."},
        target_groups=["seniors", "visual"], organiser_id=staff.id, capacity=8, public=True,
    ))
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=3) + timedelta(days=3)  # a Thursday three weeks ago
    services.add_sessions(programme, services.SessionInput(
        place=Place.ADDRESS, first_date=first, start_time=time(14), end_time=time(15, 30), weeks=8, address="Jelgavas bibliotēkas datorklase, Akadēmijas iela 1, Jelgava",
    ), staff)
    _register_people(programme, CLASS_LEARNERS, "lv")
    _mark_past(programme, "seniors", now)


def _closing_conference(staff: User, partners: list[Tenant], today: date, now) -> None:
    """Held a week ago, within the project's last reporting period, so that the cross-border indicators have values."""
    programme = services.save_programme(services.ProgrammeInput(
        kind=ProgrammeKind.EVENT,
        title={"lt": "Baigiamoji projekto konferencija „Įtraukios bibliotekos“", "lv": "Projekta noslēguma konference “Iekļaujošas bibliotēkas”", "en": "Inclusive Libraries closing conference"},
        description={"en": "The partners of Pasvalys, Jelgava and Augšdaugava show what their sensory rooms changed, with the people who use them."},
        target_groups=["seniors", "physical", "psychosocial", "intellectual", "visual", "hearing", "other"],
        organiser_id=staff.id, capacity=120, public=True, partner_tenant_ids=[tenant.id for tenant in partners],
    ))
    services.add_sessions(programme, services.SessionInput(
        place=Place.ADDRESS, first_date=today - timedelta(days=7), start_time=time(10), end_time=time(15), address="Pasvalio kultūros centras, Vilniaus g. 6, Pasvalys",
    ), staff)
    registrations.register(programme, RegistrationRequest(name="Jelgavas sociālais dienests", email="socialais.dienests@example.org", is_group=True, group_size=6, locale="lv"))
    registrations.register(programme, RegistrationRequest(name="Daugavpils neredzīgo biedrība", phone="+371 2000 2001", is_group=True, group_size=4, companions=2, locale="lv"))
    _mark_past(programme, "visual", now)


def load_demo() -> None:
    pasvalys, jelgava, augsdaugava = _tenant("pasvalys"), _tenant("jelgava"), _tenant("augsdaugava")
    now = utcnow()
    if pasvalys is not None and (staff := _staff("pasvalys")) is not None:
        with tenant_scope(pasvalys):
            if db.session.scalar(sa.select(Programme.id).limit(1)) is None:
                today = pasvalys.today(now)
                _pasvalys_club(staff, today, now)
                _closing_conference(staff, [tenant for tenant in (jelgava, augsdaugava) if tenant is not None], today, now)
                db.session.commit()
    if jelgava is not None and (staff := _staff("jelgava")) is not None:
        with tenant_scope(jelgava):
            if db.session.scalar(sa.select(Programme.id).limit(1)) is None:
                _jelgava_class(staff, jelgava.today(now), now)
                db.session.commit()
