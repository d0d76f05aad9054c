"""The survey results pages in en, lv and lt have no axe-core WCAG 2.2 A/AA violation and load nothing from
elsewhere: a library's results, a run with its before/after comparison, and the project lead's page."""
from datetime import date

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenants.rooms.models import Room
from bibnet.tenants.surveys.models import Channel, Outcome, Phase, SurveyAnswer, SurveyItem, SurveyResponse, SurveyRun, SurveyTemplate

from .conftest import LANGUAGES

pytestmark = pytest.mark.browser


@pytest.fixture
def survey(browser_app, world) -> dict:
    """Jelgava: a matched before/after pair of runs (7 and 6 responses); Pasvalys: a run with 3 (hidden)."""
    with browser_app.app_context():
        calm = SurveyItem(key="wellbeing.calm", outcome=Outcome.WELLBEING, plain={"en": "I felt calm"}, position=1)
        new = SurveyItem(key="knowledge.new", outcome=Outcome.KNOWLEDGE, plain={"en": "I learnt something new"}, position=2)
        db.session.add_all([calm, new])
        db.session.flush()
        ids = {}
        for tenant_id, counts in ((world.jelgava_id, (7, 6)), (world.pasvalys_id, (None, 3))):
            tenant = db.session.get(Tenant, tenant_id)
            with tenant_scope(tenant):
                room = Room(library=f"{tenant.name} central library", name="Sensory room", capacity=8)
                template = SurveyTemplate(name="Wellbeing")
                db.session.add_all([room, template])
                db.session.flush()
                before = None
                if counts[0]:
                    before = SurveyRun(template_id=template.id, title="Club: before", room_id=room.id, phase=Phase.BEFORE, matched=True, code=f"B{tenant_id:07d}")
                    db.session.add(before)
                    db.session.flush()
                after = SurveyRun(
                    template_id=template.id, title="Club: after", room_id=room.id, phase=Phase.AFTER if before else Phase.SINGLE,
                    before_run_id=before.id if before else None, matched=bool(before), code=f"A{tenant_id:07d}",
                )
                db.session.add(after)
                db.session.flush()
                for run, count, values in ((before, counts[0], (2, 3, 4)), (after, counts[1], (4, 5, 3))):
                    for number in range(count or 0):
                        db.session.add(SurveyResponse(
                            run_id=run.id, channel=Channel.ONLINE, received_on=date(2026, 11, 5), match_key=f"key{number}" if run.matched else None,
                            answers=[SurveyAnswer(item_id=calm.id, value=values[number % 3]), SurveyAnswer(item_id=new.id, value=None if number == 0 else 4)],
                        ))
                db.session.commit()
                ids[tenant.slug] = after.id
        ids["project"] = db.session.scalar(sa.select(Project.id))
        db.session.remove()
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_results_pages_of_a_coordinator(site, survey, language):
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    site.goto("/t/jelgava/surveys/results/", 200)
    site.scan(language, "/t/jelgava/surveys/results/")
    site.goto(f"/t/jelgava/surveys/results/runs/{survey['jelgava']}", 200)
    assert site.page.locator("#change-table").count() == 1
    site.scan(language, "/t/jelgava/surveys/results/runs/<id>")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_project_leads_survey_results(site, survey, language):
    site.log_in("lead@pasvalys.example")
    site.switch_language(language)
    site.goto(f"/projects/{survey['project']}/surveys", 200)
    assert site.page.locator("#partners-table .survey-hidden").count() > 0
    site.scan(language, "/projects/<id>/surveys")
    site.check()
