"""What the programmes' tests build on: a programme of Jelgava's (saved through the services), people registered
through `registrations`, a session elsewhere at a given local day and time."""
from datetime import date, time

from bibnet.extensions import db
from bibnet.tenants.programmes import registrations, services
from bibnet.tenants.programmes.models import Place, Programme, ProgrammeKind, ProgrammeSession
from bibnet.tenants.programmes.registrations import RegistrationRequest


def make_programme(world, capacity=None, kind=ProgrammeKind.CLUB, **fields) -> Programme:
    fields.setdefault("title", {"en": "Seniors' club", "lv": "Senioru klubs"})
    programme = services.save_programme(services.ProgrammeInput(kind=kind, capacity=capacity, organiser_id=world.staff.id, **fields))
    db.session.commit()
    return programme


def register_person(programme, name="Anna Bērziņa", companions=0, **fields):
    fields.setdefault("phone", "+371 2000 0001")
    registration = registrations.register(programme, RegistrationRequest(name=name, companions=companions, **fields))
    db.session.commit()
    return registration


def session_at(programme, day: date, start=time(10), end=time(11), place=Place.ADDRESS, by=None, **fields) -> ProgrammeSession:
    fields.setdefault("address", "Lielā iela 1, Jelgava")
    [session] = services.add_sessions(programme, services.SessionInput(place=place, first_date=day, start_time=start, end_time=end, **fields), by)
    db.session.commit()
    return session
