"""`bibnet demo` gives Pasvalys' sensory room a wellbeing survey: a "before" and an "after" run with the
participants' own codes, 40 responses on weekdays (some typed in from paper), the "after" run open today.
Loading it again adds nothing."""
from click.testing import CliRunner
from flask.cli import ScriptInfo
import sqlalchemy as sa

from bibnet.cli import main
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.surveys import services
from bibnet.tenants.surveys.models import Channel, Phase, SurveyResponse, SurveyRun


def _load(app):
    result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output


def test_the_demo_has_a_matched_wellbeing_survey_of_pasvalys_sensory_room_once(app, app_context):
    _load(app)
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "pasvalys"))
    with tenant_scope(tenant):
        runs = {run.phase: run for run in db.session.scalars(sa.select(SurveyRun))}
        assert set(runs) == {Phase.BEFORE, Phase.AFTER}
        after = runs[Phase.AFTER]
        assert (after.before_run_id, after.matched, after.room_id is not None) == (runs[Phase.BEFORE].id, True, True)
        responses = db.session.scalars(sa.select(SurveyResponse)).all()
        assert len(responses) == 40
        assert 0 < sum(response.channel is Channel.PAPER for response in responses) < 40
        assert all(response.received_on.weekday() < 5 and response.received_on < tenant.today() for response in responses)
        assert services.matched_pairs(after) >= 10
        assert services.is_open(after, tenant.today())
    _load(app)
    with tenant_scope(tenant):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == 40
