"""The certificate pages in every language and state (filled, with errors, not found) have no axe-core WCAG 2.2
A/AA violation: a learner's certificates, the coordinator's list, revoking, the courses required for actions, and
the public verification page, which works without logging in."""
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.elearning import authoring, learning
from bibnet.elearning.certificates import services
from bibnet.elearning.certificates.models import Certificate
from bibnet.elearning.models import Course, CourseModule, Enrolment, Lesson
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

from .conftest import LANGUAGES

pytestmark = pytest.mark.browser

BASE = "/t/jelgava/elearning"


def seed_certificate(app, world) -> dict:
    """Jelgava's staff member completed a two-year course of the library: one certificate, its id and code."""
    with app.app_context():
        course = Course(owner_tenant_id=world.jelgava_id, validity_months=24)
        authoring.save_course(course, {"en": "Welcoming visitors", "lv": "Apmeklētāju uzņemšana", "lt": "Lankytojų priėmimas"}, {})
        db.session.add(course)
        module = CourseModule(course=course)
        authoring.save_module(module, {"en": "Before the visit"})
        authoring.save_lesson(Lesson(module=module), {"en": "Preparing the room"}, {"en": "Dim the lights."}, True, 45)
        authoring.publish(course)
        db.session.flush()
        with tenant_scope(world.jelgava_id):
            learning.enrol(course, [world.staff_user_id], None, None)
            enrolment = db.session.scalar(sa.select(Enrolment))
            full = db.session.scalar(sa.select(Course).where(Course.id == course.id).options(selectinload(Course.modules).selectinload(CourseModule.lessons)))
            learning.mark_done(enrolment, full.modules[0].lessons[0], full)
            certificate = db.session.scalar(sa.select(Certificate))
            found = {"id": certificate.id, "code": services.shown(certificate.code)}
        db.session.commit()
        db.session.remove()
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_learner_certificate_pages(site, world, browser_app, language):
    seed_certificate(browser_app, world)
    site.log_in("staff@jelgava.example")
    site.switch_language(language)
    site.goto(f"{BASE}/", 200)
    site.scan(language, "/elearning/ with a completed course and its certificate")
    site.goto(f"{BASE}/certificates/", 200)
    site.scan(language)
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_coordinator_certificate_pages(site, world, browser_app, language):
    certificate = seed_certificate(browser_app, world)
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    site.goto(f"{BASE}/manage/certificates/", 200)
    site.scan(language)
    site.goto(f"{BASE}/manage/certificates/{certificate['id']}/revoke", 200)
    site.scan(language, "/elearning/manage/certificates/<id>/revoke")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "revoking without a reason")
    site.goto(f"{BASE}/manage/requirements", 200)
    site.scan(language)
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/elearning/manage/requirements with errors")
    site.page.locator("#action").select_option("bookings.host_session")
    site.page.locator("#course").select_option(label="Welcoming visitors" if language == "en" else {"lv": "Apmeklētāju uzņemšana", "lt": "Lankytojų priėmimas"}[language])
    site.submit("main form button[type=submit]", 200)
    site.scan(language, "/elearning/manage/requirements with a requirement")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_verification_pages(site, world, browser_app, language):
    certificate = seed_certificate(browser_app, world)
    site.goto("/verify/", 200)
    site.switch_language(language)
    site.scan(language, "/verify/")
    site.page.locator("#code").fill(certificate["code"].lower().replace("-", " "))
    site.submit("main form button[type=submit]", 200)
    assert site.page.url.endswith(f"/verify/{certificate['code']}")
    site.scan(language, "/verify/<code>")
    site.goto("/verify/22222-AAAAA", 404)
    site.scan(language, "/verify/<unknown code>")
    site.expect_no_sideways_scrolling()
    site.check()
