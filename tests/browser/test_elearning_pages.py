"""The e-learning pages in every language and state (filled, with errors) have no axe-core WCAG 2.2 A/AA violation,
and a member of staff takes a course to completion with the keyboard alone."""
from datetime import date, timedelta
import re

import pytest
import sqlalchemy as sa

from bibnet.elearning import authoring, learning
from bibnet.elearning.models import Course, CourseModule, Enrolment, Lesson
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project

from .conftest import LANGUAGES
from .test_keyboard import Keyboard

pytestmark = pytest.mark.browser

BASE = "/t/jelgava/elearning"


def seed_courses(app, world, lessons=2) -> dict:
    """Jelgava's published course (the first lesson in English and Latvian, the others in English only), with its
    staff member enrolled and due in a week, and a draft of the project's."""
    with app.app_context():
        course = Course(owner_tenant_id=world.jelgava_id)
        authoring.save_course(course, {"en": "Welcoming visitors", "lv": "Apmeklētāju uzņemšana"}, {"en": "The first steps."})
        db.session.add(course)
        module = CourseModule(course=course)
        authoring.save_module(module, {"en": "Before the visit"})
        for number in range(1, lessons + 1):
            texts = {"en": f"Prepare the room, step {number}.\n\n![The bubble tube lit in blue](tube.jpg)"}
            titles = {"en": f"Preparing the room {number}"}
            if number == 1:
                texts["lv"], titles["lv"] = "Sagatavojiet telpu.", "Telpas sagatavošana"
            authoring.save_lesson(Lesson(module=module), titles, texts, True, 15)
        authoring.publish(course)
        db.session.add(Course(project_id=_project_id(), title={"en": "Shared course"}))
        db.session.flush()
        with tenant_scope(world.jelgava_id):
            learning.enrol(course, [world.staff_user_id], date.today() + timedelta(days=7), None)
        ids = {"course": course.id, "module": module.id, "lesson": module.lessons[0].id}
        db.session.commit()
        db.session.remove()
    return ids


def _project_id() -> int:
    return db.session.scalar(sa.select(Project.id))


@pytest.mark.parametrize("language", LANGUAGES)
def test_learner_pages(site, world, browser_app, language):
    ids = seed_courses(browser_app, world)
    site.log_in("staff@jelgava.example")
    site.switch_language(language)
    site.goto(f"{BASE}/", 200)
    site.scan(language)
    site.goto(f"{BASE}/courses/{ids['course']}/", 200)
    site.scan(language, "/elearning/courses/<id>/")
    site.goto(f"{BASE}/courses/{ids['course']}/lessons/{ids['lesson']}/", 200)
    site.scan(language, "/elearning/courses/<id>/lessons/<id>/")
    site.submit("main form button[type=submit]", 200)  # done: on to the next lesson, shown in English with a note
    site.scan(language, "the second lesson")
    site.expect_no_sideways_scrolling()
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_coordinator_pages(site, world, browser_app, language):
    ids = seed_courses(browser_app, world)
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    for path in ("/manage/", f"/manage/{ids['course']}/", "/manage/progress", f"/manage/{ids['course']}/edit", f"/manage/{ids['course']}/modules/new"):
        site.goto(BASE + path, 200)
        site.scan(language, f"/elearning{path}")
    site.goto(f"{BASE}/manage/new", 200)
    site.scan(language)
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/elearning/manage/new with errors")
    site.goto(f"{BASE}/manage/{ids['course']}/lessons/{ids['lesson']}/edit", 200)
    site.scan(language, "/elearning/manage/<id>/lessons/<id>/edit")
    site.page.locator("#content_en").fill("![](room.jpg)")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "the lesson with an image without alt text")
    site.goto(f"{BASE}/manage/enrol", 200)
    site.scan(language)
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/elearning/manage/enrol with errors")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_project_lead_pages(site, world, browser_app, language):
    seed_courses(browser_app, world)
    site.log_in("lead@pasvalys.example")
    site.switch_language(language)
    site.goto(f"/projects/{_lead_project(browser_app)}/elearning/manage/", 200)
    site.scan(language, "/projects/<id>/elearning/manage/")
    site.check()


def _lead_project(app) -> int:
    with app.app_context():
        found = _project_id()
        db.session.remove()
    return found


def test_a_member_of_staff_takes_a_course_with_the_keyboard_only(site, world, browser_app, base_url):
    ids = seed_courses(browser_app, world, lessons=1)
    page = site.page
    keys = Keyboard(page)
    keys.log_in("staff@jelgava.example", base_url)
    page.goto("/t/jelgava/")
    keys.tab_to(lambda focus: focus["inNav"] and focus["href"].endswith(f"{BASE}/"), "the Training link of the library menu")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*{BASE}/$"))
    keys.tab_to(lambda focus: focus["href"].endswith(f"/courses/{ids['course']}/"), "the course")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/courses/{ids['course']}/$"))
    keys.tab_to(lambda focus: focus["href"].endswith(f"/lessons/{ids['lesson']}/") and "btn" in page.evaluate("document.activeElement.className"), "the button that begins the first lesson")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/lessons/{ids['lesson']}/$"))
    assert page.locator("main h1").inner_text() == "Telpas sagatavošana"  # the staff member reads Jelgava's Latvian
    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["name"].startswith("button"), "the button that marks the lesson as done")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/courses/{ids['course']}/")
    assert page.locator(".flash-messages").inner_text().strip()
    with browser_app.app_context(), tenant_scope(world.jelgava_id):
        assert db.session.scalar(sa.select(Enrolment.completed_at).where(Enrolment.user_id == world.staff_user_id)) is not None
        db.session.remove()
    page.goto(f"{BASE}/")  # the completed course offers its certificate, reached by Tab
    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["href"].endswith(".pdf") and "/certificates/" in focus["href"], "the link to the certificate")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith("certificate-")
    keys.check()
