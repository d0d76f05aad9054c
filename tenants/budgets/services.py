"""Budget plans: lines, their spread over the reporting periods, and each partner's co-financing.

Like the booking services, these check first and write after; a refusal raises `Refused` (field errors)
before anything is written. Callers commit.
"""
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenants.budgets.cofinancing import (
    CoFinancingError,
    Split,
    cents_of_sum,
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
from bibnet.web.i18n import money

MAX_AMOUNT = Decimal("999999999.99")
DESCRIPTION_LENGTH, UNIT_TYPE_LENGTH = 255, 60  # the columns of BudgetLine


def two_decimals(value: Decimal) -> bool:
    """Whether `value` has at most two decimals (a whole number of cents)."""
    return value == value.quantize(Decimal("0.01"))


def setup_of(project) -> FinanceSetup:
    """The project's finance setup; a project without one uses ERDF at 80 % and no flat rate."""
    setup = db.session.scalar(sa.select(FinanceSetup).where(FinanceSetup.project_id == project.id))
    return setup or default_setup(project.id)


def default_setup(project_id: int) -> FinanceSetup:
    """What a project without a finance setup uses: ERDF at 80 %, no flat rate (not added to the session)."""
    return FinanceSetup(project_id=project_id, fund_name="ERDF", fund_rate=Decimal("80.00"), office_flat_rate=None)


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
    kept: dict[int, Decimal] | None = None,
) -> BudgetLine:
    """Add a line; `period_amounts` gives every open period but the last (which takes the remainder), or None
    to spread the total evenly over the open periods. `kept` holds the amounts of the closed periods, which
    stay as they are (a modification, see periods.py); without it every period is open."""
    line = BudgetLine()
    _fill_line(line, version, category, description, units, unit_price, periods, unit_type, period_amounts, kept)
    line.version = version
    db.session.add(line)
    db.session.flush()
    return line


def change_line(
    line: BudgetLine,
    category: CostCategory,
    description: str,
    units: Decimal,
    unit_price: Decimal,
    periods: int,
    unit_type: str = "",
    period_amounts: list[Decimal] | None = None,
    kept: dict[int, Decimal] | None = None,
) -> BudgetLine:
    """Change a line with the checks of `add_line`; its open periods are planned again."""
    _fill_line(line, line.version, category, description, units, unit_price, periods, unit_type, period_amounts, kept)
    db.session.flush()
    return line


def _fill_line(line, version, category, description, units, unit_price, periods, unit_type, period_amounts, kept=None) -> None:
    """Check everything first (Refused, nothing changed), then set the line's fields and periods."""
    errors: dict[str, list] = {}
    if not description.strip():
        errors.setdefault("description", []).append(_l("Describe the budget line."))
    elif len(description.strip()) > DESCRIPTION_LENGTH:
        errors.setdefault("description", []).append(_l("Use at most %(max)d characters.", max=DESCRIPTION_LENGTH))
    if len(unit_type.strip()) > UNIT_TYPE_LENGTH:
        errors.setdefault("unit_type", []).append(_l("Use at most %(max)d characters.", max=UNIT_TYPE_LENGTH))
    if units <= 0 or units > MAX_AMOUNT or not two_decimals(units):
        errors.setdefault("units", []).append(_l("Enter a number of units above 0, with at most two decimals."))
    if unit_price < 0 or unit_price > MAX_AMOUNT or not two_decimals(unit_price):
        errors.setdefault("unit_price", []).append(_l("Enter an amount of 0 or more, with at most two decimals."))
    if periods < 1:
        errors.setdefault("periods", []).append(_l("The project has no reporting periods yet. The project lead sets them in the finance setup."))
    if errors:
        raise Refused(errors)
    setup = setup_of(_project_of(version))
    if category is CostCategory.OFFICE and setup.office_flat_rate is not None:
        raise Refused({"category": [_l("Office and administration costs are a flat rate of staff costs in this project.")]})
    total = line_total(units, unit_price)
    if total > MAX_AMOUNT:
        raise Refused({"unit_price": [_l("A budget line can total at most 999,999,999.99.")]})
    amounts = period_plan(total, periods, period_amounts, kept or {})
    line.category, line.description, line.unit_type = category, description.strip(), unit_type.strip()
    line.units, line.unit_price, line.total = units, unit_price, total
    # Rows are kept by period number: replacing them would insert before deleting, against their unique number.
    existing = {part.period_number: part for part in line.periods}
    parts = []
    for number, amount in enumerate(amounts, start=1):
        part = existing.get(number) or BudgetLinePeriod(period_number=number)
        part.amount = amount
        parts.append(part)
    line.periods = parts


