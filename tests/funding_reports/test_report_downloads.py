"""Funding report downloads: the demo project's consolidated report shows the seed's figures in XLSX, CSV and
PDF; the list of expenditure has Jems's columns in Jems's order; formulas are neutralised; each partner sees
only its own rows, the project's lead the whole project; a wrong period or format is refused with a 422."""
import csv
from decimal import Decimal
import io

from openpyxl import load_workbook
import pypdf
import pytest
from report_demo import DEMO_PASSWORD, item
import sqlalchemy as sa

from bibnet import pdf
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.expenditure import services
from bibnet.tenants.funding_reports import report_pdf
from bibnet.tenants.funding_reports.report import JEMS_COLUMNS

from conftest import log_in, structure_tags

pytest_plugins = ["report_demo"]

SEED = (Decimal("124562.30"), Decimal("99649.84"), Decimal("12456.23"), Decimal("12456.23"))


def project_url(project, file_format: str, period: int | str = 4) -> str:
    return f"/projects/{project.id}/funding/report.{file_format}?period={period}"


def partner_url(project, slug: str, file_format: str, period: int | str = 4) -> str:
    return f"/t/{slug}/funding/{project.id}/report.{file_format}?period={period}"


def download(client, url: str, email: str = "lead@pasvalys.example"):
    log_in(client, email, DEMO_PASSWORD)
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    return response


def csv_rows(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def section(rows: list[list[str]], heading: str) -> list[list[str]]:
    """The rows of a CSV section: after its heading line, up to the next empty line."""
    start = rows.index([heading]) + 1
    end = next((index for index in range(start, len(rows)) if not rows[index]), len(rows))
    return rows[start:end]


def loe_of_csv(rows: list[list[str]]) -> list[list[str]]:
    """The LoE: its header (Jems's English, whatever the reader's language) and the rows after it."""
    start = next(index for index, row in enumerate(rows) if row[:2] == ["ID", "Sensitive (GDPR)"])
    return rows[start:]


def test_the_consolidated_csv_shows_the_seed_figures_by_source(demo_project, client):
    rows = csv_rows(download(client, project_url(demo_project, "csv")))
    assert rows[0] == ["Funding report InclusiveLibraries, all partners, reporting period 4"]
    header, *sources = section(rows, "Summary by source")
    assert header == ["Source", "Legal status", "Total eligible budget", "Previously reported", "Current report", "Total reported so far", "Reported so far, per cent of budget", "Remaining budget", "Level"]
    fund, contribution, state, municipal, total = sources
    assert [fund[0], fund[2], state[2], municipal[2], total[2]] == ["ERDF", "99649.84", "12456.23", "12456.23", "124562.30"]
    assert (state[1], contribution[2]) == ("Public", "24912.46")
    # Everything is reported by period 4: so far = planned, to the cent.
    assert [row[5] for row in (fund, state, municipal, total)] == ["99649.84", "12456.23", "12456.23", "124562.30"]
    categories = section(rows, "Summary by cost category")
    assert [row[0] for row in categories[1:]] == ["Staff costs", "Office and administration", "Travel and accommodation", "External expertise and services", "Equipment", "Infrastructure and works", "Total"]


class TestThePartnerContributionIsATotalWithItsSourcesOfWhich:
    """The sources are parts of the partner contribution: summing the rows that add up to the total (the fund
    and the contribution) gives the total, in every column, and no format puts a source beside them."""

    def test_csv_marks_each_row_with_its_level(self, demo_project, client):
        header, *rows = section(csv_rows(download(client, project_url(demo_project, "csv"))), "Summary by source")
        level, planned, so_far = header.index("Level"), header.index("Total eligible budget"), header.index("Total reported so far")
        assert [(row[0], row[level]) for row in rows] == [
            ("ERDF", "1"), ("Partner contribution", "1"),
            ("of which Valstybės biudžetas / Valsts budžets", "2"), ("of which Savivaldybės biudžetas / Pašvaldības budžets", "2"),
            ("Total eligible budget", "0"),
        ]
        for column in (planned, so_far):
            total = next(Decimal(row[column]) for row in rows if row[level] == "0")
            assert sum(Decimal(row[column]) for row in rows if row[level] == "1") == total == SEED[0]
            assert sum(Decimal(row[column]) for row in rows if row[level] == "2") == next(Decimal(row[column]) for row in rows if row[0] == "Partner contribution")

    def test_xlsx_indents_the_sources_under_the_contribution(self, demo_project, client):
        sheet = load_workbook(io.BytesIO(download(client, project_url(demo_project, "xlsx")).data))["Summary by source"]
        rows = [row for row in sheet.iter_rows(min_row=5) if row[0].value]
        parts = [row for row in rows if row[0].alignment.indent]
        assert [row[0].value for row in parts] == ["of which Valstybės biudžetas / Valsts budžets", "of which Savivaldybės biudžetas / Pašvaldības budžets"]
        top = [row for row in rows if not row[0].alignment.indent and row[0].value != "Total eligible budget"]
        total = next(row for row in rows if row[0].value == "Total eligible budget")
        assert sum(Decimal(str(row[2].value)) for row in top).quantize(Decimal("0.01")) == Decimal(str(total[2].value)).quantize(Decimal("0.01")) == SEED[0]

    def test_pdf_shows_the_sources_as_of_which_rows(self, demo_project, client, monkeypatch):
        pages = []
        real_html = pdf.HTML
        monkeypatch.setattr(pdf, "HTML", lambda string, **options: pages.append(string) or real_html(string=string, **options))
        text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(download(client, project_url(demo_project, "pdf")).data)).pages)
        assert "of which Valstybės biudžetas" in " ".join(text.split())
        table = pages[0].split("<tbody>")[1].split("</tbody>")[0]  # the summary by source
        rows = [(row.split(">", 1)[0], row.split('<td class="number">')[1].split("<")[0]) for row in table.split("<tr")[1:]]
        amount = lambda text: Decimal(text.replace("€", "").replace(",", ""))  # noqa: E731
        top = [amount(planned) for attributes, planned in rows if "class=" not in attributes]
        parts = [amount(planned) for attributes, planned in rows if 'class="part"' in attributes]
        total = next(amount(planned) for attributes, planned in rows if 'class="total"' in attributes)
        assert sum(top) == total == SEED[0] and sum(parts) == top[1] and len(parts) == 2


