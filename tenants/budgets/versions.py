"""Budget versions: the original (number 0) and each modification.

The coordinator drafts a version (a modification starts as a copy of the version in force) and changes its
lines; the project lead (or an admin) approves it with a date, which puts it in force. An approved
version never changes again. Approval is refused when the version's total is below the spending already
reported; a category whose reported spending exceeds its new budget is only a warning, because the
programme allows flexibility between categories.

Like the other services, these check first and write after (`Refused`, nothing written); callers commit.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
import enum

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.models import Project
from bibnet.tenants.budgets import notices, periods, services, spending
from bibnet.tenants.budgets.models import BudgetLine, BudgetLinePeriod, BudgetVersion, CostCategory
from bibnet.tenants.budgets.services import PartnerPlan, version_in_force, version_plan
from bibnet.web.fields import format_local_date
from bibnet.web.i18n import money

MAX_LINES_PER_CATEGORY = 300  # as in Jems; it also bounds every budget page and API answer
ZERO = Decimal("0.00")


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"
    IN_FORCE = "in_force"
    REPLACED = "replaced"  # approved once, then replaced by a later modification


def status_of(version: BudgetVersion) -> VersionStatus:
    if version.approved_on is None:
        return VersionStatus.DRAFT
    return VersionStatus.IN_FORCE if version.in_force else VersionStatus.REPLACED


@dataclass(frozen=True)
class LineInput:
    """A budget line as typed: `period_amounts` gives every open period but the last (see `kept_periods`), or None
    to spread evenly over the open periods."""

    category: CostCategory
    description: str
    units: Decimal
    unit_price: Decimal
    unit_type: str = ""
    period_amounts: list[Decimal] | None = None


def versions_of(project: Project) -> list[BudgetVersion]:
    """The current tenant's versions of its budget in `project`, the original first."""
    return list(db.session.scalars(sa.select(BudgetVersion).where(BudgetVersion.project_id == project.id).order_by(BudgetVersion.number)))


def draft_of(project: Project) -> BudgetVersion | None:
    return db.session.scalar(sa.select(BudgetVersion).where(BudgetVersion.project_id == project.id, BudgetVersion.approved_on.is_(None)))


def start_draft(project: Project) -> BudgetVersion:
    """The original when the partner has no budget yet, else a modification copying the version in force."""
    if draft_of(project) is not None:
        raise Refused({"version": [_l("A draft is already open. Change it, or ask the project lead to approve it.")]})
    in_force = version_in_force(project)
    if in_force is not None and project.reporting_periods and not periods.open_periods(project):
        raise Refused({"version": [_l("Every reporting period has ended or has reported spending, so the budget can no longer be modified.")]})
    last = db.session.scalar(sa.select(sa.func.max(BudgetVersion.number)).where(BudgetVersion.project_id == project.id))
    draft = BudgetVersion(project_id=project.id, number=0 if last is None else last + 1, in_force=False)
    db.session.add(draft)
    if in_force is not None:
        lines = db.session.scalars(sa.select(BudgetLine).where(BudgetLine.version_id == in_force.id).order_by(BudgetLine.id).options(selectinload(BudgetLine.periods)))
        for line in lines:
            copy = BudgetLine(version=draft, category=line.category, description=line.description, unit_type=line.unit_type, units=line.units, unit_price=line.unit_price, total=line.total)
            copy.periods = [BudgetLinePeriod(period_number=part.period_number, amount=part.amount) for part in line.periods]
            db.session.add(copy)
    db.session.flush()
    notices.draft_started(draft)
    return draft


def _draft_only(version: BudgetVersion) -> None:
    if version.approved_on is not None:
        raise Refused({"version": [_l("An approved budget version cannot change. Start a modification to change the budget.")]})


def _room_in(version: BudgetVersion, category: CostCategory) -> None:
    count = db.session.scalar(sa.select(sa.func.count()).select_from(BudgetLine).where(BudgetLine.version_id == version.id, BudgetLine.category == category))
    if count >= MAX_LINES_PER_CATEGORY:
        raise Refused({"category": [_l("A cost category can have at most %(max)d lines.", max=MAX_LINES_PER_CATEGORY)]})


def closed_for(project: Project, version: BudgetVersion) -> set[int]:
    """The periods that `version` leaves as approved: the closed ones for a modification, none for the original."""
    return periods.closed_periods(project) if version.number > 0 else set()


