"""The demo's expenditure reproduces the seed to the cent: the consolidated figures of the last period show
124,562.30 = 99,649.84 ERDF + 12,456.23 state + 12,456.23 municipal, and loading it again changes nothing."""
from decimal import Decimal

import sqlalchemy as sa

from bibnet import demo
from bibnet.extensions import db
from bibnet.tenancy.context import all_tenants
from bibnet.tenancy.models import Project
from bibnet.tenants import budgets, expenditure
from bibnet.tenants.expenditure.models import Expenditure, ExpenditureStatus
from bibnet.tenants.funding_reports.figures import project_figures


def load_everything():
    demo.load()
    db.session.commit()
    budgets.load_demo()
    expenditure.load_demo()


def test_the_demo_reports_the_seed_figures_to_the_cent(app_context):
    load_everything()
    project = db.session.scalar(sa.select(Project))
    rows, total = project_figures(project, 4)
    assert total.cumulative_split.total == Decimal("124562.30")
    assert total.cumulative_split.fund == Decimal("99649.84")
    assert total.cumulative_split.sources == (Decimal("12456.23"), Decimal("12456.23"))
    assert total.cumulative == total.planned  # every category spent exactly as planned
    for figures in rows.values():
        assert figures.cumulative_split == figures.planned_split


def test_each_partner_has_a_credit_note_a_draft_and_a_rejected_item_and_periods_are_verified_then_submitted(app_context):
    load_everything()
    with all_tenants("test: the demo's items"):
        items = db.session.scalars(sa.select(Expenditure)).all()
    for tenant_id in {item.tenant_id for item in items}:
        own = [item for item in items if item.tenant_id == tenant_id]
        assert sum(item.is_credit_note for item in own) == 1
        assert [item.status for item in own].count(ExpenditureStatus.DRAFT) == 1
        rejected = [item for item in own if item.status is ExpenditureStatus.REJECTED]
        assert len(rejected) == 1 and rejected[0].status_comment
        reported = [item for item in own if item.status in (ExpenditureStatus.SUBMITTED, ExpenditureStatus.VERIFIED)]
        assert {item.status for item in reported if item.period_number < 4} == {ExpenditureStatus.VERIFIED}
        assert {item.status for item in reported if item.period_number == 4} == {ExpenditureStatus.SUBMITTED}


def test_loading_the_demo_again_adds_nothing(app_context):
    load_everything()
    with all_tenants("test: count"):
        before = db.session.scalar(sa.select(sa.func.count()).select_from(Expenditure))
    load_everything()
    with all_tenants("test: count"):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Expenditure)) == before > 0
