"""The home visits' and maintenance pages in every language and state (filled, with errors) have no axe-core
WCAG 2.2 A/AA violation, and a visit is logged with the keyboard alone."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.home_visits import services as visits
from bibnet.tenants.home_visits.models import PartOfDay
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.models import Category, Item
from bibnet.tenants.lending.models import Borrower
from bibnet.tenants.maintenance import services as maintenance

from .conftest import LANGUAGES

pytestmark = pytest.mark.browser


def seed(app, world) -> dict:
    """A borrower with a visit today and one tomorrow, and a bubble tube with its safety test overdue."""
    with app.app_context(), tenant_scope(world.jelgava_id):
        borrower = Borrower(name="Anna Bērziņa", phone="+371 2000 0001", address="Lielā iela 10, Jelgava", consent_on=date(2026, 1, 5))
        db.session.add(borrower)
        db.session.flush()
        today = visits._today()
        first = visits.schedule(visits.VisitInput(borrower_id=borrower.id, visit_on=today, part_of_day=PartOfDay.MORNING, staff_id=world.staff_user_id))
        visits.schedule(visits.VisitInput(borrower_id=borrower.id, visit_on=today + timedelta(days=1), part_of_day=PartOfDay.EVENING, volunteer_name="Līga"))
        ensure_shared_categories()
        tube = inventory.register(Item(name="Bubble tube", category=db.session.scalar(sa.select(Category).where(Category.shared_key == "sensory_equipment")), cost=Decimal("2400.00")))
        maintenance.create_schedule(maintenance.ScheduleInput(title="Electrical safety test", item_id=tube.id, interval_months=12, first_due_on=today - timedelta(days=3)))
        db.session.commit()
        ids = {"visit": first.id, "item": tube.id}
        db.session.remove()
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_visit_and_maintenance_pages(site, world, browser_app, language):
    ids = seed(browser_app, world)
    site.log_in("coordinator@jelgava.example")
    site.goto("/t/jelgava/", 200)
    site.switch_language(language)
    site.scan(language, "the tenant home with the visits' and maintenance panels")
    site.goto("/t/jelgava/home-visits/", 200)
    site.scan(language)
    site.goto(f"/t/jelgava/home-visits/{ids['visit']}/", 200)
    site.scan(language, "/home-visits/<id>/")
    site.goto("/t/jelgava/home-visits/new", 200)
    site.scan(language)
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/home-visits/new with errors")
    site.goto(f"/t/jelgava/home-visits/{ids['visit']}/log", 200)
    site.scan(language, "/home-visits/<id>/log")
    site.page.locator("#held-0").check()
    site.page.locator("#taken_tags").fill("BN-99999")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/home-visits/<id>/log with errors")
    site.goto("/t/jelgava/home-visits/logged", 200)
    site.scan(language)

    site.goto("/t/jelgava/maintenance/", 200)
    site.scan(language)
    site.goto(f"/t/jelgava/maintenance/items/{ids['item']}/schedules/new", 200)
    site.scan(language, "/maintenance/items/<id>/schedules/new")
    site.page.locator("#interval_months").fill("0")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/maintenance/items/<id>/schedules/new with errors")
    site.goto(f"/t/jelgava/maintenance/items/{ids['item']}/records/new", 200)
    site.scan(language, "/maintenance/items/<id>/records/new")
    site.page.locator("#cost").fill("12,345")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/maintenance/items/<id>/records/new with errors")
    site.check()


def test_a_visit_is_logged_with_the_keyboard_alone(site, world, browser_app):
    ids = seed(browser_app, world)
    site.log_in("staff@jelgava.example")
    site.goto(f"/t/jelgava/home-visits/{ids['visit']}/log", 200)
    page = site.page
    page.locator("#held-0").focus()
    page.keyboard.press("Space")
    page.locator("#served_seniors").focus()
    page.keyboard.type("1")
    page.locator("main form button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/home-visits/{ids['visit']}/")
    site.scan("lv", "/home-visits/<id>/ once held")
    site.check()