def test_the_consolidated_xlsx_has_numeric_cells_with_the_seed_figures(demo_project, client):
    workbook = load_workbook(io.BytesIO(download(client, project_url(demo_project, "xlsx")).data))
    assert workbook.sheetnames == ["Summary by source", "By cost category", f"List_of_expenditures_R4_all_{demo_project.id}", "Indicators"]
    sheet = workbook["Summary by source"]
    by_label = {row[0].value: row for row in sheet.iter_rows(min_row=5)}
    planned = [by_label[label][2] for label in ("Total eligible budget", "ERDF", "of which Valstybės biudžetas / Valsts budžets", "of which Savivaldybės biudžetas / Pašvaldības budžets")]
    assert [Decimal(str(cell.value)).quantize(Decimal("0.01")) for cell in planned] == list(SEED)
    assert all(cell.data_type == "n" and cell.number_format == "#,##0.00" for cell in planned)
    loe = list(workbook[f"List_of_expenditures_R4_all_{demo_project.id}"].iter_rows(values_only=True))
    assert list(loe[0]) == [*JEMS_COLUMNS, "Partner", "Supplier", "Status"]


def test_the_consolidated_pdf_is_tagged_with_title_language_and_the_seed_figures(demo_project, client):
    response = download(client, project_url(demo_project, "pdf"))
    assert response.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    title = "Funding report InclusiveLibraries, all partners, reporting period 4"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and reader.metadata.title == title
    assert reader.xmp_metadata.dc_title["x-default"] == title
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Caption"} <= structure_tags(root["/StructTreeRoot"])
    text = " ".join(page.extract_text() for page in reader.pages)
    for amount in ("€124,562.30", "€99,649.84", "€12,456.23"):
        assert amount in text
    assert b"/URI" not in response.data  # no link out of the document


def test_money_in_the_pdf_is_formatted_in_the_readers_language(demo_project, client):
    response = download(client, partner_url(demo_project, "jelgava", "pdf"), "coordinator@jelgava.example")
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert reader.trailer["/Root"]["/Lang"] == "lv"
    text = " ".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")
    assert "36 281,10 €" in text


def test_the_list_of_expenditure_has_jems_columns_in_order_and_only_reported_items(demo_project, client):
    loe = loe_of_csv(csv_rows(download(client, project_url(demo_project, "csv"))))
    header, *items = loe
    assert header[: len(JEMS_COLUMNS)] == list(JEMS_COLUMNS)
    assert header[len(JEMS_COLUMNS):] == ["Partner", "Supplier", "Status"]
    invoices = {row[header.index("Invoice no.")] for row in items}
    assert {"CN-7", "INV-7"} <= invoices and not {"DRAFT-1", "GONE-1"} & invoices  # drafts and deleted items are not reported
    credit = next(row for row in items if row[header.index("Invoice no.")] == "CN-7")
    assert (credit[header.index("Declared amount in EUR")], credit[header.index("Cost category")], credit[header.index("Partner")]) == ("-120.00", "External expertise and services", "PP2")
    invoice = next(row for row in items if row[header.index("Invoice no.")] == "INV-7")
    assert invoice[header.index("Attachment file name")] == "invoice-7.pdf; payment-7.pdf"
    assert [row[header.index("Partner")] for row in items] == sorted(row[header.index("Partner")] for row in items)


