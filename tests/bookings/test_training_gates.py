"""Training gates on the bookings (`bibnet.gates`): hosting sessions (being a booking's responsible staff member)
and approving room requests are declared gateable; a checker another feature registers (e-learning: a course to
complete first) refuses them with its own message, through the pages and the API, and nothing is written; a
warning (a certificate expiring soon) is flashed on the page after the action; a checker sees the request's
tenant only. With no checker, the bookings behave as before (the other booking tests)."""
from datetime import time
import re

from flask_babel import lazy_gettext as _l
import pytest
import sqlalchemy as sa

from bibnet import gates
from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.gates import Caution, Refusal
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenants.bookings import APPROVE_REQUESTS, HOST_SESSIONS, services
from bibnet.tenants.bookings.models import Booking, Occurrence, Status
from bibnet.tenants.rooms.models import Room

from conftest import booking_input, log_in, monday_in, post_form

PAGES = "/t/jelgava/bookings"
API = "/api/v1/tenants/jelgava"
NEEDS_COURSE = "Complete the course “Welcoming visitors to the sensory reading room” first."


class Training:
    """A stand-in for e-learning: who has not completed the course, whose certificate expires soon, what it saw."""

    def __init__(self):
        self.untrained: set[int] = set()
        self.expiring: set[int] = set()
        self.seen: list[tuple[int, str, str, int]] = []  # user, tenant, action, rooms the checker could read

    def check(self, user, tenant, action):
        self.seen.append((user.id, tenant.slug, action, db.session.scalar(sa.select(sa.func.count()).select_from(Room))))
        if user.id in self.untrained:
            return Refusal(_l(NEEDS_COURSE))
        return Caution("Your certificate “Welcoming visitors” expires on 15.12.2026.") if user.id in self.expiring else None


@pytest.fixture
def training(monkeypatch):
    monkeypatch.setattr(gates, "_checkers", {})
    registered = Training()
    gates.register_checker("test.training", registered.check)
    return registered


@pytest.fixture
def approval_room(world, make_room):
    return make_room(world.jelgava, "Approval room", needs_approval=True)


def stored() -> tuple[int, int]:
    with all_tenants(reason="test: everything stored"):
        return tuple(db.session.scalar(sa.select(sa.func.count(model.id))) for model in (Booking, Occurrence))


def requested_session(world, room) -> Occurrence:
    with tenant_scope(world.jelgava):
        booking = services.create_booking(booking_input(room, world.staff, monday_in(2), time(10), time(11)), world.staff, confirm=False)
        db.session.commit()
        return booking.occurrences[0]


def status_of(world, occurrence_id) -> Status:
    with tenant_scope(world.jelgava):
        return db.session.get(Occurrence, occurrence_id, populate_existing=True).status


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p id="{field}-error" class="field-error">(.*?)</p>', html, re.DOTALL)
    assert match, f"no error next to {field}"
    return re.sub(r"<[^>]+>", "", match.group(1))


def bearer(user) -> dict:
    secret = issue_api_token(user, "gate tests")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def page_form(world, room) -> dict:
    return {
        "room_id": room.id, "activity": "sensory_session", "title": "Tuesday club", "responsible_id": world.staff.id,
        "first_date": monday_in(2).isoformat(), "start_time": "10:00", "end_time": "11:00", "frequency": "once", "interval": "1",
        "ends": "until", "until": "", "count": "", "organiser_name": "", "organiser_contact": "",
        "expected_seniors": "3", "expected_carers": "1", "internal_note": "",
    }


def test_the_bookings_declare_hosting_and_approving_as_gateable(app):
    assert {HOST_SESSIONS, APPROVE_REQUESTS} <= {gate.action for gate in gates.declared()}


def test_an_untrained_responsible_is_refused_next_to_the_field_on_the_page(world, room, training, client):
    training.untrained.add(world.staff.id)
    log_in(client, "coordinator@jelgava.example")
    response = post_form(client, f"{PAGES}/new", page_form(world, room))
    assert response.status_code == 422
    assert NEEDS_COURSE in field_error(response.get_data(as_text=True), "responsible_id")
    assert stored() == (0, 0)


