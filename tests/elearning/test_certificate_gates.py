"""Training gates: a coordinator requires a course for an action another feature declares gateable (the bookings'
hosting of sessions and approving of requests); a person without a valid certificate of it is refused with a
message naming the course, through the bookings' own pages and API, and allowed once they completed it; a
certificate expiring within 30 days is a warning; an expired or revoked one does not count."""
from datetime import time, timedelta
import re

from certificate_fixtures import certificates_of, complete
from elearning_fixtures import make_course
import pytest
import sqlalchemy as sa

from bibnet import gates
from bibnet.accounts.services import issue_api_token
from bibnet.db import utcnow
from bibnet.elearning.certificates.models import Certificate, CourseRequirement
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.bookings import services as bookings
from bibnet.tenants.bookings.models import Occurrence, Status

from conftest import booking_input, csrf_token, log_in, monday_in, post_form

BASE = "/t/jelgava/elearning"
API = "/api/v1/tenants/jelgava"
HOST = "bookings.host_session"
APPROVE = "bookings.approve"
COURSE = "Welcoming visitors to the sensory reading room"


@pytest.fixture
def course(world):
    return make_course(project=world.project, title={"en": COURSE})


def require_course(client, course, action):
    """The coordinator requires the course on the requirements page."""
    log_in(client, "coordinator@jelgava.example")
    page = client.get(f"{BASE}/manage/requirements")
    response = client.post(f"{BASE}/manage/requirements", data={"csrf_token": csrf_token(page.get_data(as_text=True)), "action": action, "course": course.id})
    assert response.status_code == 302, response.get_data(as_text=True)


def bearer(user) -> dict:
    secret = issue_api_token(user, "gates")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def booking_body(room, responsible) -> dict:
    return {"room_id": room.id, "activity": "sensory_session", "title": "Club", "first_date": monday_in(2).isoformat(),
            "start_time": "10:00", "end_time": "11:00", "expected": {"seniors": 3}, "responsible_id": responsible.id}


def set_certificate(tenant, user, **values):
    with tenant_scope(tenant):
        certificate = db.session.scalar(sa.select(Certificate).where(Certificate.user_id == user.id))
        for name, value in values.items():
            setattr(certificate, name, value)
        db.session.commit()


def test_the_requirements_page_lists_every_declared_gate_and_the_librarys_courses(world, course, client, app):
    log_in(client, "coordinator@jelgava.example")
    page = client.get(f"{BASE}/manage/requirements").get_data(as_text=True)
    for gate in gates.declared():
        assert f'value="{gate.action}"' in page
    assert COURSE in page
    staff = app.test_client()
    log_in(staff, "staff@jelgava.example")
    assert staff.get(f"{BASE}/manage/requirements").status_code == 403


def test_an_unknown_action_or_course_is_refused_and_nothing_is_stored(world, course, client):
    log_in(client, "coordinator@jelgava.example")
    token = csrf_token(client.get(f"{BASE}/manage/requirements").get_data(as_text=True))
    response = client.post(f"{BASE}/manage/requirements", data={"csrf_token": token, "action": "bookings.nothing", "course": 999})
    assert response.status_code == 422
    assert "Choose one of the actions" in response.get_data(as_text=True) and "Choose one of the library" in response.get_data(as_text=True)
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(sa.func.count(CourseRequirement.id))) == 0


def test_hosting_is_refused_naming_the_course_then_allowed_after_completion(world, room, course, client):
    require_course(client, course, HOST)
    refused = client.post(f"{API}/bookings", json=booking_body(room, world.staff), headers=bearer(world.coordinator))
    assert refused.status_code == 422
    assert refused.json["errors"]["json"]["responsible_id"] == [f"Jānis Staff needs a valid certificate of the course “{COURSE}” first."]
    complete(world.jelgava, world.staff, course)
    allowed = client.post(f"{API}/bookings", json=booking_body(room, world.staff), headers=bearer(world.coordinator))
    assert allowed.status_code == 201


def test_hosting_is_refused_on_the_booking_page_too(world, room, course, client):
    require_course(client, course, HOST)
    form = {
        "room_id": room.id, "activity": "sensory_session", "title": "Tuesday club", "responsible_id": world.staff.id,
        "first_date": monday_in(2).isoformat(), "start_time": "10:00", "end_time": "11:00", "frequency": "once", "interval": "1",
        "ends": "until", "until": "", "count": "", "organiser_name": "", "organiser_contact": "", "expected_seniors": "3", "expected_carers": "1", "internal_note": "",
    }
    response = post_form(client, "/t/jelgava/bookings/new", form)
    assert response.status_code == 422 and COURSE in response.get_data(as_text=True)
    complete(world.jelgava, world.staff, course)
    assert post_form(client, "/t/jelgava/bookings/new", form).status_code == 302


@pytest.mark.parametrize("change", [{"valid_until": "yesterday"}, {"revoked": True}])
def test_an_expired_or_revoked_certificate_does_not_count(world, room, course, client, change):
    require_course(client, course, HOST)
    complete(world.jelgava, world.staff, course)
    if "valid_until" in change:
        set_certificate(world.jelgava, world.staff, valid_until=utcnow().date() - timedelta(days=1))
    else:
        set_certificate(world.jelgava, world.staff, revoked_at=utcnow(), revoked_by_id=world.coordinator.id, revocation_reason="Mistake")
    assert client.post(f"{API}/bookings", json=booking_body(room, world.staff), headers=bearer(world.coordinator)).status_code == 422


