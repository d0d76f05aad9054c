"""The public programme pages in the browser, without logging in: axe in en, lv and lt (the listing, a programme
with its registration form, the form with errors, the confirmation, the cancel pages, a programme not found);
registering and cancelling by keyboard alone; and the form at 200 % zoom (1280 px wide at 200 %: 640 CSS px),
which must not scroll sideways and keep its submit button reachable."""
from datetime import UTC, datetime, time, timedelta

import pytest

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.programmes.models import Place, Programme, ProgrammeKind, ProgrammeSession

from .conftest import LANGUAGES
from .test_keyboard import Keyboard

pytestmark = pytest.mark.browser


def seed(app, world) -> dict:
    """Jelgava's public seniors' club (two sessions ahead, 10 places) and a public online class series."""
    first = datetime.combine(datetime.now(UTC).date() + timedelta(days=8), time(10), tzinfo=UTC)
    with app.app_context(), tenant_scope(world.jelgava_id):
        club = Programme(
            kind=ProgrammeKind.CLUB, title={"en": "Seniors' club", "lv": "Senioru klubs", "lt": "Senjorų klubas"},
            description={"en": "We meet every week to talk, read and play board games."}, target_groups=["seniors"], capacity=10, public=True,
        )
        course = Programme(kind=ProgrammeKind.CLASS_SERIES, title={"lv": "Datorprasmes iesācējiem"}, target_groups=["seniors", "visual"], capacity=None, public=True)
        db.session.add_all([club, course])
        db.session.flush()
        for number in range(2):
            starts = first + timedelta(weeks=number)
            db.session.add(ProgrammeSession(programme_id=club.id, starts_at=starts, ends_at=starts + timedelta(hours=2), place=Place.ADDRESS, address="Pasta iela 37, Jelgava"))
            db.session.add(ProgrammeSession(programme_id=course.id, starts_at=starts + timedelta(days=1), ends_at=starts + timedelta(days=1, hours=1), place=Place.ONLINE, online_url="https://meet.example/x"))
        db.session.commit()
        return {"club": club.id, "course": course.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_programme_pages(site, world, browser_app, language):
    ids = seed(browser_app, world)
    site.goto("/p/jelgava/programmes", 200)
    site.switch_language(language)
    site.scan(language, "/p/<library>/programmes")
    site.goto(f"/p/jelgava/programmes/{ids['club']}", 200)
    site.scan(language, "/p/<library>/programmes/<id>")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/p/<library>/programmes/<id> with errors")
    site.page.locator("#name").fill("Anna Bērziņa")
    site.page.locator("#email").fill("anna@example.lv")
    site.page.locator("#needs-0").check()
    site.page.locator("#consent").check()
    site.submit("main form button[type=submit]", 200)
    site.scan(language, "/p/<library>/registrations/<token>")
    with site.page.expect_navigation():
        site.page.locator("main a[href*='/cancel/']").click()
    site.scan(language, "/p/<library>/cancel/<token>")
    site.submit("main form button[type=submit]", 200)
    site.scan(language, "/p/<library>/cancel/<token> done")
    site.goto(f"/p/jelgava/programmes/{ids['course']}", 200)
    site.scan(language, "/p/<library>/programmes/<id> (online, no capacity)")
    site.goto("/p/jelgava/programmes/999999", 404)
    site.scan(language, "/p/<library>/programmes/<unknown>")
    site.check()


def test_register_and_cancel_with_the_keyboard_only(page, base_url, world, browser_app):
    ids = seed(browser_app, world)
    page.goto(f"{base_url}/p/jelgava/programmes/{ids['club']}")
    keys = Keyboard(page, max_tabs=30)
    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["id"] == "name", "the name field")
    page.keyboard.type("Jānis Ozols")
    assert keys.press("Tab")["id"] == "phone"
    page.keyboard.type("+371 2000 0000")
    keys.tab_to(lambda focus: focus["id"] == "needs-1", "the hearing loop checkbox")
    page.keyboard.press("Space")
    keys.tab_to(lambda focus: focus["id"] == "consent", "the consent checkbox")
    page.keyboard.press("Space")
    focus = keys.press("Tab")
    assert focus["name"].startswith("button"), focus
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/registrations/" in page.url
    keys.tab_to(lambda focus: "/cancel/" in focus["href"], "the cancel link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    keys.tab_to(lambda focus: focus["name"].startswith("button") and "cancel" in focus["name"].lower(), "the cancel button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("main .alert").count() == 1
    assert not keys.problems, "\n".join(keys.problems)


def test_the_form_at_200_percent_zoom_reflows_and_keeps_its_button_reachable(site, world, browser_app):
    ids = seed(browser_app, world)
    site.page.set_viewport_size({"width": 640, "height": 400})  # a 1280 × 800 window at 200 %
    site.goto(f"/p/jelgava/programmes/{ids['club']}", 200)
    site.switch_language("lt")
    site.expect_no_sideways_scrolling()
    site.submit("main form button[type=submit]", 422)  # the longest page: every message shown
    site.expect_no_sideways_scrolling()
    button = site.page.locator("main form button[type=submit]")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 640, box
    site.page.locator("#name").fill("Rūta")
    site.page.locator("#phone").fill("+370 600 00000")
    site.page.locator("#consent").check()
    button.focus()
    with site.page.expect_navigation():
        site.page.keyboard.press("Enter")
    site.expect_no_sideways_scrolling()
    site.scan("lt", "/p/<library>/registrations/<token> at 200 %")
    site.check()
