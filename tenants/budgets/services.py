"""Budget plans: lines, their spread over the reporting periods, and each partner's co-financing.

Like the booking services, these check first and write after; a refusal raises BudgetInvalid (field
errors) and nothing is written. Callers commit.
"""
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from bibnet.extensions import db
from bibnet.tenants.budgets.cofinancing import (
    CoFinancingError,
    Split,
    round_down,
    share_of_contribution_for_amount,
    share_of_contribution_for_percentage,
    split,
    spread,
)
from bibnet.tenants.budgets.models import (
    BudgetLine,
    BudgetLinePeriod,
    BudgetVersion,
    ContributionSource,
    CostCategory,
    FinanceSetup,
    SourceKind,
)

MAX_AMOUNT = Decimal("999999999.99")


class BudgetInvalid(Exception):
    """The request is wrong; `errors` maps field names to translated messages. Nothing was written."""

    def __init__(self, errors: dict[str, list]):
        super().__init__(errors)
        self.errors = errors


def _fail(errors: dict[str, list]):
    db.session.rollback()
    raise BudgetInvalid(errors)


def _two_decimals(value: Decimal) -> bool:
    return value == value.quantize(Decimal("0.01"))


def setup_of(project) -> FinanceSetup:
    """The project's finance setup; a project without one uses ERDF at 80 % and no flat rate."""
    setup = db.session.scalar(sa.select(FinanceSetup).where(FinanceSetup.project_id == project.id))
    return setup or FinanceSetup(project_id=project.id, fund_name="ERDF", fund_rate=Decimal("80.00"), office_flat_rate=None)


def line_total(units: Decimal, unit_price: Decimal) -> Decimal:
    """Units × unit price, truncated to the cent (as Jems computes a budget line)."""
    return round_down(Fraction(units) * Fraction(unit_price))


def add_line(
    version: BudgetVersion,
    category: CostCategory,
    description: str,
    units: Decimal,
    unit_price: Decimal,
    periods: int,
    unit_type: str = "",
    period_amounts: list[Decimal] | None = None,
) -> BudgetLine:
    """Add a line; `period_amounts` gives every period but the last (which takes the remainder), or None
    to spread the total evenly."""
    errors: dict[str, list] = {}
    if not description.strip():
        errors.setdefault("description", []).append(_l("Describe the budget line."))
    if units <= 0 or not _two_decimals(units):
        errors.setdefault("units", []).append(_l("Enter a number of units above 0, with at most two decimals."))
    if unit_price < 0 or unit_price > MAX_AMOUNT or not _two_decimals(unit_price):
        errors.setdefault("unit_price", []).append(_l("Enter an amount of 0 or more, with at most two decimals."))
    if errors:
        _fail(errors)
    setup = setup_of(_project_of(version))
    if category is CostCategory.OFFICE and setup.office_flat_rate is not None:
        _fail({"category": [_l("Office and administration costs are a flat rate of staff costs in this project.")]})
    total = line_total(units, unit_price)
    if total > MAX_AMOUNT:
        _fail({"unit_price": [_l("A budget line can total at most 999,999,999.99.")]})
    amounts = _period_amounts(total, periods, period_amounts)
    line = BudgetLine(version=version, category=category, description=description.strip(), unit_type=unit_type.strip(), units=units, unit_price=unit_price, total=total)
    line.periods = [BudgetLinePeriod(period_number=number, amount=amount) for number, amount in enumerate(amounts, start=1)]
    db.session.add(line)
    db.session.flush()
    return line


def _period_amounts(total: Decimal, periods: int, given: list[Decimal] | None) -> list[Decimal]:
    if given is None:
        return spread(total, [Fraction(1)] * periods)
    if len(given) != periods - 1 or any(amount < 0 or not _two_decimals(amount) for amount in given):
        _fail({"periods": [_l("Give an amount of 0 or more for every period but the last.")]})
    last = total - sum(given, Decimal("0.00"))
    if last < 0:
        _fail({"periods": [_l("The periods add up to more than the line's total.")]})
    return [*given, last]


def _project_of(version: BudgetVersion):
    from bibnet.tenancy.models import Project

    return db.session.get(Project, version.project_id)


@dataclass(frozen=True)
class PartnerPlan:
    """A partner's budget in force: totals per cost category and per reporting period, and its co-financing."""

    categories: dict[CostCategory, Decimal]
    periods: dict[int, Decimal]
    split: Split
    source_names: tuple[str, ...]

    @property
    def total(self) -> Decimal:
        return self.split.total


def version_in_force(project) -> BudgetVersion | None:
    return db.session.scalar(sa.select(BudgetVersion).where(BudgetVersion.project_id == project.id, BudgetVersion.in_force))


def sources_of(project) -> list[ContributionSource]:
    return list(db.session.scalars(sa.select(ContributionSource).where(ContributionSource.project_id == project.id).order_by(ContributionSource.position)))


def source_shares(sources: list[ContributionSource], fund_rate: Decimal, planned_contribution: Decimal) -> list[Fraction]:
    """Each source but the last as its share of the contribution (see cofinancing.py)."""
    shares = []
    for source in sources[:-1]:
        if source.kind is SourceKind.PERCENTAGE:
            shares.append(share_of_contribution_for_percentage(source.value, fund_rate))
        else:
            shares.append(share_of_contribution_for_amount(source.value, planned_contribution))
    return shares


def partner_plan(project) -> PartnerPlan:
    """The current tenant's budget in force for `project`, in three queries whatever its size."""
    setup = setup_of(project)
    version = version_in_force(project)
    categories = dict.fromkeys(CostCategory, Decimal("0.00"))
    periods: dict[int, Decimal] = {}
    if version is not None:
        for category, amount in db.session.execute(
            sa.select(BudgetLine.category, sa.func.sum(BudgetLine.total)).where(BudgetLine.version_id == version.id).group_by(BudgetLine.category)
        ):
            categories[category] = Decimal(amount).quantize(Decimal("0.01"))
        for number, amount in db.session.execute(
            sa.select(BudgetLinePeriod.period_number, sa.func.sum(BudgetLinePeriod.amount))
            .join(BudgetLine, BudgetLine.id == BudgetLinePeriod.line_id)
            .where(BudgetLine.version_id == version.id)
            .group_by(BudgetLinePeriod.period_number)
        ):
            periods[number] = Decimal(amount).quantize(Decimal("0.01"))
    if setup.office_flat_rate is not None:
        categories[CostCategory.OFFICE] = round_down(Fraction(categories[CostCategory.STAFF]) * Fraction(setup.office_flat_rate) / 100)
    total = sum(categories.values(), Decimal("0.00"))
    sources = sources_of(project)
    planned_contribution = total - split(total, setup.fund_rate, []).fund
    try:
        plan_split = split(total, setup.fund_rate, source_shares(sources, setup.fund_rate, planned_contribution))
    except CoFinancingError:
        raise BudgetInvalid({"sources": [_l("The contribution sources ask for more than the partner's contribution.")]}) from None
    return PartnerPlan(categories, periods, plan_split, tuple(source.name for source in sources) or ("",))
