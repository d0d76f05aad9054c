"""The durability pages in en, lv and lt have no axe-core WCAG 2.2 A/AA violation and load nothing from elsewhere:
the invoice picker of an item, the disposal request with its error summary, the lead's decision, and the durability
register for a partner and for the project."""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, ReportingPeriod
from bibnet.tenants.expenditure import services as expenditure
from bibnet.tenants.expenditure.services import ExpenditureInput
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.durability.models import DisposalRequest
from bibnet.tenants.inventory.models import Category, Item

from .conftest import LANGUAGES

pytestmark = pytest.mark.browser


@pytest.fixture
def equipment(browser_app, world) -> dict:
    """Jelgava's funded bubble tube on an equipment invoice, an unlinked magnifier, and a waiting disposal request."""
    with browser_app.app_context():
        project = db.session.scalar(sa.select(Project))
        project.reporting_periods = [ReportingPeriod(number=1, starts_on=date(2024, 6, 1), ends_on=date(2026, 5, 31))]
        db.session.commit()
        with tenant_scope(world.jelgava_id):
            bought = expenditure.create(ExpenditureInput(
                period_number=1, category="equipment", invoice_date=date(2024, 9, 10), supplier="SIA Sensorika", invoice_number="SR-2024/118",
                description="Burbuļu kolonna", invoice_total=Decimal("1210.00"), declared_amount=Decimal("1210.00"),
            ), project)
            ensure_shared_categories()
            category = db.session.scalar(sa.select(Category).where(Category.shared_key == "sensory_equipment"))
            funded = inventory.register(Item(name="Burbuļu kolonna", category=category, cost=Decimal("1210.00"), expenditure_id=bought.id))
            other = inventory.register(Item(name="Lupa", category=category, cost=Decimal("145.20")))
            request = DisposalRequest(item_id=funded.id, reason="Salūzis sūknis")
            db.session.add(request)
            db.session.commit()
            ids = {"project": project.id, "funded": funded.id, "other": other.id, "request": request.id}
        db.session.remove()
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_coordinators_durability_pages(site, equipment, language):
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    site.goto(f"/t/jelgava/equipment/funding/items/{equipment['funded']}/invoice", 200)
    site.scan(language, "the invoice of a funded item")
    site.goto(f"/t/jelgava/equipment/funding/items/{equipment['other']}/invoice?q=sensor", 200)
    site.scan(language, "the invoice picker, searched")
    site.goto(f"/t/jelgava/equipment/funding/items/{equipment['other']}/disposal", 200)
    site.submit("main form button[type=submit]", 422)
    assert site.page.locator(".error-summary li").count() >= 1
    site.scan(language, "a disposal request refused")
    site.goto(f"/t/jelgava/equipment/funding/{equipment['project']}/", 200)
    site.scan(language, "the partner's durability register")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_leads_durability_pages(site, equipment, language):
    site.log_in("lead@pasvalys.example")
    site.switch_language(language)
    site.goto(f"/projects/{equipment['project']}/durability/", 200)
    site.scan(language, "the project's durability register")
    site.goto(f"/t/jelgava/equipment/funding/disposals/{equipment['request']}", 200)
    site.scan(language, "a disposal request to decide")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "a decision without a choice")
