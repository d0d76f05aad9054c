"""The project lead's finance setup: the fund and its rate, the office flat rate, the reporting periods, and
each partner's contribution sources.

Every change is checked whole first and written after: a refusal raises `Refused` with field errors
named by their path in the request ("periods.1.ends_on", "sources.0.value") and nothing is written.
Callers commit. Sources are rows of the partner's tenant, written in that tenant's scope.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.refusals import refuse_if_any
from bibnet.tenancy.context import partners_of, tenant_scope
from bibnet.tenancy.models import Partner, Project, ReportingPeriod
from bibnet.tenants.budgets import spending
from bibnet.tenants.budgets.cofinancing import HUNDRED, split
from bibnet.tenants.budgets.models import (
    BudgetLine,
    BudgetLinePeriod,
    BudgetVersion,
    ContributionSource,
    CostCategory,
    FinanceSetup,
    LegalStatus,
    SourceKind,
)
from bibnet.tenants.budgets.services import planned_amounts, setup_of, sources_of, two_decimals, version_in_force
from bibnet.web.fields import format_local_date

FUND_NAME_LENGTH, SOURCE_NAME_LENGTH = 40, 120
MAX_OFFICE_FLAT_RATE = Decimal(15)  # % of staff costs, Regulation (EU) 2021/1060 Art. 54(a)
MAX_SOURCES = 10  # as in Jems
MAX_PERIODS = 60
MAX_SOURCE_AMOUNT = Decimal("999999999.99")


@dataclass(frozen=True)
class SetupInput:
    fund_name: str
    fund_rate: Decimal
    office_flat_rate: Decimal | None = None


@dataclass(frozen=True)
class PeriodInput:
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class SourceInput:
    """One source; the last one of a partner takes the remainder, so its kind and value are not used."""

    name: str
    legal_status: LegalStatus
    kind: SourceKind = SourceKind.REMAINDER
    value: Decimal | None = None


# A percentage of the partner total is a share of what the fund leaves, and at 100 % it leaves nothing: the
# reports could not split it (even 0 %), so it is refused here rather than in every report.
NO_CONTRIBUTION_TO_SHARE = _l(
    "At a fund rate of 100 % the fund pays the whole budget and there is no partner contribution to share by percentage. "
    "Give the sources before the last as amounts, or give only one source."
)


def _add(errors: dict, path: str, message) -> None:
    errors.setdefault(path, []).append(message)


# --- checks --------------------------------------------------------------------------------------------------


def setup_problems(project: Project, data: SetupInput) -> dict[str, list]:
    errors: dict[str, list] = {}
    if not data.fund_name.strip():
        _add(errors, "fund_name", _l("Enter the fund's name, for example ERDF."))
    elif len(data.fund_name.strip()) > FUND_NAME_LENGTH:
        _add(errors, "fund_name", _l("Use at most %(max)d characters.", max=FUND_NAME_LENGTH))
    if not (0 < data.fund_rate <= HUNDRED) or not two_decimals(data.fund_rate):
        _add(errors, "fund_rate", _l("Enter a rate above 0 and at most 100, with at most two decimals."))
    rate = data.office_flat_rate
    if rate is not None and (not (0 < rate <= MAX_OFFICE_FLAT_RATE) or not two_decimals(rate)):
        _add(errors, "office_flat_rate", _l("Enter a flat rate above 0 and at most 15, with at most two decimals, or leave it empty."))
    if rate is not None and setup_of(project).office_flat_rate is None and _office_lines_exist(project):
        _add(errors, "office_flat_rate", _l("Some partners plan office and administration costs as budget lines. They must remove those lines before the flat rate applies."))
    return errors


def _office_lines_exist(project: Project) -> bool:
    with partners_of(project, reason="finance setup: do partners plan office costs as lines"):
        return db.session.scalar(
            sa.select(BudgetLine.id).join(BudgetVersion).where(BudgetVersion.project_id == project.id, BudgetLine.category == CostCategory.OFFICE).limit(1)
        ) is not None


def period_problems(project: Project, periods: list[PeriodInput]) -> dict[str, list]:
    """Each period inside the project, in order, starting the day after the previous one ends; removed
    periods must not be used by budget lines or reported spending."""
    errors: dict[str, list] = {}
    if len(periods) > MAX_PERIODS:
        _add(errors, "periods", _l("A project can have at most %(max)d reporting periods.", max=MAX_PERIODS))
    previous = None
    for index, period in enumerate(periods):
        path = f"periods.{index}"
        if period.ends_on < period.starts_on:
            _add(errors, f"{path}.ends_on", _l("The last day must be on or after the first day."))
        if period.starts_on < project.starts_on:
            _add(errors, f"{path}.starts_on", _l("The period must start within the project, on %(date)s or later.", date=format_local_date(project.starts_on)))
        if period.ends_on > project.ends_on:
            _add(errors, f"{path}.ends_on", _l("The period must end within the project, on %(date)s or earlier.", date=format_local_date(project.ends_on)))
        if previous is not None:
            follows = previous.ends_on + timedelta(days=1)
            if period.starts_on <= previous.ends_on:
                _add(errors, f"{path}.starts_on", _l("Period %(number)d overlaps the period before it. It must start on %(date)s.", number=index + 1, date=format_local_date(follows)))
            elif period.starts_on != follows:
                _add(errors, f"{path}.starts_on", _l("Period %(number)d must start the day after the period before it ends, on %(date)s.", number=index + 1, date=format_local_date(follows)))
        previous = period
    removed = [period.number for period in project.reporting_periods if period.number > len(periods)]
    if removed and _periods_in_use(project, removed):
        _add(errors, "periods", _l("Period %(number)d cannot be removed: budget lines or expenditure items are in it.", number=removed[0]))
    return errors


def _periods_in_use(project: Project, numbers: list[int]) -> bool:
    """Whether a budget line or an expenditure item (a draft too) of any partner is in these periods."""
    with partners_of(project, reason="finance setup: are the periods to remove in use"):
        planned = db.session.scalar(
            sa.select(BudgetLinePeriod.id)
            .join(BudgetLine, BudgetLine.id == BudgetLinePeriod.line_id)
            .join(BudgetVersion, BudgetVersion.id == BudgetLine.version_id)
            .where(BudgetVersion.project_id == project.id, BudgetLinePeriod.period_number.in_(numbers))
            .limit(1)
        )
    if planned is not None:
        return True
    for partner in project.partners:
        with tenant_scope(partner.tenant_id, reason="finance setup: periods the partner's expenditure is in"):
            if spending.periods_in_use(project) & set(numbers):
                return True
    return False


def source_problems(project: Project, partner: Partner, sources: list[SourceInput], setup: SetupInput | None = None) -> dict[str, list]:
    """The partner's sources, in order: at least one; every one but the last a percentage of the partner
    total or an amount; together no more than the contribution of the partner's budget in force."""
    errors: dict[str, list] = {}
    if not sources:
        _add(errors, "sources", _l("Give at least one source of the partner contribution, for example the municipal budget."))
    if len(sources) > MAX_SOURCES:
        _add(errors, "sources", _l("A partner can have at most %(max)d sources.", max=MAX_SOURCES))
    for index, source in enumerate(sources):
        path = f"sources.{index}"
        if not source.name.strip():
            _add(errors, f"{path}.name", _l("Enter the name of the source, for example “State budget”."))
        elif len(source.name.strip()) > SOURCE_NAME_LENGTH:
            _add(errors, f"{path}.name", _l("Use at most %(max)d characters.", max=SOURCE_NAME_LENGTH))
        if index == len(sources) - 1:
            continue  # the last source takes the remainder
        if source.kind not in (SourceKind.PERCENTAGE, SourceKind.AMOUNT):
            _add(errors, f"{path}.kind", _l("Choose a percentage of the partner total or an amount."))
        elif source.value is None:
            _add(errors, f"{path}.value", _l("Enter the percentage or the amount."))
        elif source.value < 0 or not two_decimals(source.value):
            _add(errors, f"{path}.value", _l("Enter a number of 0 or more, with at most two decimals."))
        elif source.kind is SourceKind.PERCENTAGE and source.value > HUNDRED:
            _add(errors, f"{path}.value", _l("Enter a percentage of at most 100."))
        elif source.value > MAX_SOURCE_AMOUNT:
            _add(errors, f"{path}.value", _l("Enter an amount of at most 999,999,999.99."))
    if not errors and sources:
        with tenant_scope(partner.tenant_id, reason="finance setup: the partner's sources against its budget"):
            fund_rate = (setup or setup_of(project)).fund_rate
            office_rate = setup.office_flat_rate if setup else setup_of(project).office_flat_rate
            categories, _ = planned_amounts(version_in_force(project), office_rate)
        if fund_rate == HUNDRED and any(source.kind is SourceKind.PERCENTAGE for source in sources[:-1]):
            _add(errors, "sources", NO_CONTRIBUTION_TO_SHARE)
        elif _asks_too_much(sources[:-1], sum(categories.values(), Decimal("0.00")), fund_rate):
            _add(errors, "sources", _l("The sources before the last ask for more than the partner contribution. Lower their percentages or amounts."))
    return errors


