"""The figures of a funding report for one reporting period: planned, reported this period, cumulative,
remaining and % used, per cost category and per source; partner rows summed into the project's; and the
spending profile over the periods (planned and reported, cumulative) that the dashboards chart.

Two ways lead to the same numbers, and the tests hold them equal:

- one partner (`partner_figures`, `partner_overview`): the current tenant's, through the budgets services;
- every partner of a project at once (`project_figures`, `project_overview`): the rows of all partners are
  read in one pass, grouped by tenant under `partners_of`, so a lead's page runs the same number of queries
  for two partners or fifty. Each partner's plan is then built from its rows by `_plan_from_rows`, which
  applies the budgets' rule (`budgets.services.version_plan`) to rows already read.
"""
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import current_tenant_id, partners_of
from bibnet.tenancy.models import Project
from bibnet.tenants.budgets import services as budgets
from bibnet.tenants.budgets.cofinancing import Split, cents_of_sum, round_half_up, split
from bibnet.tenants.budgets.models import BudgetLine, BudgetLinePeriod, BudgetVersion, ContributionSource, CostCategory, FinanceSetup
from bibnet.tenants.budgets.services import PartnerPlan
from bibnet.tenants.expenditure import services as expenditure
from bibnet.tenants.expenditure.models import Expenditure

ZERO = Decimal("0.00")

# Amounts per cost category and reporting period number.
Amounts = Mapping[tuple[CostCategory, int], Decimal]


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


@dataclass(frozen=True)
class PeriodProgress:
    """One reporting period of a spending profile: planned and reported in it, and up to its end."""

    number: int
    planned: Decimal
    reported: Decimal
    planned_to_date: Decimal
    reported_to_date: Decimal

    @property
    def used(self) -> Decimal | None:
        """What was reported up to the end of the period, as a percentage of what was planned up to it."""
        return percent_used(self.reported_to_date, self.planned_to_date)


def spending_profile(numbers: Iterable[int], planned: Mapping[int, Decimal], reported: Mapping[int, Decimal]) -> tuple[PeriodProgress, ...]:
    rows = []
    planned_to_date = reported_to_date = ZERO
    for number in numbers:
        planned_to_date += planned.get(number, ZERO)
        reported_to_date += reported.get(number, ZERO)
        rows.append(PeriodProgress(number, planned.get(number, ZERO), reported.get(number, ZERO), planned_to_date, reported_to_date))
    return tuple(rows)


def sum_profiles(numbers: Iterable[int], profiles: Iterable[tuple[PeriodProgress, ...]]) -> tuple[PeriodProgress, ...]:
    """The project's profile: the partners' periods summed, never recomputed."""
    planned: dict[int, Decimal] = defaultdict(lambda: ZERO)
    reported: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for profile in profiles:
        for progress in profile:
            planned[progress.number] += progress.planned
            reported[progress.number] += progress.reported
    return spending_profile(numbers, planned, reported)


@dataclass(frozen=True)
class Overview:
    """A partner's figures for one period, its spending profile over every period, and the names its pages show."""

    figures: Figures
    profile: tuple[PeriodProgress, ...]
    fund_name: str
    source_names: tuple[str, ...]

    def progress(self, period_number: int) -> PeriodProgress:
        return next(progress for progress in self.profile if progress.number == period_number)


def period_numbers(project: Project) -> list[int]:
    """The project's reporting periods; a project that has none yet is one period, number 1."""
    return [period.number for period in project.reporting_periods] or [1]


def _overview(project: Project, period_number: int, plan: PartnerPlan, setup: FinanceSetup, sources: list[ContributionSource], reported: Amounts) -> Overview:
    this_period = dict.fromkeys(CostCategory, ZERO)
    cumulative = dict.fromkeys(CostCategory, ZERO)
    per_period: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (category, number), amount in reported.items():
        per_period[number] += amount
        if number <= period_number:
            cumulative[category] += amount
        if number == period_number:
            this_period[category] += amount
    # Each period's reported total is split in the plan's proportions, with the plan's own rule; what is
    # reported so far is the sum of those splits, as Jems sums its reports (previously reported + current),
    # so rounding differences stay in the remaining budget instead of moving between reports.
    shares = budgets.source_shares(sources, setup.fund_rate, plan.split.contribution)
    splits = {number: split(total, setup.fund_rate, shares) for number, total in per_period.items()}
    nothing = split(ZERO, setup.fund_rate, shares)
    cumulative_split = nothing
    for number in sorted(splits):
        if number <= period_number:
            cumulative_split += splits[number]
    figures = Figures(
        planned=plan.categories,
        this_period=this_period,
        cumulative=cumulative,
        planned_split=plan.split,
        this_period_split=splits.get(period_number, nothing),
        cumulative_split=cumulative_split,
    )
    profile = spending_profile(period_numbers(project), plan.periods, per_period)
    return Overview(figures, profile, setup.fund_name, plan.source_names)


def _reported_sums(project_ids: list[int], *grouped_by) -> sa.Select:
    """Reported amounts in EUR per category and period (and per `grouped_by`), in the current scope."""
    return expenditure.reported_sums(project_ids, *grouped_by, Expenditure.category, Expenditure.period_number)


# --- one partner: the current tenant ----------------------------------------------------------------------------