def test_text_that_would_run_as_a_formula_is_neutralised_in_csv_and_xlsx(demo_project, client):
    header, *items = loe_of_csv(csv_rows(download(client, partner_url(demo_project, "jelgava", "csv"), "coordinator@jelgava.example")))
    credit = next(row for row in items if row[header.index("Invoice no.")] == "CN-7")
    invoice = next(row for row in items if row[header.index("Invoice no.")] == "INV-7")
    assert credit[header.index("Description")] == "'=HYPERLINK(\"http://evil.example\")"
    assert credit[header.index("Comment")] == "'+1+2"
    supplier = len(JEMS_COLUMNS)  # our first column after Jems's (its header is in the reader's language)
    assert (invoice[header.index("Description")], invoice[supplier]) == ("'-minus first", "'@Supplier")
    workbook = load_workbook(io.BytesIO(client.get(partner_url(demo_project, "jelgava", "xlsx")).data))
    sheet = workbook[f"List_of_expenditures_R4_PP2_{demo_project.id}"]
    cells = {row[7].value: row for row in sheet.iter_rows(min_row=2)}
    description = cells["CN-7"][JEMS_COLUMNS.index("Description")]
    assert (description.value, description.data_type) == ("=HYPERLINK(\"http://evil.example\")", "s")
    amount = cells["CN-7"][JEMS_COLUMNS.index("Declared amount in EUR")]
    assert (amount.value, amount.data_type, amount.number_format) == (-120, "n", "#,##0.00")


def test_a_partners_report_holds_only_its_own_rows(demo_project, client, app):
    header, *items = loe_of_csv(csv_rows(download(client, partner_url(demo_project, "jelgava", "csv"), "coordinator@jelgava.example")))
    assert len(header) == len(JEMS_COLUMNS) + 2  # the supplier and the status, but no partner column
    assert {row[header.index("Invoice no.")] for row in items} == {"JELGAVA-2", "CN-7", "INV-7"}
    header, *items = loe_of_csv(csv_rows(download(app.test_client(), project_url(demo_project, "csv"))))
    assert {row[header.index("Invoice no.")] for row in items} == {"PASVALYS-2", "JELGAVA-2", "CN-7", "INV-7", "AUGSDAUGAVA-2"}


def test_the_lead_gets_the_project_report_and_a_coordinator_does_not(demo_project, client, app):
    log_in(client, "coordinator@pasvalys.example", DEMO_PASSWORD)
    assert client.get(project_url(demo_project, "csv")).status_code == 404
    assert client.get(partner_url(demo_project, "jelgava", "csv")).status_code == 404  # another partner's
    assert client.get(partner_url(demo_project, "pasvalys", "csv")).status_code == 200
    staff = app.test_client()
    log_in(staff, "staff@pasvalys.example", DEMO_PASSWORD)
    assert staff.get(partner_url(demo_project, "pasvalys", "csv")).status_code == 403
    lead = app.test_client()
    log_in(lead, "lead@pasvalys.example", DEMO_PASSWORD)
    assert lead.get(project_url(demo_project, "csv")).status_code == 200


@pytest.mark.parametrize("period", ["", "9", "0", "x", "-1"])
def test_a_missing_or_unknown_period_is_refused_with_a_message(demo_project, client, period):
    log_in(client, "lead@pasvalys.example", DEMO_PASSWORD)
    response = client.get(project_url(demo_project, "xlsx", period))
    assert response.status_code == 422
    assert "Choose the reporting period of the report: one of 1, 2, 3, 4." in response.get_data(as_text=True)


def test_the_export_runs_the_same_number_of_queries_whatever_the_number_of_rows(demo_project, client, count_queries):
    log_in(client, "lead@pasvalys.example", DEMO_PASSWORD)
    counts = []
    for extra in (0, 40):
        add_items(demo_project, "jelgava", extra)
        for file_format in ("csv", "xlsx", "pdf"):
            with count_queries() as counted:
                response = client.get(project_url(demo_project, file_format))
                body = response.data
            counts.append((file_format, counted.n))
            assert response.status_code == 200 and body
    assert counts[:3] == counts[3:]


def add_items(project, slug: str, how_many: int) -> None:
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    with tenant_scope(tenant):
        items = [services.create(item(f"MORE-{n}", 4, "external", "1.00"), project) for n in range(how_many)]
        if items:
            services.submit(items)
        db.session.commit()


def test_a_long_list_is_cut_in_the_pdf_with_a_pointer_to_the_full_list(demo_project, client, monkeypatch):
    monkeypatch.setattr(report_pdf, "PDF_ROWS", 2)
    reader = pypdf.PdfReader(io.BytesIO(download(client, project_url(demo_project, "pdf")).data))
    text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    assert "This list shows the first 2 items only." in text
    assert "PASVALYS-2" in text and "AUGSDAUGAVA-2" not in text
    assert "€124,562.30" in text  # the summaries still cover every item


def test_the_pdf_renderer_fetches_no_url():
    with pytest.raises(ValueError):
        pdf.NoFetching().fetch("https://fonts.example/font.woff2")
