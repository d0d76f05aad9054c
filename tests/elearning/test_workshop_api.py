"""The workshops API: a coordinator records and lists workshops; refusals are field errors with nothing written;
staff and other libraries get nothing."""
from datetime import timedelta

from elearning_fixtures import make_course
import sqlalchemy as sa

from bibnet.accounts.services import issue_api_token
from bibnet.db import utcnow
from bibnet.elearning.models import Enrolment
from bibnet.elearning.workshops.models import Workshop
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

URL = "/api/v1/tenants/jelgava/workshops"


def bearer(user) -> dict:
    secret = issue_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def body(course, *attendees, **changes):
    return {"held_on": (utcnow().date() - timedelta(days=1)).isoformat(), "course_id": course.id, "facilitator": "Dace", "attendees": [{"user_id": a.id, "quiz_score": 90} for a in attendees]} | changes


def test_a_coordinator_records_and_lists_workshops(world, client):
    course = make_course(project=world.project)
    headers = bearer(world.coordinator)
    created = client.post(URL, json=body(course, world.staff), headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["attendees"] == [{"user_id": world.staff.id, "quiz_score": 90}]
    listed = client.get(URL, headers=headers).get_json()
    assert listed["total"] == 1 and listed["items"][0]["facilitator"] == "Dace"
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(Enrolment.completed_at)) is not None


def test_refusals_are_field_errors_and_nothing_is_written(world, client):
    course = make_course(owner_tenant=world.jelgava)
    headers = bearer(world.coordinator)
    for wrong in (body(course, world.other_staff), body(course, world.staff, held_on="2999-01-01"), {**body(course, world.staff), "attendees": [{"user_id": world.staff.id, "quiz_score": 101}]}):
        response = client.post(URL, json=wrong, headers=headers)
        assert response.status_code == 422 and response.get_json()["errors"], response.get_json()
    theirs = make_course(owner_tenant=world.pasvalys, title={"en": "Theirs"})
    response = client.post(URL, json=body(theirs, world.staff), headers=headers)
    assert "course_id" in str(response.get_json()["errors"])  # named as the request names it
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Workshop)) == 0


def test_staff_cannot_use_it(world, client):
    assert client.get(URL, headers=bearer(world.staff)).status_code == 403
