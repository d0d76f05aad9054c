"""The surveys' pages in every language and state (filled, with errors) have no axe-core WCAG 2.2 A/AA
violation; the public answer page is answered with the keyboard alone, at 200 % zoom and on a phone, without
scrolling sideways."""
from datetime import timedelta

import pytest

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.rooms.models import Room
from bibnet.tenants.surveys import services
from bibnet.tenants.surveys.bank import bank_items, ensure_bank
from bibnet.tenants.surveys.models import Channel, Phase

from .conftest import LANGUAGES

pytestmark = pytest.mark.browser


def seed(app, world) -> dict:
    """Jelgava's sensory room with a wellbeing survey, a matched before and after run (one paper response), and
    a run that closed yesterday."""
    with app.app_context(), tenant_scope(world.jelgava_id):
        room = Room(library="Jelgava central library", name="Sensory room", capacity=8)
        db.session.add(room)
        db.session.flush()
        ensure_bank()
        items = {item.key: item.id for item in bank_items()}
        template = services.save_template(None, "Sensory room – wellbeing", [items["wellbeing.calm"], items["wellbeing.mood"], items["awareness.services"]])
        before = services.save_run(None, services.RunInput(template_id=template.id, title="Autumn – before", room_id=room.id, phase=Phase.BEFORE, matched=True))
        after = services.save_run(None, services.RunInput(template_id=template.id, title="Autumn – after", room_id=room.id, phase=Phase.AFTER, before_run_id=before.id, matched=True))
        today = services.today()
        closed = services.save_run(None, services.RunInput(template_id=template.id, title="Spring", room_id=room.id, opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1)))
        services.record_response(before, services.ResponseInput(answers={items["wellbeing.calm"]: 3}, channel=Channel.PAPER, match_code="liepa7"))
        db.session.commit()
        ids = {"template": template.id, "before": before.id, "after": after.id, "code": before.code, "closed_code": closed.code, "first_item": items["wellbeing.calm"]}
        db.session.remove()
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_staff_pages_of_the_surveys(site, world, browser_app, language):
    ids = seed(browser_app, world)
    base = "/t/jelgava/surveys"
    site.log_in("coordinator@jelgava.example")
    site.goto(f"{base}/", 200)
    site.switch_language(language)
    site.scan(language)
    for path in ("/bank", "/templates/", "/templates/new", f"/templates/{ids['template']}/edit", "/runs/new", f"/runs/{ids['after']}/", f"/runs/{ids['after']}/edit", f"/runs/{ids['before']}/enter/paper", f"/runs/{ids['before']}/enter/assisted"):
        site.goto(base + path, 200)
        site.scan(language, path)
    site.goto(f"{base}/templates/new", 200)
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/templates/new with errors")
    site.goto(f"{base}/runs/new", 200)
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/runs/new with errors")
    site.goto(f"{base}/runs/{ids['before']}/enter/paper", 200)
    site.page.locator(f"#answers_{ids['first_item']}").fill("7")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/runs/<id>/enter/paper with errors")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_public_pages_of_a_survey(site, world, browser_app, language):
    ids = seed(browser_app, world)
    site.goto(f"/s/{ids['code']}", 200)
    if language != "en":
        site.switch_language(language)
    site.scan(language, "/s/<code> (choose)")
    for form in ("plain", "easy_read", "large_print"):
        site.goto(f"/s/{ids['code']}?form={form}&lang={language}&faces=1", 200)
        site.scan(language, f"/s/<code> ({form}, faces)")
    site.page.locator("#match_code").fill("x")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/s/<code> with errors")
    site.goto(f"/s/{ids['code']}/thanks?lang={language}", 200)
    site.scan(language, "/s/<code>/thanks")
    site.goto(f"/s/{ids['closed_code']}?lang={language}", 200)
    site.scan(language, "/s/<code> closed")
    site.check()


def test_a_participant_answers_with_the_keyboard_alone(site, world, browser_app):
    ids = seed(browser_app, world)
    site.goto(f"/s/{ids['code']}", 200)
    page = site.page
    page.locator("#form-plain").focus()
    page.keyboard.press("ArrowDown")  # easy to read
    page.keyboard.press("Tab")  # the languages' group: English is chosen
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # faces
    with page.expect_navigation():
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    assert "form=easy_read" in page.url and "faces=1" in page.url
    first = page.locator(f"#answers_{ids['first_item']}-0")
    first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # "Agree"
    assert page.locator(f"#answers_{ids['first_item']}-3").is_checked()
    page.locator("#match_code").focus()
    page.keyboard.type("liepa7")
    with page.expect_navigation():
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    assert "/thanks" in page.url


@pytest.mark.parametrize(("viewport", "what"), [({"width": 640, "height": 400}, "200 % zoom"), ({"width": 360, "height": 740}, "phone")])
def test_the_answer_page_reflows_at_200_percent_zoom_and_on_a_phone(site, world, browser_app, viewport, what):
    ids = seed(browser_app, world)
    site.page.set_viewport_size(viewport)
    for form in ("plain", "large_print"):
        site.goto(f"/s/{ids['code']}?form={form}&lang=lt&faces=1", 200)
        site.expect_no_sideways_scrolling()
        site.scan("lt", f"/s/<code> ({form}, {what})")
    site.page.locator(f"label[for=answers_{ids['first_item']}-4]").click()
    box = site.page.locator(f"label[for=answers_{ids['first_item']}-4]").bounding_box()
    assert box["height"] >= 44, f"the answer's touch target is {box['height']} px high"
    site.submit("main form button[type=submit]", 200)
    assert "/thanks" in site.page.url
    site.check()
