"""The programme indicator pages in en, lv and lt have no axe-core WCAG 2.2 A/AA violation and load nothing from
elsewhere: the lead's table of a period with the common indicators offered, adding one (with an error), a
period's value and evidence (with an error), and the project's funding dashboard with its indicator table; the
value and the evidence are entered by keyboard."""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.models import Project, ReportingPeriod
from bibnet.tenants.funding_reports.programme_indicators import services

from .conftest import LANGUAGES

pytestmark = pytest.mark.browser

PERIODS = ((1, date(2024, 6, 1), date(2024, 11, 30)), (2, date(2024, 12, 1), date(2025, 5, 31)), (3, date(2025, 6, 1), date(2026, 5, 31)))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def project(browser_app, world) -> tuple[int, int]:
    """The project with three periods, the common RCO85 (fed from e-learning) and RCO115 typed by hand with evidence."""
    with browser_app.app_context():
        project = db.session.scalar(sa.select(Project))
        db.session.add_all(ReportingPeriod(project_id=project.id, number=number, starts_on=first, ends_on=last) for number, first, last in PERIODS)
        db.session.commit()
        db.session.refresh(project)
        services.add(project, services.common_input("RCO85", Decimal(45)))
        events = services.add(project, services.IndicatorInput("RCO115", "Public events across borders jointly organised", "events", Decimal(0), Decimal(3), "manual"))
        services.set_values(project, project.reporting_periods[1], {"RCO115": Decimal(1)})
        services.attach_evidence(project, events, project.reporting_periods[1], PDF, "attendance.pdf", "Signed attendance list of the joint conference")
        db.session.commit()
        ids = project.id, events.id
        db.session.remove()
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_programme_indicator_pages(site, project, language):
    project_id, events_id = project
    site.log_in("lead@pasvalys.example")
    site.switch_language(language)
    site.goto(f"/projects/{project_id}/indicators/?period=2", 200)
    assert site.page.locator("#indicators-table tbody tr").count() == 2
    site.scan(language, "/projects/<id>/indicators/")
    site.goto(f"/projects/{project_id}/indicators/new", 200)
    site.scan(language, "/projects/<id>/indicators/new")
    site.page.locator("#code").fill("RCO85")
    site.page.locator("#target").fill("many")
    site.submit("main form button[type=submit]", 422)
    assert site.page.locator("#target-error").count() == 1
    site.scan(language, "/projects/<id>/indicators/new with errors")
    site.goto(f"/projects/{project_id}/indicators/{events_id}/", 200)
    site.scan(language, "/projects/<id>/indicators/<id>/")
    site.goto(f"/projects/{project_id}/indicators/{events_id}/periods/2", 200)
    site.scan(language, "/projects/<id>/indicators/<id>/periods/2")
    site.page.locator("#value-value").focus()
    site.page.keyboard.press("Control+A")
    site.page.keyboard.type("-4")
    with site.page.expect_navigation() as navigation:
        site.page.keyboard.press("Enter")
    assert navigation.value.status == 422
    assert site.page.locator("#value-value-error").count() == 1
    site.scan(language, "/projects/<id>/indicators/<id>/periods/2 with an error")
    site.goto(f"/projects/{project_id}/funding/?period=2", 200)
    assert site.page.locator("#programme-indicators-heading").count() == 1
    site.scan(language, "/projects/<id>/funding/ with the programme indicators")
    site.check()
