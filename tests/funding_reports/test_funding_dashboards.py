"""The funding dashboards: a partner sees its own planned, reported and remaining amounts per category and per
source, with its spending over the periods; the project lead sees every partner side by side, with those behind
plan named; the figures of all partners are read in a fixed number of queries and equal each partner's own."""
from datetime import date
from decimal import Decimal
import itertools
import random
import re

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import ReportingPeriod
from bibnet.tenants.budgets import services as budgets
from bibnet.tenants.budgets.models import BudgetVersion, ContributionSource, CostCategory, FinanceSetup, LegalStatus, SourceKind
from bibnet.tenants.expenditure import services as expenditure
from bibnet.tenants.expenditure.models import Expenditure
from bibnet.tenants.expenditure.services import ExpenditureInput
from bibnet.tenants.funding_reports.dashboards import default_period
from bibnet.tenants.funding_reports.figures import partner_overview, project_figures, project_overview

from conftest import log_in

PERIODS = (
    (1, date(2024, 6, 1), date(2024, 11, 30)),
    (2, date(2024, 12, 1), date(2025, 5, 31)),
    (3, date(2025, 6, 1), date(2025, 11, 30)),
    (4, date(2025, 12, 1), date(2026, 5, 31)),
)
STAFF, EQUIPMENT = CostCategory.STAFF, CostCategory.EQUIPMENT
_invoice_numbers = itertools.count(1)


# --- building a project through the budgets and expenditure services ---------------------------------------------


def add_periods(project) -> None:
    db.session.add_all(ReportingPeriod(project_id=project.id, number=number, starts_on=first, ends_on=last) for number, first, last in PERIODS)
    db.session.commit()


def plan_budget(tenant, project, lines, sources=(("Valsts budžets", SourceKind.PERCENTAGE, "10.00"), ("Pašvaldības budžets", SourceKind.REMAINDER, None))):
    """The tenant's budget in force: `lines` are (category, total, amounts of periods 1–3 or None to spread evenly)."""
    with tenant_scope(tenant):
        for position, (name, kind, value) in enumerate(sources, start=1):
            db.session.add(ContributionSource(
                project_id=project.id, position=position, name=name, legal_status=LegalStatus.PUBLIC, kind=kind, value=None if value is None else Decimal(value)
            ))
        version = BudgetVersion(project_id=project.id, number=0, in_force=True)
        db.session.add(version)
        db.session.flush()
        for category, total, amounts in lines:
            given = None if amounts is None else [Decimal(amount) for amount in amounts]
            budgets.add_line(version, category, f"{category.value} line", Decimal(1), Decimal(total), periods=len(PERIODS), period_amounts=given)
        db.session.commit()


def report(tenant, project, period, category, amount, status="submitted"):
    """An expenditure item of `amount` (negative: a credit note) in `period`, taken to `status`."""
    with tenant_scope(tenant):
        amount = Decimal(amount)
        item = expenditure.create(ExpenditureInput(
            period_number=period, category=category.value, invoice_date=PERIODS[period - 1][1], supplier="SIA Piegādātājs",
            invoice_number=f"N-{next(_invoice_numbers)}", description="An item", invoice_total=amount, declared_amount=amount,
        ), project)
        if status == "deleted":
            expenditure.delete(item)
        elif status != "draft":
            expenditure.submit([item])
            if status == "verified":
                expenditure.verify(item)
            elif status == "rejected":
                expenditure.reject(item, "No proof of payment")
        db.session.commit()


