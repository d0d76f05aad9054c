"""The programmes' staff pages in every language and state (filled, with errors) have no axe-core WCAG 2.2 A/AA
violation, and a session's roster is marked with the keyboard alone (Tab to a row, arrow keys to the mark)."""
from datetime import time, timedelta
import re

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.programmes import registrations, services
from bibnet.tenants.programmes.models import Attendance, Mark, Place, ProgrammeKind
from bibnet.tenants.programmes.registrations import RegistrationRequest

from .conftest import LANGUAGES
from .test_keyboard import Keyboard

pytestmark = pytest.mark.browser


def seed(app, world) -> dict:
    """Jelgava's club (2 places): a session yesterday and one next week; Anna and a care home's group registered, Jānis waiting."""
    with app.app_context(), tenant_scope(world.jelgava_id):
        club = services.save_programme(services.ProgrammeInput(
            kind=ProgrammeKind.CLUB, title={"en": "Seniors' club", "lv": "Senioru klubs", "lt": "Senjorų klubas"}, description={"en": "Tuesdays."},
            target_groups=["seniors"], organiser_id=world.staff_user_id, capacity=5, public=True,
        ))
        today = db.session.get(Tenant, world.jelgava_id).today()
        [held] = services.add_sessions(club, services.SessionInput(place=Place.ADDRESS, first_date=today - timedelta(days=1), start_time=time(10), end_time=time(11), address="Lielā iela 1"))
        services.add_sessions(club, services.SessionInput(place=Place.ONLINE, first_date=today + timedelta(days=7), start_time=time(10), end_time=time(11), online_url="https://meet.example.org/club"))
        anna = registrations.register(club, RegistrationRequest(name="Anna Bērziņa", phone="+371 2000 0001"))
        group = registrations.register(club, RegistrationRequest(name="Care home Liepa", is_group=True, group_size=4))
        registrations.register(club, RegistrationRequest(name="Jānis Kalniņš", email="janis@example.org"))
        db.session.commit()
        ids = {"programme": club.id, "session": held.id, "anna": anna.id, "group": group.id}
        db.session.remove()
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_programme_pages(site, world, browser_app, language):
    ids = seed(browser_app, world)
    base = f"/t/jelgava/programmes/{ids['programme']}"
    site.log_in("coordinator@jelgava.example")
    site.goto("/t/jelgava/programmes/", 200)
    site.switch_language(language)
    site.scan(language, "/programmes/")
    site.goto(f"{base}/", 200)
    site.scan(language, "/programmes/<id>/")
    site.goto("/t/jelgava/programmes/new", 200)
    site.scan(language, "/programmes/new")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/programmes/new with errors")
    site.goto(f"{base}/edit", 200)
    site.scan(language, "/programmes/<id>/edit")
    site.goto(f"{base}/sessions/new", 200)
    site.scan(language, "/programmes/<id>/sessions/new")
    site.page.locator("#place-2").check()  # at a care home, without choosing one
    site.page.locator("#first_date").fill("2099-01-01")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/programmes/<id>/sessions/new with errors")
    site.goto(f"{base}/registrations/", 200)
    site.scan(language, "/programmes/<id>/registrations/")
    site.goto(f"{base}/registrations/new", 200)
    site.scan(language, "/programmes/<id>/registrations/new")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/programmes/<id>/registrations/new with errors")
    site.goto(f"{base}/sessions/{ids['session']}/roster", 200)
    site.scan(language, "/programmes/<id>/sessions/<id>/roster")
    site.page.locator(f"#mark_{ids['group']}-0").check()
    site.page.locator(f"#present_{ids['group']}").fill("9")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/programmes/<id>/sessions/<id>/roster with errors")
    site.check()


def test_mark_the_roster_with_the_keyboard_only(page, base_url, browser_app, world):
    """From the programme's page: open yesterday's roster, mark Anna excused and the group present (3 came), count 4 seniors, save."""
    ids = seed(browser_app, world)
    page.set_default_timeout(10_000)
    keys = Keyboard(page, max_tabs=60)
    keys.log_in("staff@jelgava.example", base_url)
    page.goto(f"{base_url}/t/jelgava/programmes/{ids['programme']}/")
    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["href"].endswith(f"/sessions/{ids['session']}/roster"), "The roster link of yesterday's session")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/roster$"))
    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["id"] == f"mark_{ids['anna']}-0", "Anna's first mark (Present)")
    page.keyboard.press("ArrowRight")  # Excused
    assert page.evaluate("document.activeElement.id") == f"mark_{ids['anna']}-1"
    keys.tab_to(lambda focus: focus["id"] == f"mark_{ids['group']}-0", "The group's first mark (Present)")
    page.keyboard.press("Space")
    assert keys.press("Tab")["id"] == f"present_{ids['group']}"
    page.keyboard.type("3")
    keys.tab_to(lambda focus: focus["id"] == "attended_seniors", "The count of seniors")
    page.keyboard.type("4")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # sends the form, as Enter in a text field does
    assert "Saraksts ir saglabāts." in page.locator("main").inner_text()  # "The roster is saved." in Jelgava's Latvian
    keys.check()
    with browser_app.app_context(), tenant_scope(world.jelgava_id):
        marks = {row.registration_id: (row.mark, row.present) for row in db.session.scalars(sa.select(Attendance))}
        assert marks == {ids["anna"]: (Mark.EXCUSED, 0), ids["group"]: (Mark.PRESENT, 3)}
