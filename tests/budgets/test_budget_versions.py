"""Budget versions, as the programme runs them: the coordinator drafts, the project lead approves with a date,
one version is in force, and an approved version never changes. Also the office flat rate over the periods."""
from datetime import date
from decimal import Decimal

from budget_world import rows
from hypothesis import given
from hypothesis import strategies as st
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
            lambda: versions.remove_line(world.project, line),
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
        versions.remove_line(world.project, next(line for line in draft.lines if line.category is CostCategory.EQUIPMENT))
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


def plan_of_periods(project) -> dict[int, Decimal]:
    return services.partner_plan(project).periods


class TestAModificationKeepsThePlanOfReportedPeriods:
    """Jelgava's original plans 9,070.27 in each of periods 1 to 3 and 9,070.29 in period 4 (staff 3,000.00,
    equipment 4,070.27 and external 2,000.00 a period, the last period taking the equipment's remaining cents)."""

    def test_a_line_added_late_goes_to_the_open_periods_only(self, world, jelgava_budget, in_jelgava, budget_day):
        before = plan_of_periods(world.project)
        budget_day.day = date(2025, 12, 15)  # periods 1 to 3 have ended
        draft = versions.start_draft(world.project)
        versions.add_line(world.project, draft, LineInput(CostCategory.EQUIPMENT, "Tactile books", Decimal(1), Decimal("3200.72")))
        versions.approve(world.project, draft, date(2025, 12, 15))
        after = plan_of_periods(world.project)
        assert [after[number] for number in (1, 2, 3)] == [before[number] for number in (1, 2, 3)] == [Decimal("9070.27")] * 3
        assert after[4] == before[4] + Decimal("3200.72")

    def test_a_changed_line_keeps_its_reported_periods_and_spreads_the_rest_to_the_cent(self, world, jelgava_budget, in_jelgava, budget_day):
        budget_day.day = date(2025, 7, 1)  # periods 1 and 2 have ended
        draft = versions.start_draft(world.project)
        staff = next(line for line in draft.lines if line.category is CostCategory.STAFF)
        versions.change_line(world.project, staff, LineInput(CostCategory.STAFF, "Sensory room specialist", Decimal(1), Decimal("14000.01")))
        # 3,000.00 + 3,000.00 kept; 8,000.01 over periods 3 and 4: 4,000.00 and the remaining 4,000.01
        assert [part.amount for part in staff.periods] == [Decimal("3000.00"), Decimal("3000.00"), Decimal("4000.00"), Decimal("4000.01")]

    def test_amounts_given_by_hand_are_for_the_open_periods(self, world, jelgava_budget, in_jelgava, budget_day):
        budget_day.day = date(2025, 7, 1)
        draft = versions.start_draft(world.project)
        line = versions.add_line(world.project, draft, LineInput(CostCategory.TRAVEL, "Study visit", Decimal(1), Decimal("900.00"), period_amounts=[Decimal("200.00")]))
        assert [part.amount for part in line.periods] == [Decimal("0.00"), Decimal("0.00"), Decimal("200.00"), Decimal("700.00")]

    def test_a_period_with_reported_spending_is_closed_before_it_ends(self, world, jelgava_budget, in_jelgava, monkeypatch):
        monkeypatch.setattr(spending, "_reported_periods", lambda project: {1})
        draft = versions.start_draft(world.project)
        line = versions.add_line(world.project, draft, PROJECTOR)
        assert [part.amount for part in line.periods] == [Decimal("0.00"), Decimal("300.00"), Decimal("300.00"), Decimal("300.00")]

    def test_a_line_cannot_go_below_or_leave_what_reported_periods_planned(self, world, jelgava_budget, in_jelgava, budget_day):
        budget_day.day = date(2025, 7, 1)
        draft = versions.start_draft(world.project)
        staff = next(line for line in draft.lines if line.category is CostCategory.STAFF)
        for attempt, field in (
            (lambda: versions.change_line(world.project, staff, LineInput(CostCategory.STAFF, "Specialist", Decimal(1), Decimal("5999.99"))), "units"),
            (lambda: versions.change_line(world.project, staff, LineInput(CostCategory.TRAVEL, "Specialist", Decimal(1), Decimal("12000.00"))), "category"),
            (lambda: versions.remove_line(world.project, staff), "version"),
        ):
            with pytest.raises(Refused) as refused:
                attempt()
            assert field in refused.value.errors
        assert (staff.total, [part.amount for part in staff.periods]) == (Decimal("12000.00"), [Decimal("3000.00")] * 4)

    def test_no_modification_once_every_period_is_reported(self, world, jelgava_budget, in_jelgava, budget_day):
        budget_day.day = date(2026, 6, 1)
        with pytest.raises(Refused) as refused:
            versions.start_draft(world.project)
        assert "can no longer be modified" in refused.value.summary()
        assert rows(BudgetVersion) == 1

    def test_a_period_that_closed_after_the_draft_changed_it_stops_the_approval(self, world, jelgava_budget, in_jelgava, budget_day):
        draft = versions.start_draft(world.project)
        versions.add_line(world.project, draft, PROJECTOR)  # 225.00 in each period, period 1 still open
        budget_day.day = date(2024, 12, 1)  # now period 1 has ended
        with pytest.raises(Refused) as refused:
            versions.approve(world.project, draft, date(2024, 12, 1))
        assert "(1)" in refused.value.summary()
        assert draft.approved_on is None

    def test_the_original_budget_plans_every_period_whatever_the_day(self, world, periods, in_jelgava, budget_day):
        budget_day.day = date(2025, 12, 15)
        draft = versions.start_draft(world.project)
        line = versions.add_line(world.project, draft, PROJECTOR)
        assert [part.amount for part in line.periods] == [Decimal("225.00")] * 4


class TestPeriodPlanAddsUpToTheCent:
    @given(
        total=st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2),
        periods=st.integers(min_value=1, max_value=12),
        data=st.data(),
    )
    def test_kept_periods_stay_and_the_parts_add_up(self, total, periods, data):
        closed = data.draw(st.sets(st.integers(min_value=1, max_value=periods), max_size=periods - 1))
        cents_each = int(total * 100) // (len(closed) or 1)
        kept = {number: Decimal(data.draw(st.integers(min_value=0, max_value=cents_each))) / 100 for number in closed}
        amounts = services.period_plan(total, periods, None, kept)
        assert sum(amounts, Decimal("0.00")) == total
        assert all(amounts[number - 1] == amount for number, amount in kept.items())
        open_amounts = [amount for number, amount in enumerate(amounts, start=1) if number not in kept]
        assert max(open_amounts) - min(open_amounts) <= Decimal("0.01") * len(open_amounts)
        assert all(amount == amount.quantize(Decimal("0.01")) and amount >= 0 for amount in amounts)
