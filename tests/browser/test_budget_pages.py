"""The budget pages in en, lv and lt have no axe-core WCAG 2.2 A/AA violation and load nothing from elsewhere:
the partner budget in force and its draft, the line form (filled and with errors), and the project lead's
finance setup, periods and sources (with errors), and the draft with its approval form."""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Partner, Project, ReportingPeriod
from bibnet.tenants.budgets import services, versions
from bibnet.tenants.budgets.models import BudgetVersion, ContributionSource, CostCategory, FinanceSetup, LegalStatus, SourceKind

from .conftest import LANGUAGES

pytestmark = pytest.mark.browser

PERIODS = [(date(2024, 6, 1), date(2024, 11, 30)), (date(2024, 12, 1), date(2025, 5, 31)), (date(2025, 6, 1), date(2025, 11, 30)), (date(2025, 12, 1), date(2026, 5, 31))]


@pytest.fixture
def budget(browser_app, world) -> dict:
    """Jelgava's original budget in force (ERDF 80 %, state budget 10 %, the municipality the rest) and a draft
    modification with one more line; the ids the pages need."""
    with browser_app.app_context():
        project = db.session.scalar(sa.select(Project))
        for number, (starts_on, ends_on) in enumerate(PERIODS, start=1):
            db.session.add(ReportingPeriod(project_id=project.id, number=number, starts_on=starts_on, ends_on=ends_on))
        db.session.add(FinanceSetup(project_id=project.id, fund_name="ERDF", fund_rate=Decimal("80.00")))
        db.session.commit()
        with tenant_scope(world.jelgava_id):
            db.session.add_all([
                ContributionSource(project_id=project.id, position=1, name="Valsts budžets", legal_status=LegalStatus.PUBLIC, kind=SourceKind.PERCENTAGE, value=Decimal("10.00")),
                ContributionSource(project_id=project.id, position=2, name="Pašvaldības budžets", legal_status=LegalStatus.PUBLIC, kind=SourceKind.REMAINDER),
            ])
            original = BudgetVersion(project_id=project.id, number=0, approved_on=project.starts_on, in_force=True)
            db.session.add(original)
            services.add_line(original, CostCategory.STAFF, "Sensorās lasītavas speciālists", Decimal(24), Decimal("500.00"), 4, "mēnesis")
            services.add_line(original, CostCategory.EQUIPMENT, "Sensorās lasītavas aprīkojums", Decimal(1), Decimal("16281.10"), 4, "komplekts")
            db.session.commit()
            draft = versions.start_draft(project)
            line = versions.add_line(project, draft, versions.LineInput(CostCategory.EXTERNAL, "Pieejamības konsultācijas", Decimal(4), Decimal("2000.00"), "konsultācija"))
            db.session.commit()
            line_id = line.id
        partner_id = db.session.scalar(sa.select(Partner.id).where(Partner.tenant_id == world.jelgava_id))
        ids = {"project": project.id, "partner": partner_id, "line": line_id}
        db.session.remove()
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_coordinators_budget_pages(site, budget, language):
    budget_url = f"/t/jelgava/budget/{budget['project']}/"
    site.log_in("coordinator@jelgava.example")
    site.goto(budget_url, 200)
    site.switch_language(language)
    site.scan(language, "the budget in force")
    site.goto(f"{budget_url}versions/1/", 200)
    site.scan(language, "the draft with its changes")
    site.expect_no_sideways_scrolling()
    site.goto(f"{budget_url}versions/1/lines/new", 200)
    site.scan(language, "a new line")
    site.goto(f"{budget_url}lines/{budget['line']}/edit", 200)
    site.scan(language, "a line of the draft, edited")
    site.page.locator("#description").fill("Projektors")
    site.page.locator("#units").fill("-2")
    site.page.locator("#unit_price").fill("450,505")
    site.submit("main form button[type=submit]", 422)
    assert site.page.locator(".error-summary").count() == 1
    site.scan(language, "a new line with errors")
    site.goto(f"{budget_url}versions/1/", 200)
    site.submit("main form[action$='/discard'] button", 200)
    site.submit("main form[action$='/versions/'] button", 200)
    site.scan(language, "the confirmation of a new modification")
    site.submit("main form button[type=submit]", 200)
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_project_leads_finance_pages(site, budget, language):
    setup_url = f"/projects/{budget['project']}/finance/"
    site.log_in("lead@pasvalys.example")
    site.goto(setup_url, 200)
    site.switch_language(language)
    site.scan(language, "the finance setup")
    site.page.locator("#fund_rate").fill("0")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "the finance setup with an error")
    site.goto(f"{setup_url}periods", 200)
    site.scan(language, "the periods")
    site.page.locator("#periods_1_starts_on").fill("2024-11-01")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "the periods with an error")
    site.goto(f"{setup_url}partners/{budget['partner']}/sources", 200)
    site.scan(language, "the sources")
    site.page.locator("#sources_0_value").fill("25")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "the sources with an error")
    site.goto(f"/t/jelgava/budget/{budget['project']}/versions/1/", 200)
    assert site.page.locator("#approved_on").count() == 1
    site.scan(language, "the draft with the approval form")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "the approval with an error")
    site.check()
