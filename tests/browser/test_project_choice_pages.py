"""A library taking part in two projects chooses one on the budget, expenditure and funding pages: those lists
have no axe-core WCAG 2.2 A/AA violation in en, lv and lt."""
from datetime import date

import pytest

from bibnet.extensions import db
from bibnet.tenancy.models import Partner, PartnerRole, Project

from .conftest import LANGUAGES

pytestmark = pytest.mark.browser


@pytest.fixture
def second_project(browser_app, world):
    with browser_app.app_context():
        project = Project(programme="Interreg VI-A Latvia–Lithuania", acronym="ReadingTogether", title="Reading together", starts_on=date(2025, 1, 1), ends_on=date(2026, 12, 31))
        db.session.add(project)
        db.session.flush()
        db.session.add(Partner(project_id=project.id, tenant_id=world.jelgava_id, number=1, role=PartnerRole.LEAD))
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_project_lists_of_a_library_in_two_projects(site, second_project, language):
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    for path, what in (("/t/jelgava/budget/", "the budget's projects"), ("/t/jelgava/expenditure/", "the expenditure's projects"), ("/t/jelgava/funding/", "the funding's projects")):
        site.goto(path, 200)
        assert "ReadingTogether" in site.page.locator("main").inner_text()
        site.scan(language, what)
    site.check()