def kept_periods(project: Project, version: BudgetVersion, line: BudgetLine | None = None) -> dict[int, Decimal]:
    """The amounts of `line` (a new line: none) in the periods a modification leaves as approved."""
    existing = {part.period_number: part.amount for part in line.periods} if line is not None else {}
    return {number: existing.get(number, ZERO) for number in closed_for(project, version)}


def add_line(project: Project, version: BudgetVersion, data: LineInput) -> BudgetLine:
    _draft_only(version)
    _room_in(version, data.category)
    kept = kept_periods(project, version)
    return services.add_line(version, data.category, data.description, data.units, data.unit_price, len(project.reporting_periods), data.unit_type, data.period_amounts, kept)


def change_line(project: Project, line: BudgetLine, data: LineInput) -> BudgetLine:
    _draft_only(line.version)
    kept = kept_periods(project, line.version, line)
    if data.category is not line.category:
        _room_in(line.version, data.category)
        if any(kept.values()):
            raise Refused({"category": [_l("Periods already reported planned this line in its cost category, so the category cannot change. Add a new line instead.")]})
    return services.change_line(line, data.category, data.description, data.units, data.unit_price, len(project.reporting_periods), data.unit_type, data.period_amounts, kept)


def remove_line(project: Project, line: BudgetLine) -> None:
    _draft_only(line.version)
    if any(kept_periods(project, line.version, line).values()):
        raise Refused({"version": [_l("Periods already reported planned this line, so it cannot be removed. Lower its total to what those periods planned instead.")]})
    db.session.delete(line)
    db.session.flush()


def discard_draft(version: BudgetVersion) -> None:
    _draft_only(version)
    db.session.delete(version)
    db.session.flush()


@dataclass(frozen=True)
class CategoryChange:
    category: CostCategory
    in_force: Decimal
    draft: Decimal

    @property
    def difference(self) -> Decimal:
        return self.draft - self.in_force


def changes(draft: PartnerPlan, in_force: PartnerPlan) -> list[CategoryChange]:
    """Every category's total in the version in force and in the draft, in Jems's order."""
    return [CategoryChange(category, in_force.categories[category], draft.categories[category]) for category in CostCategory]


def overspent(plan: PartnerPlan, reported: dict[CostCategory, Decimal]) -> list[CostCategory]:
    """The categories whose reported spending exceeds their budget in `plan` (a warning, not a refusal)."""
    return [category for category in CostCategory if reported.get(category, ZERO) > plan.categories[category]]


def _closed_periods_unchanged(project: Project, draft: BudgetVersion, in_force: BudgetVersion) -> None:
    """A period may have closed since the draft was changed: its plan must still be the one in force."""
    draft_parts, approved_parts = services.line_periods_of(draft), services.line_periods_of(in_force)
    changed = sorted(
        number for number in periods.closed_periods(project)
        if any(draft_parts.get((category, number), ZERO) != approved_parts.get((category, number), ZERO) for category in CostCategory)
    )
    if changed:
        raise Refused({"version": [_l(
            "This draft changes the plan of periods already reported (%(periods)s). Delete the draft and start a new modification: it keeps their plan.",
            periods=", ".join(str(number) for number in changed),
        )]})


def approve(project: Project, version: BudgetVersion, approved_on: date | None) -> BudgetVersion:
    """Put a draft in force on `approved_on`; the version in force until then is replaced."""
    _draft_only(version)
    in_force = version_in_force(project)
    if approved_on is None:
        raise Refused({"approved_on": [_l("Enter the date of the approval.")]})
    if in_force is not None and approved_on < in_force.approved_on:
        raise Refused({"approved_on": [_l("The approval cannot be earlier than that of the version in force (%(date)s).", date=format_local_date(in_force.approved_on))]})
    try:
        plan = version_plan(project, version)
    except Refused:
        raise Refused({"version": [_l("The contribution sources ask for more than this version's partner contribution. The project lead must change the sources first.")]}) from None
    if in_force is not None:
        _closed_periods_unchanged(project, version, in_force)
    reported = sum(spending.reported(project).values(), ZERO)
    if plan.total < reported:
        raise Refused({"version": [_l("This version's total, %(total)s, is below the spending already reported, %(reported)s. The budget must cover what was reported.", total=money(plan.total), reported=money(reported))]})
    if in_force is not None:
        in_force.in_force = False
        db.session.flush()  # one version in force: the partial unique index is checked row by row
    version.approved_on, version.in_force = approved_on, True
    db.session.flush()
    notices.approved(version)
    return version