def test_an_untrained_responsible_is_a_422_field_error_in_the_api(world, room, training, client):
    training.untrained.add(world.staff.id)
    body = {"room_id": room.id, "activity": "sensory_session", "title": "Club", "first_date": monday_in(2).isoformat(), "start_time": "10:00", "end_time": "11:00", "expected": {"seniors": 3}}
    response = client.post(f"{API}/bookings", json=body, headers=bearer(world.staff))  # the responsible is the caller by default
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert response.json["errors"]["json"]["responsible_id"] == [NEEDS_COURSE]
    assert stored() == (0, 0)
    trained = client.post(f"{API}/bookings", json={**body, "responsible_id": world.coordinator.id}, headers=bearer(world.staff))
    assert trained.status_code == 201


def test_details_can_change_while_the_same_untrained_person_stays_responsible(world, room, training, client):
    with tenant_scope(world.jelgava):
        booking = services.create_booking(booking_input(room, world.staff, monday_in(2), time(10), time(11)), world.staff, confirm=True)
        db.session.commit()
    training.untrained.add(world.staff.id)
    response = client.patch(f"{API}/bookings/{booking.id}", json={"title": "Renamed", "responsible_id": world.staff.id}, headers=bearer(world.coordinator))
    assert response.status_code == 200, response.json


def test_an_untrained_coordinator_cannot_approve_through_the_api_403_with_the_course(world, approval_room, training, client):
    session = requested_session(world, approval_room)
    training.untrained.add(world.coordinator.id)
    response = client.post(f"{API}/occurrences/{session.id}/approve", headers=bearer(world.coordinator))
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    assert response.json["detail"] == NEEDS_COURSE
    assert status_of(world, session.id) is Status.REQUESTED


def test_an_untrained_coordinator_cannot_approve_on_the_page_and_reads_why(world, approval_room, training, client):
    session = requested_session(world, approval_room)
    training.untrained.add(world.coordinator.id)
    log_in(client, "coordinator@jelgava.example")
    page = f"{PAGES}/{session.booking_id}/"
    response = post_form(client, f"{PAGES}/occurrences/{session.id}/approve", {}, page=page)
    assert response.status_code == 403
    assert "Welcoming visitors to the sensory reading room" in response.get_data(as_text=True)
    assert status_of(world, session.id) is Status.REQUESTED


def test_an_untrained_coordinator_booking_a_room_that_needs_approval_makes_a_request(world, approval_room, training, client):
    training.untrained.add(world.coordinator.id)
    body = {"room_id": approval_room.id, "activity": "sensory_session", "title": "Club", "first_date": monday_in(2).isoformat(), "start_time": "10:00", "end_time": "11:00", "expected": {"seniors": 3}}
    response = client.post(f"{API}/bookings", json={**body, "responsible_id": world.staff.id}, headers=bearer(world.coordinator))
    assert response.status_code == 201 and response.json["occurrences"][0]["status"] == "requested"


def test_an_expiring_certificate_is_a_warning_flashed_after_the_booking(world, room, training, client):
    training.expiring.add(world.staff.id)
    log_in(client, "coordinator@jelgava.example")
    response = post_form(client, f"{PAGES}/new", page_form(world, room))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "expires on 15.12.2026" in page
    assert stored() == (1, 1)


def test_a_checker_sees_the_requests_tenant_and_its_rows_only(world, room, make_room, training, client):
    make_room(world.pasvalys, "Pasvalys room 1")
    make_room(world.pasvalys, "Pasvalys room 2")
    log_in(client, "coordinator@jelgava.example")
    assert post_form(client, f"{PAGES}/new", page_form(world, room)).status_code == 302
    assert training.seen == [(world.staff.id, "jelgava", HOST_SESSIONS, 1)]  # Jelgava's one room, not Pasvalys's two


def test_an_undeclared_action_is_a_programming_error(world, in_jelgava):
    with pytest.raises(ValueError, match="not declared gateable"):
        gates.check("bookings.nothing", world.staff)

