"""The partner budget pages: the coordinator drafts and changes lines, the project lead reads every partner's
budget and approves drafts, staff and other partners see nothing, and bad input changes nothing."""
from decimal import Decimal

from budget_world import rows
import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.budgets import services, spending, versions
from bibnet.tenants.budgets.models import BudgetLine, BudgetVersion, CostCategory

from conftest import log_in, post_form

pytest_plugins = ["budget_world"]

LINE = {"category": "equipment", "description": "Projector", "unit_type": "piece", "units": "2", "unit_price": "450,50", "split": "even"}


def budget_url(world, slug="jelgava", rest=""):
    return f"/t/{slug}/budget/{world.project.id}/{rest}"


@pytest.fixture
def draft(world, jelgava_budget):
    with tenant_scope(world.jelgava):
        version = versions.start_draft(world.project)
        db.session.commit()
        return version


def as_user(app, email):
    client = app.test_client()
    log_in(client, email)
    return client


class TestReadingTheBudget:
    def test_the_coordinator_sees_the_lines_totals_per_category_and_period_and_the_cofinancing(self, world, jelgava_budget, client):
        log_in(client, "coordinator@jelgava.example")
        page = client.get(budget_url(world))
        body = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "Sensory room specialist" in body and "€16,281.10" in body
        assert "€36,281.10" in body and "€29,024.88" in body and body.count("€3,628.11") == 2  # ERDF, state, municipal
        assert "€9,070.29" in body  # the last period takes the remaining cents
        assert "<caption" in body and 'scope="col"' in body

    def test_the_budget_menu_leads_to_the_tenants_only_project(self, world, jelgava_budget, client):
        log_in(client, "coordinator@jelgava.example")
        assert client.get("/t/jelgava/budget/").headers["Location"] == budget_url(world)
        assert 'href="/t/jelgava/budget/"' in client.get("/t/jelgava/").get_data(as_text=True)

    def test_the_project_lead_and_an_admin_read_every_partners_budget(self, app, world, jelgava_budget, pasvalys_budget):
        for email in ("lead@pasvalys.example", "admin@bibnet.example"):
            client = as_user(app, email)
            assert "Sensory room specialist" in client.get(budget_url(world, "jelgava")).get_data(as_text=True)
            assert "Pasvalys bubble tube" in client.get(budget_url(world, "pasvalys")).get_data(as_text=True)

    def test_staff_are_refused(self, world, jelgava_budget, client):
        log_in(client, "staff@jelgava.example")
        assert client.get(budget_url(world)).status_code == 403
        assert 'href="/t/jelgava/budget/"' not in client.get("/t/jelgava/").get_data(as_text=True)

    def test_a_partner_never_sees_another_partners_budget(self, world, jelgava_budget, pasvalys_budget, client):
        with tenant_scope(world.pasvalys):
            theirs = next(iter(pasvalys_budget.lines))
        log_in(client, "coordinator@jelgava.example")
        assert client.get(budget_url(world, "pasvalys")).status_code == 404
        # Pasvalys's line through Jelgava's own address: not found, and nothing of it shown
        for response in (client.get(budget_url(world, rest=f"lines/{theirs.id}/edit")), client.post(budget_url(world, rest=f"lines/{theirs.id}/remove"))):
            assert response.status_code in (400, 404)
            assert "Pasvalys" not in response.get_data(as_text=True)
        response = post_form(client, budget_url(world, rest=f"lines/{theirs.id}/remove"), {}, page=budget_url(world))
        assert response.status_code == 404
        assert rows(BudgetLine, description="Pasvalys bubble tube") == 1