def _asks_too_much(sources: list[SourceInput], total: Decimal, fund_rate: Decimal) -> bool:
    """Whether the sources' shares of the contribution add up to more than the whole of it."""
    contribution = total - split(total, fund_rate, []).fund
    rest = HUNDRED - fund_rate
    shares = Fraction(0)
    for source in sources:
        if not source.value:
            continue
        whole = rest if source.kind is SourceKind.PERCENTAGE else contribution
        if whole <= 0:
            return True
        shares += Fraction(source.value) / Fraction(whole)
    return shares > 1


# --- writes --------------------------------------------------------------------------------------------------


def save_setup(project: Project, data: SetupInput) -> FinanceSetup:
    refuse_if_any(setup_problems(project, data) or _sources_at_new_rate(project, data, keep=project.partners))
    _write_setup(project, data)
    return setup_of(project)


def _sources_at_new_rate(project: Project, data: SetupInput, keep) -> dict[str, list]:
    """The sources of the partners in `keep` must still fit their contribution at the new rate."""
    errors: dict[str, list] = {}
    for partner in keep:
        with tenant_scope(partner.tenant_id, reason="finance setup: the partner's sources at the new rate"):
            current = [SourceInput(s.name, s.legal_status, s.kind, s.value) for s in sources_of(project)]
        if current and source_problems(project, partner, current, data):
            if data.fund_rate == HUNDRED:
                _add(errors, "fund_rate", _l("At a fund rate of 100 %%, %(partner)s has no contribution to share by percentage. Give its sources as amounts, or only one source, first.", partner=partner.tenant.name))
            else:
                _add(errors, "fund_rate", _l("At this rate, the sources of %(partner)s ask for more than its contribution. Change its sources first.", partner=partner.tenant.name))
    return errors


