"""The figures of a funding report for one reporting period: planned, reported this period, cumulative,
remaining and % used, per cost category and per source; partner rows summed into the project's."""
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project
from bibnet.tenants.budgets import services as budgets
from bibnet.tenants.budgets.cofinancing import Split, round_half_up, split
from bibnet.tenants.budgets.models import CostCategory
from bibnet.tenants.expenditure.models import Expenditure, ExpenditureStatus

# Items count as reported once the coordinator has submitted them; rejected, draft and deleted ones do not.
REPORTED = (ExpenditureStatus.SUBMITTED, ExpenditureStatus.VERIFIED)
ZERO = Decimal("0.00")


def percent_used(part: Decimal, whole: Decimal) -> Decimal | None:
    """Half-up to two decimals; None when nothing was planned."""
    return round_half_up(Fraction(part) * 100 / Fraction(whole)) if whole else None


@dataclass(frozen=True)
class Figures:
    """One partner's (or the project's) figures for a reporting period."""

    planned: dict[CostCategory, Decimal]
    this_period: dict[CostCategory, Decimal]
    cumulative: dict[CostCategory, Decimal]
    planned_split: Split
    this_period_split: Split
    cumulative_split: Split

    def remaining(self, category: CostCategory) -> Decimal:
        return self.planned[category] - self.cumulative[category]

    def used(self, category: CostCategory) -> Decimal | None:
        return percent_used(self.cumulative[category], self.planned[category])

    def __add__(self, other: "Figures") -> "Figures":
        def add(a, b):
            return {category: a[category] + b[category] for category in CostCategory}

        return Figures(
            add(self.planned, other.planned), add(self.this_period, other.this_period), add(self.cumulative, other.cumulative),
            self.planned_split + other.planned_split, self.this_period_split + other.this_period_split, self.cumulative_split + other.cumulative_split,
        )


def partner_figures(project: Project, period_number: int) -> Figures:
    """The current tenant's figures, in a fixed number of queries whatever the number of items."""
    plan = budgets.partner_plan(project)
    setup = budgets.setup_of(project)
    this_period = dict.fromkeys(CostCategory, ZERO)
    cumulative = dict.fromkeys(CostCategory, ZERO)
    rows = db.session.execute(
        sa.select(Expenditure.category, Expenditure.period_number, sa.func.sum(Expenditure.declared_eur))
        .where(
            Expenditure.project_id == project.id,
            Expenditure.status.in_(REPORTED),
            Expenditure.deleted_at.is_(None),
            Expenditure.period_number <= period_number,
        )
        .group_by(Expenditure.category, Expenditure.period_number)
    )
    for category, number, amount in rows:
        amount = Decimal(amount).quantize(Decimal("0.01"))
        cumulative[category] += amount
        if number == period_number:
            this_period[category] += amount
    # Reported totals are split in the plan's proportions, with the plan's own rule.
    shares = budgets.source_shares(budgets.sources_of(project), setup.fund_rate, plan.split.contribution)
    return Figures(
        planned=plan.categories,
        this_period=this_period,
        cumulative=cumulative,
        planned_split=plan.split,
        this_period_split=split(sum(this_period.values(), ZERO), setup.fund_rate, shares),
        cumulative_split=split(sum(cumulative.values(), ZERO), setup.fund_rate, shares),
    )


def project_figures(project: Project, period_number: int) -> tuple[dict[int, Figures], Figures | None]:
    """Every partner's figures (by tenant id) and the project's, which are their sum, never recomputed.

    Each partner's rows are read in that partner's own scope, as its coordinator would see them; who may
    see the whole project (its lead, an admin) is decided by the caller.
    """
    rows = {}
    for partner in project.partners:
        with tenant_scope(partner.tenant_id):
            rows[partner.tenant_id] = partner_figures(project, period_number)
    total = None
    for figures in rows.values():
        total = figures if total is None else total + figures
    return rows, total