class TestDraftingAndApproving:
    def test_the_coordinator_drafts_a_modification_and_adds_a_line(self, world, jelgava_budget, client):
        log_in(client, "coordinator@jelgava.example")
        asked = post_form(client, budget_url(world, rest="versions/"), {}, page=budget_url(world))
        assert asked.status_code == 200 and "Start a modification of" in asked.get_data(as_text=True)
        assert rows(BudgetVersion) == 1  # nothing is started before the confirmation
        response = post_form(client, budget_url(world, rest="versions/"), {"confirmed": "yes"}, page=budget_url(world))
        assert response.headers["Location"] == budget_url(world, rest="versions/1/")
        response = post_form(client, budget_url(world, rest="versions/1/lines/new"), LINE)
        assert response.status_code == 302, response.get_data(as_text=True)
        with tenant_scope(world.jelgava):
            line = db.session.scalar(sa.select(BudgetLine).where(BudgetLine.description == "Projector"))
            assert (line.units, line.unit_price, line.total) == (Decimal("2.00"), Decimal("450.50"), Decimal("901.00"))
            assert [part.amount for part in line.periods] == [Decimal("225.25")] * 4
        page = client.get(budget_url(world, rest="versions/1/")).get_data(as_text=True)
        assert "What this draft changes" in page and "€17,182.10" in page  # equipment: in force, then in the draft

    def test_a_line_split_by_amounts_leaves_the_rest_to_the_last_period(self, world, draft, client):
        log_in(client, "coordinator@jelgava.example")
        data = {**LINE, "split": "amounts", "periods_0": "100", "periods_1": "0", "periods_2": "500,00"}
        assert post_form(client, budget_url(world, rest="versions/1/lines/new"), data).status_code == 302
        with tenant_scope(world.jelgava):
            line = db.session.scalar(sa.select(BudgetLine).where(BudgetLine.description == "Projector"))
            assert [part.amount for part in line.periods] == [Decimal("100.00"), Decimal("0.00"), Decimal("500.00"), Decimal("301.00")]

    def test_the_confirmation_of_a_late_modification_names_the_periods_that_keep_their_plan(self, world, jelgava_budget, client, budget_day):
        from datetime import date

        budget_day.day = date(2025, 7, 1)
        log_in(client, "coordinator@jelgava.example")
        asked = post_form(client, budget_url(world, rest="versions/"), {}, page=budget_url(world)).get_data(as_text=True)
        assert "Reporting periods already reported keep their approved plan: 1, 2." in asked
        assert rows(BudgetVersion) == 1

    def test_a_late_modification_asks_only_for_the_open_periods_and_shows_the_kept_ones(self, world, draft, client, budget_day):
        from datetime import date

        budget_day.day = date(2025, 7, 1)  # periods 1 and 2 have ended
        log_in(client, "coordinator@jelgava.example")
        form = client.get(budget_url(world, rest="versions/1/lines/new")).get_data(as_text=True)
        assert "Periods already reported" in form
        assert 'name="periods_2"' in form and 'name="periods_0"' not in form and 'name="periods_1"' not in form
        data = {**LINE, "split": "amounts", "periods_2": "100"}
        assert post_form(client, budget_url(world, rest="versions/1/lines/new"), data).status_code == 302
        with tenant_scope(world.jelgava):
            line = db.session.scalar(sa.select(BudgetLine).where(BudgetLine.description == "Projector"))
            assert [part.amount for part in line.periods] == [Decimal("0.00"), Decimal("0.00"), Decimal("100.00"), Decimal("801.00")]

    @pytest.mark.parametrize(
        "changes,field,message",
        [
            ({"unit_price": "450.505"}, "unit_price", "at most two decimals"),
            ({"units": "-2"}, "units", "above 0"),
            ({"description": ""}, "description", "Describe the budget line"),
            ({"split": "amounts", "periods_0": "900", "periods_1": "900", "periods_2": "0"}, None, "more than the line"),
        ],
    )
    def test_bad_lines_get_a_message_and_nothing_is_written(self, world, draft, client, changes, field, message):
        log_in(client, "coordinator@jelgava.example")
        before = rows(BudgetLine)
        response = post_form(client, budget_url(world, rest="versions/1/lines/new"), {**LINE, **changes})
        body = response.get_data(as_text=True)
        assert response.status_code == 422 and "There is a problem" in body and message in body
        if field:
            assert (f'href="#{field}"' in body and f'aria-describedby="{field}-hint {field}-error"' in body) or f'aria-describedby="{field}-error"' in body
        assert rows(BudgetLine) == before

    def test_the_lines_of_the_version_in_force_cannot_be_changed(self, world, jelgava_budget, client):
        with tenant_scope(world.jelgava):
            line = next(iter(jelgava_budget.lines))
        log_in(client, "coordinator@jelgava.example")
        response = post_form(client, budget_url(world, rest=f"lines/{line.id}/edit"), {**LINE, "description": "Changed"})
        assert response.status_code == 422 and "An approved budget version cannot change" in response.get_data(as_text=True)
        assert rows(BudgetLine, description="Changed") == 0

    def test_the_project_lead_approves_a_draft_with_a_date(self, app, world, draft):
        client = as_user(app, "lead@pasvalys.example")
        page = client.get(budget_url(world, rest="versions/1/")).get_data(as_text=True)
        assert "Approve and put in force" in page and "Add a budget line" not in page
        response = post_form(client, budget_url(world, rest="versions/1/approve"), {"approved_on": "2025-02-01"}, page=budget_url(world, rest="versions/1/"))
        assert response.status_code == 302
        with tenant_scope(world.jelgava):
            assert versions.version_in_force(world.project).number == 1

    def test_the_coordinator_cannot_approve(self, world, draft, client):
        log_in(client, "coordinator@jelgava.example")
        response = post_form(client, budget_url(world, rest="versions/1/approve"), {"approved_on": "2025-02-01"}, page=budget_url(world, rest="versions/1/"))
        assert response.status_code == 403
        assert rows(BudgetVersion, in_force=True) == 1

    def test_approving_below_the_reported_spending_is_refused_with_a_message(self, app, world, draft, monkeypatch):
        reported = {**dict.fromkeys(CostCategory, Decimal("0.00")), CostCategory.EQUIPMENT: Decimal("16281.10"), CostCategory.STAFF: Decimal("9000.00")}
        monkeypatch.setattr(spending, "_reported_spending", lambda project: reported)
        with tenant_scope(world.jelgava):
            versions.remove_line(world.project, next(line for line in draft.lines if line.category is CostCategory.EQUIPMENT))
            db.session.commit()
        client = as_user(app, "lead@pasvalys.example")
        page = client.get(budget_url(world, rest="versions/1/")).get_data(as_text=True)
        assert "Reported spending above this draft's budget" in page  # the warning per category
        response = post_form(client, budget_url(world, rest="versions/1/approve"), {"approved_on": "2025-02-01"}, page=budget_url(world, rest="versions/1/"))
        body = response.get_data(as_text=True)
        assert response.status_code == 422 and "below the spending already reported" in body
        assert "€20,000.00" in body and "€25,281.10" in body  # the draft's total and the spending reported
        assert rows(BudgetVersion, in_force=True, number=0) == 1

    def test_the_budget_page_runs_a_bounded_number_of_queries_whatever_the_number_of_lines(self, world, periods, client, count_queries):
        def add_lines(count):
            with tenant_scope(world.jelgava):
                version = db.session.scalar(sa.select(BudgetVersion)) or BudgetVersion(project_id=world.project.id, number=0)
                db.session.add(version)
                for number in range(count):
                    services.add_line(version, list(CostCategory)[number % 6 if number % 6 != 1 else 0], f"Line {number}", Decimal(1), Decimal("10.00"), 4)
                db.session.commit()

        log_in(client, "coordinator@jelgava.example")
        add_lines(3)
        with count_queries() as few:
            assert client.get(budget_url(world)).status_code == 200
        add_lines(120)
        with count_queries() as many:
            assert client.get(budget_url(world)).status_code == 200
        assert many.n == few.n and many.n <= 20
