"""The funding dashboards in en, lv and lt have no axe-core WCAG 2.2 A/AA violation and load nothing from elsewhere:
a partner's dashboard (with and without an error in the period), the box on the tenant home, and the lead's page."""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, ReportingPeriod, Tenant
from bibnet.tenants.budgets import services as budgets
from bibnet.tenants.budgets.models import BudgetVersion, ContributionSource, CostCategory, LegalStatus, SourceKind
from bibnet.tenants.expenditure import services as expenditure
from bibnet.tenants.expenditure.services import ExpenditureInput

from .conftest import LANGUAGES

pytestmark = pytest.mark.browser

PERIODS = ((1, date(2024, 6, 1), date(2024, 11, 30)), (2, date(2024, 12, 1), date(2025, 5, 31)), (3, date(2025, 6, 1), date(2026, 5, 31)))


@pytest.fixture
def project_id(browser_app, world) -> int:
    """Both partners plan staff and equipment; Jelgava is over budget on equipment and has a credit note, Pasvalys is
    behind plan."""
    with browser_app.app_context():
        project = db.session.scalar(sa.select(Project))
        db.session.add_all(ReportingPeriod(project_id=project.id, number=number, starts_on=first, ends_on=last) for number, first, last in PERIODS)
        db.session.commit()
        for tenant_id, staff, equipment, reported in (
            (world.jelgava_id, "9000.00", "16281.10", [(1, "staff", "3000.00"), (2, "equipment", "16500.00"), (2, "staff", "-150.00")]),
            (world.pasvalys_id, "18000.00", "24000.10", [(1, "staff", "1234.56")]),
        ):
            with tenant_scope(db.session.get(Tenant, tenant_id)):
                db.session.add_all([
                    ContributionSource(project_id=project.id, position=1, name="State budget", legal_status=LegalStatus.PUBLIC, kind=SourceKind.PERCENTAGE, value=Decimal("10.00")),
                    ContributionSource(project_id=project.id, position=2, name="Municipal budget", legal_status=LegalStatus.PUBLIC, kind=SourceKind.REMAINDER),
                ])
                version = BudgetVersion(project_id=project.id, number=0, in_force=True)
                db.session.add(version)
                db.session.flush()
                budgets.add_line(version, CostCategory.STAFF, "Coordinator", Decimal(1), Decimal(staff), periods=len(PERIODS))
                budgets.add_line(version, CostCategory.EQUIPMENT, "Sensory room", Decimal(1), Decimal(equipment), periods=len(PERIODS))
                for number, (period, category, amount) in enumerate(reported):
                    item = expenditure.create(ExpenditureInput(
                        period_number=period, category=category, invoice_date=PERIODS[period - 1][1], supplier="SIA Piegādātājs",
                        invoice_number=f"N-{number}", description="An item", invoice_total=Decimal(amount), declared_amount=Decimal(amount),
                    ), project)
                    expenditure.submit([item])
                db.session.commit()
        project_id = project.id
        db.session.remove()
    return project_id


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_funding_pages_of_a_coordinator(site, project_id, language):
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    site.goto(f"/t/jelgava/funding/{project_id}/?period=2", 200)
    assert site.page.locator("#profile-chart").count() == 1
    site.scan(language, "/t/jelgava/funding/<id>/")
    site.goto(f"/t/jelgava/funding/{project_id}/?period=9", 422)
    site.scan(language, "/t/jelgava/funding/<id>/ with an error")
    site.goto("/t/jelgava/", 200)
    assert site.page.locator("#home-funding-heading").count() == 1
    site.scan(language, "/t/jelgava/ with the funding box")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_project_leads_funding_page(site, project_id, language):
    site.log_in("lead@pasvalys.example")
    site.switch_language(language)
    site.page.locator(f'a[href="/projects/{project_id}/funding/"]').first.click()
    site.page.wait_for_load_state()
    assert site.page.url.endswith(f"/projects/{project_id}/funding/")
    site.goto(f"/projects/{project_id}/funding/?period=2", 200)
    assert site.page.locator("#partners-table tbody tr").count() == 2
    site.scan(language, "/projects/<id>/funding/")
    site.goto(f"/projects/{project_id}/funding/?period=x", 422)
    site.scan(language, "/projects/<id>/funding/ with an error")
    site.check()


def test_the_funding_pages_reflow_at_320_css_pixels(site, project_id):
    site.page.set_viewport_size({"width": 320, "height": 640})
    site.log_in("coordinator@jelgava.example")
    site.switch_language("lv")
    for path in (f"/t/jelgava/funding/{project_id}/?period=2", "/t/jelgava/"):
        site.goto(path, 200)
        site.expect_no_sideways_scrolling()
        site.scan("lv", f"{path} at 320 px")
    site.check()