def partner_overview(project: Project, period_number: int) -> Overview:
    """The current tenant's figures and spending profile, in a fixed number of queries whatever the number of items."""
    plan = budgets.partner_plan(project)
    setup = budgets.setup_of(project)
    sources = budgets.sources_of(project)
    reported = {(category, number): cents_of_sum(amount) for category, number, amount in db.session.execute(_reported_sums([project.id]))}
    return _overview(project, period_number, plan, setup, sources, reported)


def partner_figures(project: Project, period_number: int) -> Figures:
    """The current tenant's figures, in a fixed number of queries whatever the number of items."""
    return partner_overview(project, period_number).figures


# --- many partners in one pass ----------------------------------------------------------------------------------


@dataclass
class _Ledger:
    """One partner's rows in one project: its budget in force per category and period, its sources, its reports."""

    planned: dict[tuple[CostCategory, int], Decimal] = field(default_factory=dict)
    sources: list[ContributionSource] = field(default_factory=list)
    reported: dict[tuple[CostCategory, int], Decimal] = field(default_factory=dict)


def _setups(project_ids: list[int]) -> dict[int, FinanceSetup]:
    """Each project's finance setup; a project without one uses ERDF at 80 % (as `budgets.setup_of`)."""
    found = {setup.project_id: setup for setup in db.session.scalars(sa.select(FinanceSetup).where(FinanceSetup.project_id.in_(project_ids)))}
    return {project_id: found.get(project_id) or budgets.default_setup(project_id) for project_id in project_ids}


def _ledgers(project_ids: list[int]) -> dict[tuple[int, int], _Ledger]:
    """The rows of every tenant the current scope may read, by (project id, tenant id), in three queries."""
    ledgers: dict[tuple[int, int], _Ledger] = defaultdict(_Ledger)
    planned = (
        sa.select(BudgetVersion.project_id, BudgetLine.tenant_id, BudgetLine.category, BudgetLinePeriod.period_number, sa.func.sum(BudgetLinePeriod.amount))
        .join(BudgetLine, BudgetLine.id == BudgetLinePeriod.line_id)
        .join(BudgetVersion, BudgetVersion.id == BudgetLine.version_id)
        .where(BudgetVersion.project_id.in_(project_ids), BudgetVersion.in_force)
        .group_by(BudgetVersion.project_id, BudgetLine.tenant_id, BudgetLine.category, BudgetLinePeriod.period_number)
    )
    for project_id, tenant_id, category, number, amount in db.session.execute(planned):
        ledgers[project_id, tenant_id].planned[category, number] = cents_of_sum(amount)
    sources = sa.select(ContributionSource).where(ContributionSource.project_id.in_(project_ids)).order_by(ContributionSource.position)
    for source in db.session.scalars(sources):
        ledgers[source.project_id, source.tenant_id].sources.append(source)
    reported = _reported_sums(project_ids, Expenditure.project_id, Expenditure.tenant_id)
    for project_id, tenant_id, category, number, amount in db.session.execute(reported):
        ledgers[project_id, tenant_id].reported[category, number] = cents_of_sum(amount)
    return ledgers


def _plan_from_rows(setup: FinanceSetup, ledger: _Ledger) -> PartnerPlan:
    """The partner's plan as `budgets.partner_plan` gives it, from rows already read."""
    return budgets.plan_of(setup, budgets.plan_amounts(ledger.planned, setup.office_flat_rate), ledger.sources)


def project_overview(project: Project, period_number: int) -> dict[int, Overview]:
    """Every partner's overview by tenant id, in partner order, in a fixed number of queries whatever the
    number of partners. Who may see them (the project's lead, an admin) is decided by the caller."""
    with partners_of(project, reason=f"funding figures of every partner, period {period_number}"):
        setup = _setups([project.id])[project.id]
        ledgers = _ledgers([project.id])
    overviews = {}
    for partner in project.partners:
        ledger = ledgers.get((project.id, partner.tenant_id), _Ledger())
        overviews[partner.tenant_id] = _overview(project, period_number, _plan_from_rows(setup, ledger), setup, ledger.sources, ledger.reported)
    return overviews


def project_figures(project: Project, period_number: int) -> tuple[dict[int, Figures], Figures | None]:
    """Every partner's figures (by tenant id) and the project's, which are their sum, never recomputed."""
    rows = {tenant_id: overview.figures for tenant_id, overview in project_overview(project, period_number).items()}
    total = None
    for figures in rows.values():
        total = figures if total is None else total + figures
    return rows, total


@dataclass(frozen=True)
class Spending:
    """What the current tenant planned in a project and has reported so far, for the box on its home page."""

    project: Project
    planned: Decimal
    reported: Decimal

    @property
    def used(self) -> Decimal | None:
        return percent_used(self.reported, self.planned)


def spending_of_current_tenant(projects: list[Project]) -> list[Spending]:
    """The current tenant's planned and reported totals in each project, in four queries whatever their number."""
    project_ids = [project.id for project in projects]
    setups, ledgers = _setups(project_ids), _ledgers(project_ids)
    spending = []
    for project in projects:
        ledger = ledgers.get((project.id, current_tenant_id()), _Ledger())
        categories, _periods = budgets.plan_amounts(ledger.planned, setups[project.id].office_flat_rate)
        spending.append(Spending(project, sum(categories.values(), ZERO), sum(ledger.reported.values(), ZERO)))
    return spending