def period_plan(total: Decimal, periods: int, given: list[Decimal] | None, kept: dict[int, Decimal]) -> list[Decimal]:
    """A line's amount for each of the periods 1..`periods`: the `kept` (closed) periods keep theirs, and the rest
    of the total goes to the open periods, evenly or as `given` for every open period but the last, which takes
    the remainder. The amounts add up to the total to the cent."""
    open_numbers = [number for number in range(1, periods + 1) if number not in kept]
    if not open_numbers:
        raise Refused({"periods": [_l("Every reporting period has ended or has reported spending, so the budget can no longer be re-planned.")]})
    rest = total - sum(kept.values(), Decimal("0.00"))
    if rest < 0:
        raise Refused({"units": [_l("The periods already reported planned %(amount)s for this line; its total cannot be less.", amount=money(total - rest))]})
    if given is None:
        open_amounts = spread(rest, [Fraction(1)] * len(open_numbers))
    else:
        if len(given) != len(open_numbers) - 1 or any(amount < 0 or not two_decimals(amount) for amount in given):
            raise Refused({"periods": [_l("Give an amount of 0 or more for every period but the last.")]})
        last = rest - sum(given, Decimal("0.00"))
        if last < 0:
            raise Refused({"periods": [_l("The periods add up to more than the line's total.")]})
        open_amounts = [*given, last]
    planned = {**kept, **dict(zip(open_numbers, open_amounts, strict=True))}
    return [planned[number] for number in range(1, periods + 1)]


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
    """The current tenant's budget in force for `project`, in four queries whatever its size."""
    return version_plan(project, version_in_force(project))


def version_plan(project, version: BudgetVersion | None) -> PartnerPlan:
    """The current tenant's plan of one budget version (None: no budget yet), in three queries whatever its size."""
    setup = setup_of(project)
    return plan_of(setup, planned_amounts(version, setup.office_flat_rate), sources_of(project))


def plan_of(setup: FinanceSetup, amounts: tuple[dict[CostCategory, Decimal], dict[int, Decimal]], sources: list[ContributionSource]) -> PartnerPlan:
    """A partner's plan from its totals per category and per period (see `plan_amounts`) and its sources."""
    categories, periods = amounts
    total = sum(categories.values(), Decimal("0.00"))
    planned_contribution = total - split(total, setup.fund_rate, []).fund
    try:
        plan_split = split(total, setup.fund_rate, source_shares(sources, setup.fund_rate, planned_contribution))
    except CoFinancingError:
        raise Refused({"sources": [_l("The contribution sources ask for more than the partner's contribution.")]}) from None
    return PartnerPlan(categories, periods, plan_split, tuple(source.name for source in sources) or ("",))


def planned_amounts(version: BudgetVersion | None, office_flat_rate: Decimal | None) -> tuple[dict[CostCategory, Decimal], dict[int, Decimal]]:
    """A version's totals per cost category and per period number, in one query (see `plan_amounts`)."""
    return plan_amounts(line_periods_of(version), office_flat_rate)


def line_periods_of(version: BudgetVersion | None) -> dict[tuple[CostCategory, int], Decimal]:
    """A version's lines summed per (cost category, period number), in one query; no version: nothing.
    Without the office flat rate, which `plan_amounts` adds."""
    if version is None:
        return {}
    return {
        (category, number): cents_of_sum(amount)
        for category, number, amount in db.session.execute(
            sa.select(BudgetLine.category, BudgetLinePeriod.period_number, sa.func.sum(BudgetLinePeriod.amount))
            .join(BudgetLine, BudgetLine.id == BudgetLinePeriod.line_id)
            .where(BudgetLine.version_id == version.id)
            .group_by(BudgetLine.category, BudgetLinePeriod.period_number)
        )
    }


def plan_amounts(line_periods: dict[tuple[CostCategory, int], Decimal], office_flat_rate: Decimal | None) -> tuple[dict[CostCategory, Decimal], dict[int, Decimal]]:
    """Totals per cost category and per period of a budget's lines, summed by (category, period).

    With an office flat rate, the office costs are round_down(staff × rate), spread over the periods in
    proportion to each period's staff costs, the last period taking the remainder (as Jems plans them).
    """
    categories = dict.fromkeys(CostCategory, Decimal("0.00"))
    periods: dict[int, Decimal] = {}
    staff_periods: dict[int, Decimal] = {}
    for (category, number), amount in sorted(line_periods.items()):
        categories[category] += amount
        periods[number] = periods.get(number, Decimal("0.00")) + amount
        if category is CostCategory.STAFF:
            staff_periods[number] = amount
    if office_flat_rate is not None:
        office = round_down(Fraction(categories[CostCategory.STAFF]) * Fraction(office_flat_rate) / 100)
        categories[CostCategory.OFFICE] = office
        if office:
            numbers = sorted(staff_periods)
            for number, part in zip(numbers, spread(office, [Fraction(staff_periods[number]) for number in numbers]), strict=True):
                periods[number] += part
    return categories, periods
