"""Budget versions, as the programme runs them: the coordinator drafts, the project lead approves with a date,
one version is in force, and an approved version never changes. Also the office flat rate over the periods."""
from datetime import date
from decimal import Decimal

from budget_world import rows
import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.budgets import services, spending, versions
from bibnet.tenants.budgets.models import BudgetLine, BudgetVersion, CostCategory, FinanceSetup
from bibnet.tenants.budgets.versions import LineInput

pytest_plugins = ["budget_world"]

PROJECTOR = LineInput(CostCategory.EQUIPMENT, "Projector", Decimal(1), Decimal("900.00"))


@pytest.fixture
def reported(monkeypatch):
    """Spending reported by Jelgava, as the expenditure feature would tell budgets."""
    amounts = dict.fromkeys(CostCategory, Decimal("0.00"))
    monkeypatch.setattr(spending, "_reported_spending", lambda project: dict(amounts))
    return amounts


class TestTheOfficeFlatRate:
    def test_office_costs_follow_the_staff_costs_over_the_periods_and_the_periods_add_up(self, world, periods):
        db.session.add(world.project)
        setup = db.session.scalar(sa.select(FinanceSetup))
        setup.office_flat_rate = Decimal("15.00")
        db.session.commit()
        with tenant_scope(world.jelgava):
            version = BudgetVersion(project_id=world.project.id, number=0, approved_on=date(2024, 6, 1), in_force=True)
            db.session.add(version)
            services.add_line(version, CostCategory.STAFF, "Coordinator", Decimal(1), Decimal("12345.67"), 4, period_amounts=[Decimal("1000.00"), Decimal("0.00"), Decimal("5000.00")])
            services.add_line(version, CostCategory.EQUIPMENT, "Bubble tube", Decimal(1), Decimal("100.00"), 4)
            plan = services.partner_plan(world.project)
        assert plan.categories[CostCategory.OFFICE] == Decimal("1851.85")  # round_down(12,345.67 × 15 %)
        # staff per period 1,000.00 / 0.00 / 5,000.00 / 6,345.67; office in the same proportions rounded down
        # (149.99, 0.00, 749.99), the last period the rest (951.87); the bubble tube adds 25.00 to each period
        assert plan.periods == {1: Decimal("1174.99"), 2: Decimal("25.00"), 3: Decimal("5774.99"), 4: Decimal("7322.54")}
        assert sum(plan.periods.values()) == plan.total == Decimal("12345.67") + Decimal("100.00") + Decimal("1851.85")


class TestDrafting:
    def test_the_first_draft_is_the_original_and_the_next_copies_the_version_in_force(self, world, jelgava_budget, in_jelgava):
        draft = versions.start_draft(world.project)
        assert (draft.number, draft.approved_on, draft.in_force) == (1, None, False)
        copied = db.session.scalars(sa.select(BudgetLine).where(BudgetLine.version_id == draft.id).order_by(BudgetLine.id)).all()
        assert [(line.description, line.total, [part.amount for part in line.periods]) for line in copied] == [
            (line.description, line.total, [part.amount for part in line.periods]) for line in sorted(jelgava_budget.lines, key=lambda line: line.id)
        ]

    def test_a_partner_without_a_budget_drafts_the_original(self, world, periods, in_jelgava):
        assert versions.start_draft(world.project).number == 0

    def test_only_one_draft_at_a_time(self, world, jelgava_budget, in_jelgava):
        versions.start_draft(world.project)
        db.session.commit()
        with pytest.raises(Refused) as refused:
            versions.start_draft(world.project)
        assert "version" in refused.value.errors
        assert rows(BudgetVersion) == 2

    def test_the_lines_of_an_approved_version_never_change(self, world, jelgava_budget, in_jelgava):
        line = next(line for line in jelgava_budget.lines if line.category is CostCategory.STAFF)
        before = rows(BudgetLine)
        for attempt in (
            lambda: versions.add_line(world.project, jelgava_budget, PROJECTOR),
            lambda: versions.change_line(world.project, line, PROJECTOR),
            lambda: versions.remove_line(line),
        ):
            with pytest.raises(Refused) as refused:
                attempt()
            assert "version" in refused.value.errors
        assert rows(BudgetLine) == before and line.description == "Sensory room specialist"

    def test_the_draft_shows_what_changes_per_category(self, world, jelgava_budget, in_jelgava):
        draft = versions.start_draft(world.project)
        versions.add_line(world.project, draft, PROJECTOR)
        changes = {change.category: (change.in_force, change.draft, change.difference) for change in versions.changes(services.version_plan(world.project, draft), services.partner_plan(world.project))}
        assert changes[CostCategory.EQUIPMENT] == (Decimal("16281.10"), Decimal("17181.10"), Decimal("900.00"))
        assert changes[CostCategory.STAFF] == (Decimal("12000.00"), Decimal("12000.00"), Decimal("0.00"))


class TestApproving:
    def test_approval_puts_the_draft_in_force_and_replaces_the_previous_version(self, world, jelgava_budget, in_jelgava, reported):
        draft = versions.start_draft(world.project)
        versions.add_line(world.project, draft, PROJECTOR)
        versions.approve(world.project, draft, date(2025, 2, 1))
        db.session.commit()
        assert [(v.number, v.approved_on, v.in_force, versions.status_of(v)) for v in versions.versions_of(world.project)] == [
            (0, date(2024, 6, 1), False, versions.VersionStatus.REPLACED),
            (1, date(2025, 2, 1), True, versions.VersionStatus.IN_FORCE),
        ]
        assert services.partner_plan(world.project).total == Decimal("37181.10")

    def test_a_budget_below_the_spending_already_reported_is_refused(self, world, jelgava_budget, in_jelgava, reported):
        reported[CostCategory.EQUIPMENT] = Decimal("16000.00")
        reported[CostCategory.STAFF] = Decimal("9000.00")
        draft = versions.start_draft(world.project)
        versions.remove_line(next(line for line in draft.lines if line.category is CostCategory.EQUIPMENT))
        db.session.commit()
        with pytest.raises(Refused) as refused:
            versions.approve(world.project, draft, date(2025, 2, 1))
        assert "below the spending already reported" in str(refused.value.errors["version"][0])
        assert versions.version_in_force(world.project).number == 0

    def test_a_category_over_its_new_budget_is_only_a_warning(self, world, jelgava_budget, in_jelgava, reported):
        reported[CostCategory.STAFF] = Decimal("9000.00")
        draft = versions.start_draft(world.project)
        staff = next(line for line in draft.lines if line.category is CostCategory.STAFF)
        versions.change_line(world.project, staff, LineInput(CostCategory.STAFF, "Specialist, fewer months", Decimal(12), Decimal("500.00")))
        versions.add_line(world.project, draft, PROJECTOR)
        assert versions.overspent(services.version_plan(world.project, draft), spending.reported(world.project)) == [CostCategory.STAFF]
        versions.approve(world.project, draft, date(2025, 2, 1))
        assert versions.version_in_force(world.project).number == 1

    def test_the_approval_cannot_be_dated_before_the_version_in_force(self, world, jelgava_budget, in_jelgava, reported):
        draft = versions.start_draft(world.project)
        with pytest.raises(Refused) as refused:
            versions.approve(world.project, draft, date(2024, 5, 31))
        assert "approved_on" in refused.value.errors
