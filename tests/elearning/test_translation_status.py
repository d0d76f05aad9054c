"""Authors see, per course, which texts exist in which language: the course's title and summary, every module's
title, every lesson's title, text and easy-read version; present, missing, or (an optional text no language has)
not used."""
from elearning_fixtures import make_course
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.elearning.models import Course, CourseModule, Lesson
from bibnet.elearning.translation_status import Status, matrix, missing_counts
from bibnet.extensions import db

from conftest import log_in

JELGAVA = "/t/jelgava/elearning"
LOCALES = ("en", "lv", "lt")


def test_each_text_is_present_missing_or_not_used_per_language(world, app):
    course = make_course(owner_tenant=world.jelgava, title={"en": "Welcoming visitors", "lv": "Apmeklētāju uzņemšana"}, lessons=(("One", True),), languages=("en", "lv"))
    lesson = db.session.scalar(sa.select(Lesson))
    lesson.easy_read = {"en": "- Say hello."}
    db.session.commit()
    course = db.session.scalar(sa.select(Course).options(selectinload(Course.modules).selectinload(CourseModule.lessons)))
    with app.test_request_context():
        groups = matrix(course, LOCALES)
        cells = {(group.heading, row.label): row.cells for group in groups for row in group.rows}
    assert cells[("The course", "Title")] == {"en": Status.PRESENT, "lv": Status.PRESENT, "lt": Status.MISSING}
    assert cells[("The course", "Summary")] == dict.fromkeys(LOCALES, Status.UNUSED)
    assert cells[("Module 1: Module one", "Module title")] == {"en": Status.PRESENT, "lv": Status.MISSING, "lt": Status.MISSING}
    assert cells[("Module 1: Module one", "One (en): text")] == {"en": Status.PRESENT, "lv": Status.PRESENT, "lt": Status.MISSING}
    assert cells[("Module 1: Module one", "One (en): easy-read version")] == {"en": Status.PRESENT, "lv": Status.MISSING, "lt": Status.MISSING}
    assert missing_counts(groups, LOCALES) == {"en": 0, "lv": 2, "lt": 5}


def test_the_page_is_a_table_with_headers_for_the_courses_authors_only(world, client):
    course = make_course(owner_tenant=world.jelgava)
    log_in(client, "coordinator@jelgava.example")
    page = client.get(f"{JELGAVA}/manage/{course.id}/translations")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<th scope="col" lang="lv">' in body and 'scope="rowgroup"' in body and '<th scope="row"' in body
    assert "<caption" in body and "missing" in body
    staff = client.__class__(client.application)
    log_in(staff, "staff@jelgava.example")
    assert staff.get(f"{JELGAVA}/manage/{course.id}/translations").status_code in (403, 404)


def test_the_project_lead_sees_the_status_of_a_shared_course(world, client):
    shared = make_course(project=world.project, languages=("en", "lt"))
    log_in(client, "lead@pasvalys.example")
    assert client.get(f"/projects/{world.project.id}/elearning/manage/{shared.id}/translations").status_code == 200
