"""Partner budgets: lines truncated to the cent, spread over periods, co-financed by the one split rule;
the demo reproduces the seed project's figures exactly."""
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bibnet import demo
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import partners_of, tenant_scope
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenants.budgets import services
from bibnet.tenants.budgets.demo import load_demo as load_budget_demo
from bibnet.tenants.budgets.models import (
    BudgetLine,
    BudgetVersion,
    ContributionSource,
    CostCategory,
    FinanceSetup,
    LegalStatus,
    SourceKind,
)


@pytest.fixture
def version(world):
    with tenant_scope(world.jelgava):
        db.session.add_all([
            ContributionSource(project_id=world.project.id, position=1, name="Valsts budžets", legal_status=LegalStatus.PUBLIC, kind=SourceKind.PERCENTAGE, value=Decimal("10")),
            ContributionSource(project_id=world.project.id, position=2, name="Pašvaldības budžets", legal_status=LegalStatus.PUBLIC, kind=SourceKind.REMAINDER),
        ])
        version = BudgetVersion(project_id=world.project.id, number=0, in_force=True)
        db.session.add(version)
        db.session.commit()
        yield version


def test_the_demo_reproduces_the_seed_project_to_the_cent(app_context):
    demo.load()
    load_budget_demo()
    load_budget_demo()  # idempotent
    project = db.session.scalar(sa.select(Project))
    plans = {}
    for tenant in db.session.scalars(sa.select(Tenant).order_by(Tenant.id)):
        with tenant_scope(tenant):
            plans[tenant.slug] = services.partner_plan(project)
    assert {slug: plan.total for slug, plan in plans.items()} == {
        "pasvalys": Decimal("52000.10"), "jelgava": Decimal("36281.10"), "augsdaugava": Decimal("36281.10")
    }
    consolidated = plans["pasvalys"].split + plans["jelgava"].split + plans["augsdaugava"].split
    assert (consolidated.total, consolidated.fund, consolidated.sources) == (
        Decimal("124562.30"), Decimal("99649.84"), (Decimal("12456.23"), Decimal("12456.23"))
    )
    assert sum(plans["pasvalys"].periods.values()) == Decimal("52000.10") and len(plans["pasvalys"].periods) == 4
    with partners_of(project, reason="test: every partner's lines"):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BudgetLine)) == 9


def test_a_line_is_units_times_price_truncated_and_its_last_period_takes_the_remainder(world, version):
    line = services.add_line(version, CostCategory.EXTERNAL, "Accessibility audit", Decimal("1.50"), Decimal("0.03"), periods=2)
    assert line.total == Decimal("0.04")  # 0.045 rounded down
    line = services.add_line(version, CostCategory.EQUIPMENT, "Bubble tube", Decimal("1"), Decimal("100.00"), periods=3)
    assert [period.amount for period in line.periods] == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    line = services.add_line(version, CostCategory.STAFF, "Coordinator", Decimal("10"), Decimal("10.00"), periods=3, period_amounts=[Decimal("60.00"), Decimal("0.00")])
    assert [period.amount for period in line.periods] == [Decimal("60.00"), Decimal("0.00"), Decimal("40.00")]


@pytest.mark.parametrize(
    "units,price,amounts,field",
    [
        (Decimal("0"), Decimal("10.00"), None, "units"),
        (Decimal("1"), Decimal("10.001"), None, "unit_price"),
        (Decimal("1"), Decimal("-5.00"), None, "unit_price"),
        (Decimal("1"), Decimal("100.00"), [Decimal("80.00"), Decimal("30.00")], "periods"),
        (Decimal("1"), Decimal("100.00"), [Decimal("10.00")], "periods"),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(world, version, units, price, amounts, field):
    with pytest.raises(Refused) as refused:
        services.add_line(version, CostCategory.EQUIPMENT, "Projector", units, price, periods=3, period_amounts=amounts)
    assert field in refused.value.errors
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BudgetLine)) == 0


def test_the_plan_splits_the_partner_total_by_the_fund_rate_and_the_sources(world, version):
    services.add_line(version, CostCategory.EQUIPMENT, "Sensory room equipment", Decimal("1"), Decimal("36281.07"), periods=4)
    plan = services.partner_plan(world.project)
    assert plan.split.fund == Decimal("29024.85")
    assert plan.split.sources == (Decimal("3628.11"), Decimal("3628.11"))
    assert plan.source_names == ("Valsts budžets", "Pašvaldības budžets")


def test_an_office_flat_rate_is_computed_from_staff_costs_and_refuses_office_lines(world, version):
    db.session.add(FinanceSetup(project_id=world.project.id, fund_rate=Decimal("80"), office_flat_rate=Decimal("15")))
    db.session.commit()
    services.add_line(version, CostCategory.STAFF, "Coordinator", Decimal("1"), Decimal("12345.67"), periods=4)
    assert services.partner_plan(world.project).categories[CostCategory.OFFICE] == Decimal("1851.85")
    with pytest.raises(Refused) as refused:
        services.add_line(version, CostCategory.OFFICE, "Rent", Decimal("1"), Decimal("100.00"), periods=4)
    assert "category" in refused.value.errors


def test_a_partner_sees_only_its_own_budget(world, version):
    services.add_line(version, CostCategory.STAFF, "Coordinator", Decimal("1"), Decimal("1000.00"), periods=4)
    db.session.commit()
    with tenant_scope(world.pasvalys):
        assert services.partner_plan(world.project).total == Decimal("0.00")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BudgetLine)) == 0
