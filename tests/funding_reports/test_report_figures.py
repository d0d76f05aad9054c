"""Funding report figures: reported amounts per category and source, split with the plan's rule, and the
project's figures as the sum of its partners' rows."""
from dataclasses import replace
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from bibnet import demo
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenants.budgets.demo import load_demo as load_budget_demo
from bibnet.tenants.budgets.models import CostCategory
from bibnet.tenants.expenditure import services
from bibnet.tenants.expenditure.services import ExpenditureInput
from bibnet.tenants.funding_reports.figures import partner_figures, project_figures

ITEM = ExpenditureInput(
    period_number=1, category="equipment", invoice_date=date(2024, 9, 10), supplier="SIA Sensorika",
    invoice_number="SR-1", description="Bubble tube", invoice_total=Decimal("10000.01"), declared_amount=Decimal("10000.01"),
)


def test_reported_amounts_are_split_like_the_plan_and_summed_into_the_project(app_context):
    demo.load(date(2026, 5, 31))  # the periods of 2024-06 to 2026-05 that ITEM is dated in
    load_budget_demo()
    project = db.session.scalar(sa.select(Project))
    pasvalys, jelgava = (db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug)) for slug in ("pasvalys", "jelgava"))
    with tenant_scope(pasvalys):
        first = services.create(ITEM, project)
        second = services.create(replace(ITEM, invoice_number="SR-2", period_number=2, invoice_date=date(2025, 1, 10), invoice_total=Decimal("500.00"), declared_amount=Decimal("500.00")), project)
        draft = services.create(replace(ITEM, invoice_number="SR-3"), project)
        services.submit([first, second])
        db.session.commit()
        assert draft.status.value == "draft"  # a draft is not reported
        figures = partner_figures(project, period_number=1)
    assert figures.this_period[CostCategory.EQUIPMENT] == Decimal("10000.01")
    assert (figures.this_period_split.fund, figures.this_period_split.sources) == (Decimal("8000.00"), (Decimal("1000.00"), Decimal("1000.01")))
    assert figures.remaining(CostCategory.EQUIPMENT) == Decimal("24000.10") - Decimal("10000.01")
    assert figures.used(CostCategory.EQUIPMENT) == Decimal("41.67")
    with tenant_scope(jelgava):
        services.submit([services.create(replace(ITEM, supplier="SIA Cits"), project)])
        db.session.commit()
    rows, total = project_figures(project, period_number=2)
    assert total.planned_split.total == Decimal("124562.30")
    assert total.planned_split.fund == Decimal("99649.84") and total.planned_split.sources == (Decimal("12456.23"), Decimal("12456.23"))
    assert total.cumulative[CostCategory.EQUIPMENT] == Decimal("20500.02")
    assert total.cumulative_split.fund == sum(row.cumulative_split.fund for row in rows.values())
    assert total.this_period[CostCategory.EQUIPMENT] == Decimal("500.00")


def test_reported_so_far_is_the_sum_of_each_periods_split_as_jems_sums_its_reports(app_context):
    """10,000.01 in period 1 and 10,000.01 in period 2: each gives 8,000.00 to ERDF (rounded down), so 16,000.00
    is reported so far, not round_down(20,000.02 × 80 %) = 16,000.01; the cent stays in the remaining budget."""
    demo.load(date(2026, 5, 31))  # the periods of 2024-06 to 2026-05 that ITEM is dated in
    load_budget_demo()
    project = db.session.scalar(sa.select(Project))
    pasvalys = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "pasvalys"))
    with tenant_scope(pasvalys):
        first = services.create(ITEM, project)
        second = services.create(replace(ITEM, invoice_number="SR-2", period_number=2, invoice_date=date(2025, 1, 10)), project)
        services.submit([first, second])
        db.session.commit()
        figures = partner_figures(project, period_number=2)
    assert figures.this_period_split.fund == Decimal("8000.00")
    assert figures.cumulative_split.fund == Decimal("16000.00")
    assert figures.cumulative_split.total == Decimal("20000.02") == figures.cumulative_split.fund + sum(figures.cumulative_split.sources)