@pytest.fixture
def funded(world):
    """Jelgava (PP2) is on plan in period 2 and over budget on equipment; Pasvalys (LP1) is behind plan.

    Jelgava plans staff 10,000.00 (2,000 / 3,000 / 2,500 / 2,500) and equipment 16,281.10 (all in period 2) and
    reports 2,000.00 staff (period 1), 16,500.00 equipment and a staff credit note of −150.00 (period 2); a draft
    and a rejected item do not count. Pasvalys plans 42,000.10 and reports 1,234.56 in period 1.
    """
    add_periods(world.project)
    plan_budget(world.jelgava, world.project, [(STAFF, "10000.00", ["2000.00", "3000.00", "2500.00"]), (EQUIPMENT, "16281.10", ["0.00", "16281.10", "0.00"])])
    report(world.jelgava, world.project, 1, STAFF, "2000.00", "verified")
    report(world.jelgava, world.project, 2, EQUIPMENT, "16500.00")
    report(world.jelgava, world.project, 2, STAFF, "-150.00")
    report(world.jelgava, world.project, 2, STAFF, "999.99", "draft")
    report(world.jelgava, world.project, 2, STAFF, "777.77", "rejected")
    plan_budget(world.pasvalys, world.project, [(STAFF, "18000.00", None), (EQUIPMENT, "24000.10", ["24000.10", "0.00", "0.00"])],
                sources=(("Valstybės biudžetas", SourceKind.PERCENTAGE, "10.00"), ("Savivaldybės biudžetas", SourceKind.REMAINDER, None)))
    report(world.pasvalys, world.project, 1, STAFF, "1234.56", "verified")
    return world.project


def text(response) -> str:
    return response.get_data(as_text=True)


def table_rows(page: str, table_id: str) -> list[str]:
    """The rows of the table with this id (header first, footer last), as text."""
    table = page.split(f'id="{table_id}">')[1].split("</table>")[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.split(r"<tr[^>]*>", table)[1:]]


def amounts(row: str) -> list[Decimal]:
    """The euro amounts of a table row, in order ("€1,234.56" and "−€150.00" as in English pages)."""
    return [Decimal(sign + number.replace(",", "")) for sign, number in re.findall(r"(-?)€([\d,]+\.\d\d)", row)]


# --- a partner's own dashboard ----------------------------------------------------------------------------------


