"""The coordinator's workshop pages: recording one completes the course for the attendees, bad input comes back
next to its field with nothing written, the list is paginated, and correcting attendees works from the page."""
from datetime import timedelta

from elearning_fixtures import make_course
import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.elearning.models import Enrolment
from bibnet.elearning.workshops.models import Workshop, WorkshopAttendee
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

from conftest import log_in, post_form

NEW = "/t/jelgava/elearning/workshops/new"


def form(course, *attendees, **changes):
    data = {"held_on": (utcnow().date() - timedelta(days=1)).isoformat(), "course": str(course.id), "module": "0", "facilitator": "Dace Trainer", "place": "", "attendees": [str(a.id) for a in attendees]}
    return data | changes


def stored():
    with tenant_scope_of_jelgava():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Workshop)), db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment))


def tenant_scope_of_jelgava():
    from bibnet.tenancy.models import Tenant

    return tenant_scope(db.session.scalar(sa.select(Tenant).where(Tenant.slug == "jelgava")))


def test_recording_a_workshop_completes_the_course_and_shows_it(world, client):
    course = make_course(project=world.project)
    log_in(client, "coordinator@jelgava.example")
    response = post_form(client, NEW, form(course, world.staff) | {f"score_{world.staff.id}": "85"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Jānis Staff" in page and "85" in page and "Dace Trainer" in page
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(Enrolment.completed_at).where(Enrolment.user_id == world.staff.id)) is not None
    listing = client.get("/t/jelgava/elearning/workshops/").get_data(as_text=True)
    assert "Welcoming visitors" in listing and "Dace Trainer" in listing


def test_bad_input_comes_back_next_to_its_fields_and_nothing_is_written(world, client):
    course, theirs = make_course(owner_tenant=world.jelgava), make_course(owner_tenant=world.pasvalys, title={"en": "Their course"})
    log_in(client, "coordinator@jelgava.example")
    cases = [
        (form(course, world.staff, held_on=(utcnow().date() + timedelta(days=3)).isoformat()), "cannot be later than today"),
        (form(course, world.staff, held_on="03/04/2026"), "could be"),  # an ambiguous date is never guessed
        (form(course, world.staff, held_on=""), "Enter the date"),
        (form(theirs, world.staff), "Choose a published course"),
        (form(course, world.other_staff), "Only active staff of the library"),
        (form(course), "Choose at least one person"),
        (form(course, world.staff) | {f"score_{world.staff.id}": "140"}, "whole number from 0 to 100"),
        (form(course, world.staff, facilitator=""), "Enter the name of the person who led"),
        (form(course, world.staff, module="999999"), "Choose one of this course"),
    ]
    for data, message in cases:
        response = post_form(client, NEW, data)
        assert response.status_code == 422, message
        assert message in response.get_data(as_text=True)
    assert stored() == (0, 0)


def test_the_list_is_paginated(world, client):
    course = make_course(owner_tenant=world.jelgava)
    with tenant_scope(world.jelgava):
        for day in range(25):
            db.session.add(Workshop(held_on=utcnow().date() - timedelta(days=day + 1), course_id=course.id, facilitator=f"Trainer {day}"))
        db.session.commit()
    log_in(client, "coordinator@jelgava.example")
    first = client.get("/t/jelgava/elearning/workshops/").get_data(as_text=True)
    assert "Trainer 0<" in first and "Trainer 24<" not in first and "Page 1 of 2" in first
    assert "Trainer 24<" in client.get("/t/jelgava/elearning/workshops/?page=2").get_data(as_text=True)


def test_correcting_the_attendees_from_the_page(world, client):
    course = make_course(owner_tenant=world.jelgava)
    log_in(client, "coordinator@jelgava.example")
    created = post_form(client, NEW, form(course, world.staff, world.coordinator))
    url = created.headers["Location"] + "attendees"
    page = client.get(url).get_data(as_text=True)
    assert page.count("checked") == 2
    response = post_form(client, url, {"attendees": [str(world.coordinator.id)], f"score_{world.coordinator.id}": "60"})
    assert response.status_code == 302
    with tenant_scope(world.jelgava):
        assert db.session.execute(sa.select(WorkshopAttendee.user_id, WorkshopAttendee.quiz_score)).all() == [(world.coordinator.id, 60)]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(Enrolment.user_id == world.staff.id)) == 0


def test_staff_cannot_open_the_workshop_pages(world, client):
    log_in(client, "staff@jelgava.example")
    assert client.get("/t/jelgava/elearning/workshops/").status_code == 403
    assert client.get(NEW).status_code == 403


def test_the_progress_matrix_and_its_csv_mark_completions_in_person(world, client, make_user):
    course = make_course(owner_tenant=world.jelgava)
    log_in(client, "coordinator@jelgava.example")
    post_form(client, NEW, form(course, world.staff))
    matrix = client.get("/t/jelgava/elearning/manage/progress").get_data(as_text=True)
    assert "(in person)" in matrix
    lines = client.get("/t/jelgava/elearning/manage/progress.csv").get_data(as_text=True).splitlines()
    assert lines[0].endswith(",In person") and lines[1].endswith(",yes")
