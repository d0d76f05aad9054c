"""The demo lines up in time: loaded on any day, its project has a reporting period containing that day, and the
report of that period counts the demo's sessions and visitors instead of zeros."""
from datetime import date
from itertools import pairwise

from click.testing import CliRunner
from flask.cli import ScriptInfo
import pytest
import sqlalchemy as sa

from bibnet import demo
from bibnet.cli import main
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenants.funding_reports import indicators


@pytest.fixture
def loaded_demo(app, app_context):
    result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    return db.session.scalar(sa.select(Project).where(Project.acronym == demo.PROJECT["acronym"]))


def _current_period(project):
    today = date.today()
    return next((period for period in project.reporting_periods if period.starts_on <= today <= period.ends_on), None)


def test_a_reporting_period_of_the_demo_contains_the_day_it_was_loaded(loaded_demo):
    period = _current_period(loaded_demo)
    assert period is not None, [(p.starts_on, p.ends_on) for p in loaded_demo.reporting_periods]
    assert (loaded_demo.starts_on, loaded_demo.ends_on) == (loaded_demo.reporting_periods[0].starts_on, loaded_demo.reporting_periods[-1].ends_on)


def test_the_indicators_of_the_current_period_count_the_demos_sessions_and_visitors(loaded_demo):
    period = _current_period(loaded_demo)
    project_rows = dict(indicators.of_project(loaded_demo, period).rows)
    sessions, visitors = project_rows["Sessions held in the sensory rooms"][-1], project_rows["Visitors in all target groups"][-1]
    assert sessions not in (0, "<5") and visitors not in (0, "<5"), (sessions, visitors)
    for slug in ("pasvalys", "jelgava"):  # the partners with a sensory room
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        with tenant_scope(tenant):
            rows = dict(indicators.of_partner(tenant, period).rows)
        assert rows["Sessions held in the sensory rooms"][0] > 0 and rows["Visitors in all target groups"][0] > 0, (slug, rows)


@pytest.mark.parametrize("today", [date(2026, 12, 2), date(2027, 1, 31), date(2028, 2, 29), date(2026, 6, 1)])
def test_the_periods_are_four_half_years_ending_with_the_month_of_loading(today):
    periods = demo.project_dates(today)
    assert [number for number, *_ in periods] == [1, 2, 3, 4]
    assert periods[-1][1] <= today <= periods[-1][2] and periods[-1][2].month == today.month
    for (_, _, ends_on), (_, starts_on, _) in pairwise(periods):
        assert (starts_on - ends_on).days == 1
    assert all(starts_on.day == 1 and (ends_on.month - starts_on.month) % 12 == 5 for _, starts_on, ends_on in periods)