class TestThePartnerDashboard:
    def test_shows_each_category_planned_reported_remaining_and_used_with_credit_notes_subtracted(self, world, funded, client):
        log_in(client, "coordinator@jelgava.example")
        response = client.get(f"/t/jelgava/funding/{funded.id}/?period=2")
        assert response.status_code == 200
        rows = table_rows(text(response), "categories")
        assert rows[0] == "Cost category Planned Reported in period 2 Reported up to period 2 Remaining Used (%)"
        assert rows[1] == "Staff costs €10,000.00 -€150.00 €1,850.00 €8,150.00 18.50"
        assert rows[2] == "Office and administration €0.00 €0.00 €0.00 €0.00 not planned"
        assert rows[5] == "Equipment €16,281.10 €16,500.00 €16,500.00 €218.90 over budget 101.34"
        assert rows[-1] == "Total €26,281.10 €16,350.00 €18,350.00 €7,931.10 69.82"

    def test_shows_the_fund_the_contribution_and_each_source_by_name(self, world, funded, client):
        log_in(client, "coordinator@jelgava.example")
        rows = table_rows(text(client.get(f"/t/jelgava/funding/{funded.id}/?period=2")), "sources")
        assert rows[1] == "ERDF €21,024.88 €13,080.00 €14,680.00 €6,344.88 69.82"
        assert rows[2] == "Partner contribution €5,256.22 €3,270.00 €3,670.00 €1,586.22 69.82"
        assert rows[3] == "of which Valsts budžets €2,628.11 €1,635.00 €1,835.00 €793.11 69.82"
        assert rows[4] == "of which Pašvaldības budžets €2,628.11 €1,635.00 €1,835.00 €793.11 69.82"
        assert amounts(rows[-1]) == [Decimal("26281.10"), Decimal("16350.00"), Decimal("18350.00"), Decimal("7931.10")]

    def test_charts_the_periods_with_the_same_numbers_in_a_table(self, world, funded, client):
        log_in(client, "coordinator@jelgava.example")
        page = text(client.get(f"/t/jelgava/funding/{funded.id}/?period=2"))
        rows = table_rows(page, "profile")
        assert amounts(rows[1]) == [Decimal("2000.00"), Decimal("2000.00"), Decimal("2000.00"), Decimal("2000.00")]
        assert amounts(rows[2]) == [Decimal("19281.10"), Decimal("21281.10"), Decimal("16350.00"), Decimal("18350.00")]
        assert amounts(rows[4]) == [Decimal("2500.00"), Decimal("26281.10"), Decimal("0.00"), Decimal("18350.00")]
        chart = page.split('<svg id="profile-chart"')[1].split("</svg>")[0]
        assert 'role="img"' in chart and "<title" in chart and chart.count("<rect") == 2 * len(PERIODS)
        assert "The same numbers, to the cent, are in the table." in page and "<script" not in chart
        # Axes and values: the value axis in whole euros from 0, its title, the periods, each bar's value.
        labels = re.findall(r"<text[^>]*>([^<]*)</text>", chart)
        assert labels[0] == "0" and "Euro, cumulative" in labels and "Reporting period" in labels
        assert {"1", "2", "3", "4"} <= set(labels) and "2,000" in labels and "18,350" in labels, labels

    def test_links_the_reports_of_the_period(self, world, funded, client):
        log_in(client, "coordinator@jelgava.example")
        page = text(client.get(f"/t/jelgava/funding/{funded.id}/?period=2"))
        for file_format in ("xlsx", "csv", "pdf"):
            assert f'href="/t/jelgava/funding/{funded.id}/report.{file_format}?period=2"' in page

    def test_never_shows_another_partners_figures(self, world, funded, client):
        log_in(client, "coordinator@jelgava.example")
        for period in (1, 2, 3, 4):
            page = text(client.get(f"/t/jelgava/funding/{funded.id}/?period={period}"))
            for theirs in ("Pasvalys", "Valstybės", "Savivaldybės", "42,000.10", "1,234.56", "18,000.00"):
                assert theirs not in page

    def test_another_partners_coordinator_and_the_staff_are_refused(self, world, funded, client):
        log_in(client, "coordinator@pasvalys.example")
        assert client.get(f"/t/jelgava/funding/{funded.id}/").status_code == 404
        assert client.get(f"/projects/{funded.id}/funding/").status_code == 404
        staff = client.__class__(client.application)
        log_in(staff, "staff@jelgava.example")
        assert staff.get(f"/t/jelgava/funding/{funded.id}/").status_code == 403
        assert 'href="/t/jelgava/funding/"' not in text(staff.get("/t/jelgava/"))

    def test_says_when_a_partner_has_no_budget_yet(self, world, client):
        add_periods(world.project)
        log_in(client, "coordinator@jelgava.example")
        page = text(client.get(f"/t/jelgava/funding/{world.project.id}/?period=1"))
        assert table_rows(page, "categories")[-1] == "Total €0.00 €0.00 €0.00 €0.00 not planned"
        assert "Behind plan" not in page

    def test_defaults_to_the_period_of_today_else_the_last_one_ended(self, world, funded, client):
        periods = [ReportingPeriod(number=number, starts_on=first, ends_on=last) for number, first, last in PERIODS]
        assert default_period(periods, date(2025, 1, 15)) == 2
        assert default_period(periods, date(2027, 1, 1)) == 4
        assert default_period(periods, date(2024, 1, 1)) == 1
        assert default_period([], date(2025, 1, 15)) == 1
        log_in(client, "coordinator@jelgava.example")
        page = text(client.get(f"/t/jelgava/funding/{funded.id}/"))
        assert re.search(r'<option value="4" selected>', page)  # the project ended before today

    @pytest.mark.parametrize("period", ["0", "5", "two", "-1", "2.0"])
    def test_an_unknown_period_is_refused_with_a_message(self, world, funded, client, period):
        log_in(client, "coordinator@jelgava.example")
        response = client.get(f"/t/jelgava/funding/{funded.id}/?period={period}")
        assert response.status_code == 422
        page = text(response)
        assert 'href="#period">Choose a reporting period from the list.' in page and 'aria-invalid="true"' in page
        assert "<title>Error:" in page and 'id="categories"' not in page

    def test_is_in_the_menu_and_its_index_opens_the_only_project(self, world, funded, client):
        log_in(client, "coordinator@jelgava.example")
        assert 'href="/t/jelgava/funding/"' in text(client.get("/t/jelgava/"))
        response = client.get("/t/jelgava/funding/")
        assert response.status_code == 302 and response.headers["Location"] == f"/t/jelgava/funding/{funded.id}/"

    def test_its_index_lists_the_projects_of_a_library_in_several(self, world, funded, make_project, client):
        other = make_project([world.jelgava], acronym="Reading4All")
        log_in(client, "coordinator@jelgava.example")
        page = text(client.get("/t/jelgava/funding/"))
        assert f'href="/t/jelgava/funding/{funded.id}/"' in page and f'href="/t/jelgava/funding/{other.id}/"' in page

    def test_a_project_without_reporting_periods_is_one_period(self, world, client):
        log_in(client, "coordinator@jelgava.example")
        response = client.get(f"/t/jelgava/funding/{world.project.id}/")
        assert response.status_code == 200
        assert '<option value="1" selected>Period 1</option>' in text(response)
        assert client.get(f"/t/jelgava/funding/{world.project.id}/?period=2").status_code == 422

    def test_sources_asking_for_more_than_the_contribution_are_named_not_a_crash(self, world, client):
        add_periods(world.project)
        plan_budget(world.jelgava, world.project, [(STAFF, "100.00", None)], sources=(("Foundation", SourceKind.AMOUNT, "50.00"), ("Town", SourceKind.REMAINDER, None)))
        for user, path in (("coordinator@jelgava.example", f"/t/jelgava/funding/{world.project.id}/"), ("lead@pasvalys.example", f"/projects/{world.project.id}/funding/")):
            browser = client.__class__(client.application)
            log_in(browser, user)
            response = browser.get(path)
            assert response.status_code == 200
            assert "The contribution sources ask for more than the partner&#39;s contribution." in text(response)

    def test_runs_the_same_number_of_statements_for_one_item_or_thirty(self, world, funded, client, count_queries):
        log_in(client, "coordinator@jelgava.example")
        client.get(f"/t/jelgava/funding/{funded.id}/?period=3")
        with count_queries() as few:
            assert client.get(f"/t/jelgava/funding/{funded.id}/?period=3").status_code == 200
        for number in range(30):
            report(world.jelgava, funded, 1 + number % 4, STAFF, f"{number + 1}.00")
        with count_queries() as many:
            assert client.get(f"/t/jelgava/funding/{funded.id}/?period=3").status_code == 200
        assert many.n == few.n, many.statements


