"""The project's finance setup, for its lead or an admin: the fund and its rate, the office flat rate, the
reporting periods and each partner's contribution sources. Bad input gets a message and changes nothing."""
from datetime import date
from decimal import Decimal

from budget_world import rows
import pytest
import sqlalchemy as sa

from bibnet.audit.models import AuditEntry
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import ReportingPeriod
from bibnet.tenants.budgets import services
from bibnet.tenants.budgets.models import ContributionSource, FinanceSetup, LegalStatus, SourceKind

from conftest import log_in, post_form

pytest_plugins = ["budget_world"]

FUND = {"fund_name": "ERDF", "fund_rate": "80", "office_flat_rate": ""}
SOURCES = {
    "sources_0_name": "Valsts budžets", "sources_0_legal_status": "public", "sources_0_kind": "percentage", "sources_0_value": "10",
    "sources_1_name": "Pašvaldības budžets", "sources_1_legal_status": "public", "sources_1_kind": "percentage", "sources_1_value": "",
}  # fmt: skip


def setup_url(world, rest=""):
    return f"/projects/{world.project.id}/finance/{rest}"


def period_form(periods) -> dict:
    data = {}
    for index in range(len(periods) + 2):
        starts_on, ends_on = periods[index] if index < len(periods) else ("", "")
        data[f"periods_{index}_starts_on"], data[f"periods_{index}_ends_on"] = starts_on, ends_on
    return data


@pytest.fixture
def lead(app, world):
    client = app.test_client()
    log_in(client, "lead@pasvalys.example")
    return client


def jelgava_partner(world):
    return next(partner for partner in world.project.partners if partner.tenant_id == world.jelgava.id)


class TestWhoMaySetItUp:
    @pytest.mark.parametrize("email", ["lead@pasvalys.example", "admin@bibnet.example"])
    def test_the_lead_and_an_admin_see_the_setup_with_the_jems_labels(self, app, world, periods, email):
        client = app.test_client()
        log_in(client, email)
        body = client.get(setup_url(world)).get_data(as_text=True)
        assert "External expertise and services" in body and "Infrastructure and works" in body and 'lang="en"' in body
        assert "Period 4" in body and "Jelgava Municipality" in body

    @pytest.mark.parametrize("email", ["coordinator@jelgava.example", "staff@jelgava.example", "coordinator@pasvalys.example"])
    def test_partners_get_not_found(self, world, client, email):
        log_in(client, email)
        assert client.get(setup_url(world)).status_code == 404
        assert client.get(setup_url(world, "periods")).status_code == 404

    def test_the_project_leads_dashboard_links_to_the_setup(self, world, lead):
        assert f'href="{setup_url(world)}"' in lead.get("/").get_data(as_text=True)


class TestTheFund:
    def test_the_lead_sets_the_rate_and_a_flat_rate_and_the_audit_log_records_it(self, world, lead):
        response = post_form(lead, setup_url(world), {**FUND, "fund_rate": "85,5", "office_flat_rate": "15"})
        assert response.status_code == 302
        setup = db.session.scalar(sa.select(FinanceSetup))
        assert (setup.fund_name, setup.fund_rate, setup.office_flat_rate) == ("ERDF", Decimal("85.50"), Decimal("15.00"))
        assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_type == "FinanceSetup")) == "create"

    @pytest.mark.parametrize(
        "changes,field",
        [
            ({"fund_rate": "0"}, "fund_rate"),
            ({"fund_rate": "100.01"}, "fund_rate"),
            ({"fund_rate": "80.005"}, "fund_rate"),
            ({"office_flat_rate": "15.5"}, "office_flat_rate"),
            ({"fund_name": ""}, "fund_name"),
        ],
    )
    def test_a_bad_rate_gets_a_message_and_nothing_is_written(self, world, lead, changes, field):
        response = post_form(lead, setup_url(world), {**FUND, **changes})
        body = response.get_data(as_text=True)
        assert response.status_code == 422 and "There is a problem" in body and f'href="#{field}"' in body
        assert rows(FinanceSetup) == 0


