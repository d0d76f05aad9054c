"""The workshop pages in every language, filled and with errors, have no axe-core WCAG 2.2 A/AA violation."""
import pytest

from bibnet.elearning.workshops import services
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant

from .conftest import LANGUAGES
from .test_elearning_pages import seed_courses

pytestmark = pytest.mark.browser

BASE = "/t/jelgava/elearning/workshops"


def seed_workshop(app, world, course_id) -> int:
    with app.app_context():
        jelgava = db.session.get(Tenant, world.jelgava_id)
        with tenant_scope(jelgava):
            workshop = services.record(services.WorkshopInput(
                held_on=jelgava.today(), course_id=course_id, module_id=None, facilitator="Dace Trainer", place="Reading room",
                attendees=(services.Attendance(world.staff_user_id, 85),),
            ), jelgava, None)
            db.session.commit()
            workshop_id = workshop.id
        db.session.remove()
    return workshop_id


@pytest.mark.parametrize("language", LANGUAGES)
def test_workshop_pages(site, world, browser_app, language):
    ids = seed_courses(browser_app, world)
    workshop_id = seed_workshop(browser_app, world, ids["course"])
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    for path in ("/", f"/{workshop_id}/", f"/{workshop_id}/attendees"):
        site.goto(BASE + path, 200)
        site.scan(language, f"/elearning/workshops{path}")
    site.page.locator(f"#score_{world.staff_user_id}").fill("140")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "the attendees with a score out of range")
    site.goto(f"{BASE}/new", 200)
    site.scan(language)
    site.page.locator("#held_on").fill("2999-01-01")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/elearning/workshops/new with errors")
    site.check()