class TestTheTenantHome:
    def test_shows_coordinators_what_is_planned_and_reported_so_far(self, world, funded, client):
        log_in(client, "coordinator@jelgava.example")
        page = text(client.get("/t/jelgava/"))
        box = page.split('id="home-funding-heading"')[1].split("</section>")[0]
        assert "InclusiveLibraries" in box and f'href="/t/jelgava/funding/{funded.id}/"' in box
        assert "€26,281.10" in box and "€18,350.00" in box and "69.82" in box

    def test_shows_nothing_of_it_to_staff(self, world, funded, client):
        log_in(client, "staff@jelgava.example")
        assert "home-funding" not in text(client.get("/t/jelgava/"))


# --- the lead's dashboard ---------------------------------------------------------------------------------------

def project_of_partners(world, make_tenant, make_project, count: int, acronym: str):
    """A project of `count` partners, each with a planned budget, an item in period 1 and a verified credit note in period 2."""
    tenants = [make_tenant(f"{acronym.lower()}-{number}", f"{acronym} partner {number}") for number in range(count)]
    project = make_project(tenants, lead_user=world.lead, acronym=acronym)
    add_periods(project)
    for tenant in tenants:
        plan_budget(tenant, project, [(STAFF, "1000.00", None), (EQUIPMENT, "500.00", None)])
        report(tenant, project, 1, STAFF, "100.00")
        report(tenant, project, 2, EQUIPMENT, "-20.00", "verified")
    return project