def test_approving_is_refused_with_the_course_then_allowed_after_completion(world, make_room, course, client):
    approval_room = make_room(world.jelgava, "Approval room", needs_approval=True)
    with tenant_scope(world.jelgava):
        booking = bookings.create_booking(booking_input(approval_room, world.staff, monday_in(2), time(10), time(11)), world.staff, confirm=False)
        db.session.commit()
        session_id = booking.occurrences[0].id
    require_course(client, course, APPROVE)
    refused = client.post(f"{API}/occurrences/{session_id}/approve", headers=bearer(world.coordinator))
    assert refused.status_code == 403 and COURSE in refused.json["detail"]
    complete(world.jelgava, world.coordinator, course)
    assert client.post(f"{API}/occurrences/{session_id}/approve", headers=bearer(world.coordinator)).status_code == 200
    with tenant_scope(world.jelgava):
        assert db.session.get(Occurrence, session_id).status is Status.CONFIRMED


def test_the_booking_page_says_why_instead_of_offering_approve_buttons_that_would_be_refused(world, make_room, course, client):
    approval_room = make_room(world.jelgava, "Approval room", needs_approval=True)
    with tenant_scope(world.jelgava):
        booking = bookings.create_booking(booking_input(approval_room, world.staff, monday_in(2), time(10), time(11)), world.staff, confirm=False)
        db.session.commit()
        page_url = f"/t/jelgava/bookings/{booking.id}/"
    require_course(client, course, APPROVE)
    page = client.get(page_url).get_data(as_text=True)
    assert COURSE in page and "/approve" not in page
    assert "/reject" in page  # rejecting a request is not gated
    complete(world.jelgava, world.coordinator, course)
    page = client.get(page_url).get_data(as_text=True)
    assert "/approve" in page and "alert-warning" not in page


def test_a_certificate_expiring_within_30_days_is_a_warning_after_the_booking(world, room, course, client):
    require_course(client, course, HOST)
    complete(world.jelgava, world.staff, course)
    expires = utcnow().date() + timedelta(days=12)
    set_certificate(world.jelgava, world.staff, valid_until=expires)
    form = {
        "room_id": room.id, "activity": "sensory_session", "title": "Tuesday club", "responsible_id": world.staff.id,
        "first_date": monday_in(2).isoformat(), "start_time": "10:00", "end_time": "11:00", "frequency": "once", "interval": "1",
        "ends": "until", "until": "", "count": "", "organiser_name": "", "organiser_contact": "", "expected_seniors": "3", "expected_carers": "1", "internal_note": "",
    }
    response = post_form(client, "/t/jelgava/bookings/new", form)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(rf"The certificate of Jānis Staff for “{COURSE}” expires on", page)


def test_requirements_of_another_library_do_not_gate_this_one(world, room, course, client):
    with tenant_scope(world.pasvalys):
        db.session.add(CourseRequirement(action=HOST, course_id=course.id))
        db.session.commit()
    assert client.post(f"{API}/bookings", json=booking_body(room, world.staff), headers=bearer(world.coordinator)).status_code == 201
    assert certificates_of(world.jelgava) == []


def test_removing_a_requirement_lifts_the_gate(world, room, course, client):
    require_course(client, course, HOST)
    with tenant_scope(world.jelgava):
        requirement_id = db.session.scalar(sa.select(CourseRequirement.id))
    token = csrf_token(client.get(f"{BASE}/manage/requirements").get_data(as_text=True))
    assert client.post(f"{BASE}/manage/requirements/{requirement_id}/remove", data={"csrf_token": token}).status_code == 302
    assert client.post(f"{API}/bookings", json=booking_body(room, world.staff), headers=bearer(world.coordinator)).status_code == 201


def test_a_check_reads_the_requirements_and_the_certificates_once_whatever_their_number(world, course, app, count_queries):
    """One call answers refusal or caution: two statements, however many courses the action requires."""
    other = make_course(project=world.project, title={"en": "Quiet hours"})
    with tenant_scope(world.jelgava):
        db.session.add_all([CourseRequirement(action=HOST, course_id=course.id), CourseRequirement(action=HOST, course_id=other.id)])
        db.session.commit()
    for required in (course, other):
        complete(world.jelgava, world.staff, required)
    with tenant_scope(world.jelgava):
        db.session.scalar(sa.select(Certificate).where(Certificate.course_id == course.id)).valid_until = utcnow().date() + timedelta(days=5)
        db.session.commit()
    with app.test_request_context(), tenant_scope(world.jelgava):
        staff = db.session.merge(world.staff)
        assert staff.name == "Jānis Staff"  # loaded, as the person a request names is
        with count_queries() as counted:
            assert gates.refusal(HOST, staff) is None
        assert counted.n == 2
        (warning,) = gates.warnings()
        assert warning.startswith(f"The certificate of Jānis Staff for “{COURSE}” expires on")


def test_a_caution_is_not_kept_when_another_checker_refuses(world, monkeypatch, app):
    monkeypatch.setattr(gates, "_checkers", {})
    gates.register_checker("cautious", lambda user, tenant, action: gates.Caution("Runs out soon."))
    gates.register_checker("strict", lambda user, tenant, action: gates.Refusal("Complete the course first."))
    with app.test_request_context(), tenant_scope(world.jelgava):
        assert gates.refusal(HOST, world.staff).message == "Complete the course first."
        assert gates.warnings() == []