def _write_setup(project: Project, data: SetupInput) -> None:
    setup = db.session.scalar(sa.select(FinanceSetup).where(FinanceSetup.project_id == project.id))
    if setup is None:
        setup = FinanceSetup(project_id=project.id)
        db.session.add(setup)
    setup.fund_name, setup.fund_rate, setup.office_flat_rate = data.fund_name.strip(), data.fund_rate, data.office_flat_rate
    db.session.flush()


def save_periods(project: Project, periods: list[PeriodInput]) -> None:
    refuse_if_any(period_problems(project, periods))
    _write_periods(project, periods)


def _write_periods(project: Project, periods: list[PeriodInput]) -> None:
    existing = {period.number: period for period in project.reporting_periods}
    for number, wanted in enumerate(periods, start=1):
        period = existing.get(number)
        if period is None:
            period = ReportingPeriod(project=project, number=number, starts_on=wanted.starts_on, ends_on=wanted.ends_on)
            db.session.add(period)
        elif (period.starts_on, period.ends_on) != (wanted.starts_on, wanted.ends_on):
            period.starts_on, period.ends_on = wanted.starts_on, wanted.ends_on
    for number, period in existing.items():
        if number > len(periods):
            project.reporting_periods.remove(period)
            db.session.delete(period)
    db.session.flush()


def save_sources(project: Project, partner: Partner, sources: list[SourceInput]) -> None:
    refuse_if_any(source_problems(project, partner, sources))
    _write_sources(project, partner, sources)


def _write_sources(project: Project, partner: Partner, sources: list[SourceInput]) -> None:
    """Rows are changed in place by position: replacing them would insert before deleting, against the
    unique position of a source."""
    with tenant_scope(partner.tenant_id, reason="finance setup: writing the partner's sources"):
        existing = {source.position: source for source in sources_of(project)}
        for position, wanted in enumerate(sources, start=1):
            row = existing.get(position) or ContributionSource(project_id=project.id, position=position)
            last = position == len(sources)
            row.name, row.legal_status = wanted.name.strip(), wanted.legal_status
            row.kind = SourceKind.REMAINDER if last else wanted.kind
            row.value = None if last else wanted.value
            db.session.add(row)
        for position, row in existing.items():
            if position > len(sources):
                db.session.delete(row)
        db.session.flush()


def save_finance(project: Project, setup: SetupInput, periods: list[PeriodInput] | None, sources: dict[Partner, list[SourceInput]]) -> None:
    """The whole setup at once (the API's PUT): all of it is checked before any of it is written."""
    errors = setup_problems(project, setup)
    if periods is not None:
        errors.update(period_problems(project, periods))
    if not errors:
        for index, (partner, partner_sources) in enumerate(sources.items()):
            for path, messages in source_problems(project, partner, partner_sources, setup).items():
                errors[f"partners.{index}.{path}"] = messages
        errors.update(_sources_at_new_rate(project, setup, keep=[partner for partner in project.partners if partner not in sources]))
    refuse_if_any(errors)
    _write_setup(project, setup)
    if periods is not None:
        _write_periods(project, periods)
    for partner, partner_sources in sources.items():
        _write_sources(project, partner, partner_sources)


def sources_by_tenant(project: Project) -> dict[int, list[ContributionSource]]:
    """Every partner's sources, read across the partners in one query (for the lead's setup pages)."""
    found: dict[int, list[ContributionSource]] = {partner.tenant_id: [] for partner in project.partners}
    with partners_of(project, reason="finance setup: the partners' contribution sources"):
        for source in db.session.scalars(
            sa.select(ContributionSource).where(ContributionSource.project_id == project.id).order_by(ContributionSource.tenant_id, ContributionSource.position)
        ):
            found.setdefault(source.tenant_id, []).append(source)
    return found
