"""A programme's sessions: in a sensory room they are booked through the bookings services, so the room's
no-overlap rule refuses a taken time (a field error, nothing written); elsewhere they are at an address, a care
home or online. A weekly series adds one session a week; cancelling a room session cancels its booking."""
from datetime import time, timedelta

from programme_world import make_programme, session_at
import sqlalchemy as sa

from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Country
from bibnet.tenants.bookings import services as bookings
from bibnet.tenants.bookings.models import Booking, Occurrence, Status
from bibnet.tenants.programmes import services
from bibnet.tenants.programmes.models import Place, ProgrammeSession

from conftest import booking_input, log_in, monday_in, post_form


def _taken_on_monday(world, room):
    """A confirmed booking of the room on Monday in two weeks, 10:00–11:00."""
    with tenant_scope(world.jelgava):
        bookings.create_booking(booking_input(room, world.staff, monday_in(2), time(10), time(11)), world.staff, confirm=True)
        db.session.commit()


def test_a_weekly_series_in_the_room_is_booked_through_its_calendar(world, room, in_jelgava):
    programme = make_programme(world, capacity=8)
    added = services.add_sessions(programme, services.SessionInput(place=Place.ROOM, first_date=monday_in(2), start_time=time(10), end_time=time(11), weeks=4, room_id=room.id), world.staff)
    db.session.commit()
    occurrences = db.session.scalars(sa.select(Occurrence).order_by(Occurrence.starts_at)).all()
    assert [session.occurrence_id for session in added] == [occurrence.id for occurrence in occurrences]
    assert [occurrence.starts_at - occurrences[0].starts_at for occurrence in occurrences] == [timedelta(weeks=week) for week in range(4)]
    assert {occurrence.status for occurrence in occurrences} == {Status.CONFIRMED}
    assert db.session.scalar(sa.select(Booking.title)) == "Senioru klubs"  # in the library's language


def test_a_session_in_a_taken_room_is_refused_on_the_page_with_a_field_error_and_nothing_is_written(world, room, client):
    _taken_on_monday(world, room)
    with tenant_scope(world.jelgava):
        programme = make_programme(world, capacity=8)
    log_in(client, "staff@jelgava.example")
    response = post_form(client, f"/t/jelgava/programmes/{programme.id}/sessions/new", {
        "place": "room", "room_id": str(room.id), "first_date": monday_in(2).isoformat(), "start_time": "10:30", "end_time": "11:30", "weeks": "3",
    })
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'id="first_date-error"' in body and "The room is not free on" in body
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeSession)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 1  # only the booking that held the room


def test_the_api_refuses_a_taken_room_with_409_and_the_field_named(world, room, client):
    _taken_on_monday(world, room)
    with tenant_scope(world.jelgava):
        programme = make_programme(world)
    token = issue_api_token(world.staff, "test")
    db.session.commit()
    response = client.post(
        f"/api/v1/tenants/jelgava/programmes/{programme.id}/sessions", headers={"Authorization": f"Bearer {token}"},
        json={"place": "room", "room_id": room.id, "first_date": monday_in(2).isoformat(), "start_time": "10:00", "end_time": "10:45"},
    )
    assert response.status_code == 409 and "first_date" in response.json["errors"]["json"]
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeSession)) == 0


def test_sessions_elsewhere_need_their_place(world, client, in_jelgava):
    programme = make_programme(world)
    log_in(client, "staff@jelgava.example")
    url = f"/t/jelgava/programmes/{programme.id}/sessions/new"
    common = {"first_date": monday_in(2).isoformat(), "start_time": "14:00", "end_time": "15:30", "weeks": "2"}
    assert post_form(client, url, {**common, "place": "online", "online_url": "zoom"}).status_code == 422
    assert post_form(client, url, {**common, "place": "address", "address": ""}).status_code == 422
    assert post_form(client, url, {**common, "place": "online", "online_url": "https://meet.example.org/club"}).status_code == 302
    sessions = db.session.scalars(sa.select(ProgrammeSession).order_by(ProgrammeSession.starts_at)).all()
    assert [(session.place, session.online_url) for session in sessions] == [(Place.ONLINE, "https://meet.example.org/club")] * 2
    assert sessions[1].starts_at - sessions[0].starts_at == timedelta(weeks=1)


def test_cancelling_a_room_session_cancels_its_booked_occurrence(world, room, client, in_jelgava):
    programme = make_programme(world)
    session = session_at(programme, monday_in(2), place=Place.ROOM, room_id=room.id, address="", by=world.staff)
    log_in(client, "staff@jelgava.example")
    response = post_form(client, f"/t/jelgava/programmes/{programme.id}/sessions/{session.id}/cancel", {}, page=f"/t/jelgava/programmes/{programme.id}/")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgrammeSession, session.id).cancelled_at is not None
    assert db.session.get(Occurrence, session.occurrence_id).status is Status.CANCELLED


def test_a_programme_with_a_partner_library_of_another_country_is_cross_border(world, make_tenant, client, in_jelgava):
    augsdaugava = make_tenant("augsdaugava", "Augšdaugava", Country.LV)
    from bibnet.tenancy.models import Partner

    db.session.add(Partner(project_id=world.project.id, tenant_id=augsdaugava.id, number=3, role="partner"))
    db.session.commit()
    log_in(client, "coordinator@jelgava.example")
    form = {"kind": "event", "title_en": "Closing conference", "capacity": "100"}
    same_country = post_form(client, "/t/jelgava/programmes/new", {**form, "partner_tenant_ids": [str(augsdaugava.id)]})
    two_countries = post_form(client, "/t/jelgava/programmes/new", {**form, "partner_tenant_ids": [str(augsdaugava.id), str(world.pasvalys.id)]})
    assert same_country.status_code == two_countries.status_code == 302
    from bibnet.tenants.programmes.models import Programme

    assert [p.cross_border for p in db.session.scalars(sa.select(Programme).order_by(Programme.id))] == [False, True]
    foreign = post_form(client, "/t/jelgava/programmes/new", {**form, "partner_tenant_ids": ["999"]})
    assert foreign.status_code == 422 and 'id="partner_tenant_ids-error"' in foreign.get_data(as_text=True)