class TestTheLeadDashboard:
    def test_shows_every_partner_and_a_project_total_that_is_their_sum(self, world, funded, client):
        log_in(client, "lead@pasvalys.example")
        response = client.get(f"/projects/{funded.id}/funding/?period=2")
        assert response.status_code == 200
        header, pasvalys, jelgava, total = table_rows(text(response), "partners-table")
        assert header.startswith("Partner Planned Planned up to period 2 Reported in period 2 Reported up to period 2 Used (%) Remaining ERDF share")
        assert pasvalys.startswith("LP1 Pasvalys District Municipality €42,000.10 €33,000.10 €0.00 €1,234.56 2.94 €40,765.54 €987.64 €246.92")
        assert jelgava.startswith("PP2 Jelgava Municipality €26,281.10 €21,281.10 €16,350.00 €18,350.00 69.82 €7,931.10 €14,680.00 €3,670.00")
        assert total.startswith("Project total €68,281.20 €54,281.20 €16,350.00 €19,584.56 28.68 €48,696.64 €15,667.64 €3,916.92")
        assert amounts(total) == [a + b for a, b in zip(amounts(pasvalys), amounts(jelgava), strict=True)]

    def test_names_the_partners_behind_plan_in_words(self, world, funded, client):
        log_in(client, "lead@pasvalys.example")
        page = text(client.get(f"/projects/{funded.id}/funding/?period=2"))
        _header, pasvalys, jelgava, total = table_rows(page, "partners-table")
        assert pasvalys.endswith("Behind plan") and jelgava.endswith("On plan") and total.endswith("Behind plan")
        assert "less than 85 % of what its budget plans for the periods up to it" in page
        # Period 1: Jelgava reported all of its plan (2,000.00); Pasvalys 1,234.56 of 28,500.10.
        _header, pasvalys, jelgava, _total = table_rows(text(client.get(f"/projects/{funded.id}/funding/?period=1")), "partners-table")
        assert pasvalys.endswith("Behind plan") and jelgava.endswith("On plan")

    def test_links_each_partner_the_project_reports_and_is_linked_from_the_dashboard(self, world, funded, client):
        log_in(client, "lead@pasvalys.example")
        page = text(client.get(f"/projects/{funded.id}/funding/?period=2"))
        assert f'href="/t/jelgava/funding/{funded.id}/?period=2"' in page
        for file_format in ("xlsx", "csv", "pdf"):
            assert f'href="/projects/{funded.id}/funding/report.{file_format}?period=2"' in page
        assert f'href="/projects/{funded.id}/funding/"' in text(client.get("/"))
        assert client.get(f"/t/jelgava/funding/{funded.id}/?period=2").status_code == 200  # each partner's own page

    def test_charts_the_projects_periods_as_the_sum_of_the_partners(self, world, funded, client):
        log_in(client, "lead@pasvalys.example")
        rows = table_rows(text(client.get(f"/projects/{funded.id}/funding/?period=2")), "profile")
        # Period 1: Pasvalys 4,500.00 + 24,000.10 and Jelgava 2,000.00 planned; 1,234.56 + 2,000.00 reported.
        assert amounts(rows[1]) == [Decimal("30500.10"), Decimal("30500.10"), Decimal("3234.56"), Decimal("3234.56")]
        assert amounts(rows[4])[1] == Decimal("68281.20")

    def test_is_refused_to_partner_coordinators(self, world, funded, client):
        log_in(client, "coordinator@jelgava.example")
        assert client.get(f"/projects/{funded.id}/funding/").status_code == 404

    def test_an_unknown_period_is_refused_with_a_message(self, world, funded, client):
        log_in(client, "lead@pasvalys.example")
        response = client.get(f"/projects/{funded.id}/funding/?period=9")
        assert response.status_code == 422
        assert 'href="#period">Choose a reporting period from the list.' in text(response)

    def test_runs_the_same_number_of_statements_for_2_or_10_partners(self, world, make_tenant, make_project, client, count_queries):
        small, large = project_of_partners(world, make_tenant, make_project, 2, "Small"), project_of_partners(world, make_tenant, make_project, 10, "Large")
        log_in(client, "lead@pasvalys.example")
        client.get(f"/projects/{small.id}/funding/?period=2")
        with count_queries() as two:
            assert client.get(f"/projects/{small.id}/funding/?period=2").status_code == 200
        with count_queries() as ten:
            response = client.get(f"/projects/{large.id}/funding/?period=2")
        assert response.status_code == 200 and text(response).count("Large partner") == 10
        assert ten.n == two.n, ten.statements