class TestThePeriods:
    def test_the_lead_changes_and_adds_periods(self, world, periods, lead):
        audited_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.object_type == "ReportingPeriod"))
        data = period_form([("2024-06-01", "2024-11-30"), ("2024-12-01", "2025-05-31"), ("2025-06-01", "2025-11-30"), ("2025-12-01", "2026-02-28"), ("1.3.2026", "2026-05-31")])
        response = post_form(lead, setup_url(world, "periods"), data)
        assert response.status_code == 302, response.get_data(as_text=True)
        assert [(p.number, p.starts_on, p.ends_on) for p in db.session.scalars(sa.select(ReportingPeriod).order_by(ReportingPeriod.number))][-2:] == [
            (4, date(2025, 12, 1), date(2026, 2, 28)), (5, date(2026, 3, 1), date(2026, 5, 31))
        ]
        audited = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.object_type == "ReportingPeriod"))
        assert audited - audited_before == 2  # one period changed, one added

    @pytest.mark.parametrize(
        "typed,message",
        [
            ([("2024-06-01", "2024-12-31"), ("2024-12-01", "2025-05-31")], "overlaps the period before it"),
            ([("2024-06-01", "2024-11-30"), ("2024-12-15", "2025-05-31")], "must start the day after"),
            ([("2024-05-01", "2024-11-30")], "must start within the project"),
            ([("2024-06-01", "2024-05-30")], "on or after the first day"),
            ([("2024-06-01", "")], "Enter both days"),
        ],
    )
    def test_bad_periods_get_a_message_and_nothing_is_written(self, world, periods, lead, typed, message):
        response = post_form(lead, setup_url(world, "periods"), period_form(typed))
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        assert [(p.starts_on, p.ends_on) for p in db.session.scalars(sa.select(ReportingPeriod).order_by(ReportingPeriod.number))] == [(p.starts_on, p.ends_on) for p in periods]

    def test_a_period_used_by_budget_lines_cannot_be_removed(self, world, jelgava_budget, lead):
        response = post_form(lead, setup_url(world, "periods"), period_form([("2024-06-01", "2024-11-30"), ("2024-12-01", "2025-05-31"), ("2025-06-01", "2025-11-30")]))
        assert response.status_code == 422 and "Period 4 cannot be removed" in response.get_data(as_text=True)
        assert rows(ReportingPeriod) == 4

    @pytest.mark.parametrize(("period_of_the_draft", "refused"), [(4, True), (1, False)])
    def test_a_period_with_an_expenditure_item_even_a_draft_cannot_be_removed(self, world, periods, lead, period_of_the_draft, refused):
        from bibnet.tenants.expenditure import services as expenditure

        with tenant_scope(world.jelgava):
            expenditure.create(expenditure.ExpenditureInput(
                period_number=period_of_the_draft, category="equipment", invoice_date=periods[period_of_the_draft - 1].starts_on,
                supplier="SIA Sensorika", description="Bubble tube", invoice_total=Decimal("100.00"), declared_amount=Decimal("100.00"),
            ), world.project)
            db.session.commit()
        response = post_form(lead, setup_url(world, "periods"), period_form([("2024-06-01", "2024-11-30"), ("2024-12-01", "2025-05-31"), ("2025-06-01", "2025-11-30")]))
        assert (response.status_code == 422 and "Period 4 cannot be removed" in response.get_data(as_text=True)) is refused
        assert rows(ReportingPeriod) == (4 if refused else 3)


class TestTheSources:
    def test_the_lead_sets_a_partners_sources_in_its_own_tenant(self, world, periods, lead):
        response = post_form(lead, setup_url(world, f"partners/{jelgava_partner(world).id}/sources"), SOURCES)
        assert response.status_code == 302, response.get_data(as_text=True)
        with tenant_scope(world.jelgava):
            sources = services.sources_of(world.project)
        assert [(s.position, s.name, s.legal_status, s.kind, s.value, s.tenant_id) for s in sources] == [
            (1, "Valsts budžets", LegalStatus.PUBLIC, SourceKind.PERCENTAGE, Decimal("10.00"), world.jelgava.id),
            (2, "Pašvaldības budžets", LegalStatus.PUBLIC, SourceKind.REMAINDER, None, world.jelgava.id),
        ]
        with tenant_scope(world.pasvalys):
            assert services.sources_of(world.project) == []

    def test_sources_are_changed_in_place_and_extra_ones_removed(self, world, jelgava_budget, lead):
        data = {**SOURCES, "sources_0_kind": "amount", "sources_0_value": "3000", "sources_1_name": "", "sources_2_name": "Pašvaldības budžets", "sources_2_legal_status": "automatic_public"}
        assert post_form(lead, setup_url(world, f"partners/{jelgava_partner(world).id}/sources"), data).status_code == 302
        with tenant_scope(world.jelgava):
            plan = services.partner_plan(world.project)
        assert plan.source_names == ("Valsts budžets", "Pašvaldības budžets") and plan.split.sources == (Decimal("3000.00"), Decimal("4256.22"))

    @pytest.mark.parametrize(
        "changes",
        [
            {"sources_0_value": "20.01"},  # more than the 20 % the fund leaves
            {"sources_0_kind": "amount", "sources_0_value": "7256.23"},  # a cent more than Jelgava's contribution
            {"sources_0_value": "10.001"},
            {"sources_0_value": "-1"},
            {"sources_0_name": "", "sources_1_name": ""},
        ],
    )
    def test_sources_asking_for_too_much_get_a_message_and_nothing_is_written(self, world, jelgava_budget, lead, changes):
        before = rows(ContributionSource)
        response = post_form(lead, setup_url(world, f"partners/{jelgava_partner(world).id}/sources"), {**SOURCES, **changes})
        assert response.status_code == 422 and "There is a problem" in response.get_data(as_text=True)
        assert rows(ContributionSource) == before
        with tenant_scope(world.jelgava):
            assert [source.name for source in services.sources_of(world.project)] == ["State budget", "Municipal budget"]

    def test_a_fund_rate_that_leaves_too_little_for_the_sources_is_refused(self, world, jelgava_budget, lead):
        response = post_form(lead, setup_url(world), {**FUND, "fund_rate": "95"})  # the state budget alone asks 10 %
        assert response.status_code == 422 and "Jelgava Municipality" in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(FinanceSetup.fund_rate)) == Decimal("80.00")
