"""The partners' register and the services at home and remote, in every language and state (filled, with
errors), have no axe-core WCAG 2.2 A/AA violation; a service is logged with the keyboard alone."""
from datetime import timedelta

import pytest

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.organisations import services as organisations
from bibnet.tenants.organisations.models import OrganisationKind
from bibnet.tenants.outreach import services as outreach
from bibnet.tenants.outreach.models import ServiceKind

from .conftest import LANGUAGES

pytestmark = pytest.mark.browser


def seed(app, world) -> dict:
    """A partner with an agreement expiring soon, a service logged and an estimate of who needs the services."""
    with app.app_context(), tenant_scope(world.jelgava_id):
        today = organisations.library_today()
        partner = organisations.add_organisation(organisations.OrganisationInput(name="Jelgavas sociālo lietu pārvalde", kind=OrganisationKind.SOCIAL_SERVICES, contact_person="Ilze Kalna"))
        agreement = organisations.add_agreement(partner, organisations.AgreementInput(parties="Library and social services", signed_on=today - timedelta(days=300), expires_on=today + timedelta(days=30), scope="Referrals"))
        service = outreach.log_service(outreach.ServiceInput(kind=ServiceKind.HOME_DELIVERY, given_on=today, staff_id=world.staff_user_id, served={"seniors": 2}, note="8 books"))
        outreach.record_need(outreach.NeedInput(TargetGroup.SENIORS, 200, "Social services' list", today))
        db.session.commit()
        ids = {"organisation": partner.id, "agreement": agreement.id, "service": service.id}
        db.session.remove()
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_partner_and_outreach_pages(site, world, browser_app, language):
    ids = seed(browser_app, world)
    site.log_in("coordinator@jelgava.example")
    site.goto("/t/jelgava/", 200)
    site.switch_language(language)
    site.scan(language, "the tenant home with the expiring agreement's task")
    site.goto("/t/jelgava/partners/", 200)
    site.scan(language)
    site.goto(f"/t/jelgava/partners/{ids['organisation']}/", 200)
    site.scan(language, "/partners/<id>/")
    site.goto("/t/jelgava/partners/new", 200)
    site.scan(language)
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/partners/new with errors")
    site.goto(f"/t/jelgava/partners/{ids['organisation']}/edit", 200)
    site.scan(language, "/partners/<id>/edit")
    site.goto(f"/t/jelgava/partners/{ids['organisation']}/agreements/new", 200)
    site.scan(language, "/partners/<id>/agreements/new")
    site.page.locator("#expires_on").fill("2000-01-01")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/partners/<id>/agreements/new with errors")
    site.goto(f"/t/jelgava/partners/agreements/{ids['agreement']}/edit", 200)
    site.scan(language, "/partners/agreements/<id>/edit")

    site.goto("/t/jelgava/outreach/", 200)
    site.scan(language)
    site.goto("/t/jelgava/outreach/?month=2026-13", 422)
    site.scan(language, "/outreach/ with a wrong month")
    site.goto("/t/jelgava/outreach/new", 200)
    site.scan(language)
    site.page.locator("#served_seniors").fill("-2")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/outreach/new with errors")
    site.goto(f"/t/jelgava/outreach/{ids['service']}/edit", 200)
    site.scan(language, "/outreach/<id>/edit")
    site.goto("/t/jelgava/outreach/figures", 200)
    site.scan(language)
    site.goto("/t/jelgava/outreach/needs", 200)
    site.scan(language)
    site.goto("/t/jelgava/outreach/needs/new", 200)
    site.scan(language)
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/outreach/needs/new with errors")
    site.check()


def test_a_service_is_logged_with_the_keyboard_alone(site, world, browser_app):
    seed(browser_app, world)
    site.log_in("staff@jelgava.example")
    site.goto("/t/jelgava/outreach/new", 200)
    page = site.page
    page.locator("#kind").focus()
    page.keyboard.press("End")  # the last service: interlibrary loan
    page.locator("#served_visual").focus()
    page.keyboard.type("3")
    page.locator("#note").focus()
    page.keyboard.type("Two books from Riga")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Two books from Riga" in page.content()