def test_the_project_report_runs_the_same_number_of_statements_for_2_or_10_partners(world, make_tenant, make_project, client, count_queries):
    """Each partner's contribution sources included: read across the partners at once, not one query each."""
    small, large = project_of_partners(world, make_tenant, make_project, 2, "Small"), project_of_partners(world, make_tenant, make_project, 10, "Large")
    log_in(client, "lead@pasvalys.example")
    client.get(f"/projects/{small.id}/funding/report.csv?period=2").get_data()
    with count_queries() as two:
        assert client.get(f"/projects/{small.id}/funding/report.csv?period=2").get_data()
    with count_queries() as ten:
        body = client.get(f"/projects/{large.id}/funding/report.csv?period=2").get_data(as_text=True)
    assert "PP10" in body and ten.n == two.n, ten.statements


# --- the same figures by two ways -------------------------------------------------------------------------------


@pytest.mark.parametrize("office_flat_rate", [None, Decimal("15.00")])
def test_every_partner_read_at_once_has_the_figures_of_its_own_path(world, make_tenant, make_project, office_flat_rate):
    """A random-ish project: sources as percentages, amounts and remainders, or none; lines spread or given per
    period; items in every status, credit notes among them; one partner without any budget."""
    rng = random.Random(4)
    tenants = [world.pasvalys, world.jelgava, *(make_tenant(f"partner-{number}", f"Partner {number}") for number in range(3, 6))]
    project = make_project(tenants, acronym="Random")
    add_periods(project)
    db.session.add(FinanceSetup(project_id=project.id, fund_name="Interreg", fund_rate=Decimal("75.00"), office_flat_rate=office_flat_rate))
    db.session.commit()
    source_choices = [
        (("State", SourceKind.PERCENTAGE, "10.00"), ("Town", SourceKind.REMAINDER, None)),
        (("Foundation", SourceKind.AMOUNT, "333.33"), ("Town", SourceKind.REMAINDER, None)),
        (),
        (("State", SourceKind.PERCENTAGE, "7.50"), ("Region", SourceKind.AMOUNT, "100.01"), ("Town", SourceKind.REMAINDER, None)),
    ]
    categories = [category for category in CostCategory if not (office_flat_rate and category is CostCategory.OFFICE)]
    for tenant, sources in zip(tenants[:4], source_choices, strict=True):
        lines = []
        for _line in range(rng.randint(1, 6)):
            total = Decimal(rng.randint(200_000, 2_000_000)) / 100
            amounts = None if rng.random() < 0.5 else [str((total * Decimal(share)).quantize(Decimal("0.01"))) for share in ("0.2", "0.3", "0.1")]
            lines.append((rng.choice(categories), str(total), amounts))
        plan_budget(tenant, project, lines, sources)
    for tenant in tenants:  # the last one reports without a budget
        for _item in range(rng.randint(3, 12)):
            amount = Decimal(rng.randint(-30_000, 500_000)) / 100 or Decimal("1.00")
            status = rng.choice(["draft", "submitted", "verified", "rejected", "deleted"])
            report(tenant, project, rng.randint(1, 4), rng.choice(list(CostCategory)), str(amount), status)

    for period in (1, 2, 3, 4):
        at_once = project_overview(project, period)
        for tenant in tenants:
            with tenant_scope(tenant):
                assert at_once[tenant.id] == partner_overview(project, period), (tenant.slug, period)
    with tenant_scope(tenants[4]):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Expenditure)) > 0


def test_the_project_figures_are_the_sum_of_the_partners(world, funded):
    rows, total = project_figures(funded, 2)
    for tenant in (world.pasvalys, world.jelgava):
        with tenant_scope(tenant):
            assert rows[tenant.id] == partner_overview(funded, 2).figures
    assert total == rows[world.pasvalys.id] + rows[world.jelgava.id]
    assert (total.cumulative_split.total, total.cumulative_split.fund) == (Decimal("19584.56"), Decimal("15667.64"))
