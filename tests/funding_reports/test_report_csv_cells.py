"""The funding report's CSV cell by cell, on both ways of writing its list of expenditure: PostgreSQL's COPY
and, elsewhere, one CSV line per item written by the database. Both give the same cells for empty and
missing values, quotes, line breaks, text that would run as a formula, credit notes and non-Latin letters;
every line ends with a line feed. COPY reads only the report's scope (the guard's criteria, and row-level
security behind them), and a download broken off mid-COPY never leaves its connection in the pool."""
from contextlib import closing
import csv
import dataclasses
from decimal import Decimal
import io

import pytest
from report_demo import DEMO_PASSWORD, item
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.expenditure import services
from bibnet.tenants.funding_reports import report as report_module
from bibnet.tenants.funding_reports.report import JEMS_COLUMNS, build_partner_report, build_project_report, loe_copy_sql, loe_csv

from conftest import log_in

pytest_plugins = ["report_demo"]

ODD_TEXT = {
    # invoice number: (description, comment, supplier)
    "ODD-QUOTES": ('A "quoted" word, and a comma', "", "SIA „Grāmatu nams“"),
    "ODD-LINES": ("First line\nsecond line", "one\r\ntwo", "Supplier, with a comma"),
    "ODD-FORMULAS": ("=1+2", "+3", "-4"),
    "ODD-MORE-FORMULAS": ("@SUM(A1)", "Tabbed", "Returned"),
    "ODD-LETTERS": ("Ąžuolų ąčęėįšųūž, Ķekava ļņģ, Привет", "😀 emoji", "UAB „Šviesa“"),
}
# The forms strip leading white space; an import or an older row may still start with it.
RAW_STARTS = {"ODD-MORE-FORMULAS": {"comment": "\tTabbed", "supplier": "\rReturned"}}
EXPECTED = {
    "ODD-QUOTES": ('A "quoted" word, and a comma', "", "SIA „Grāmatu nams“"),
    "ODD-LINES": ("First line\nsecond line", "one\r\ntwo", "Supplier, with a comma"),
    "ODD-FORMULAS": ("'=1+2", "'+3", "'-4"),
    "ODD-MORE-FORMULAS": ("'@SUM(A1)", "'\tTabbed", "'\rReturned"),
    "ODD-LETTERS": ("Ąžuolų ąčęėįšųūž, Ķekava ļņģ, Привет", "😀 emoji", "UAB „Šviesa“"),
}


@pytest.fixture
def odd_items(demo_project):
    """Jelgava's items in period 4 with every kind of awkward text, a credit note without an invoice
    number, VAT or payment date, and an item without a comment (an empty text, never NULL)."""
    jelgava = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "jelgava"))
    with tenant_scope(jelgava):
        items = [
            services.create(item(number, 4, "external", "10.00", description=description, comment=comment, supplier=supplier), demo_project)
            for number, (description, comment, supplier) in ODD_TEXT.items()
        ]
        credit = dataclasses.replace(item(None, 4, "office", "-33.30", description="Credit without a number"), payment_date=None)
        items.append(services.create(credit, demo_project))
        for odd in items:
            for name, value in RAW_STARTS.get(odd.invoice_number, {}).items():
                setattr(odd, name, value)
        services.submit(items)
        db.session.commit()
    return demo_project


def parsed(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def loe_items(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    start = next(index for index, row in enumerate(rows) if row[:2] == ["ID", "Sensitive (GDPR)"])
    return rows[start], rows[start + 1:]


def download(client, url: str, email: str = "lead@pasvalys.example") -> bytes:
    log_in(client, email, DEMO_PASSWORD)
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    return response.data


def project_csv(client, project) -> bytes:
    return download(client, f"/projects/{project.id}/funding/report.csv?period=4")


def test_awkward_text_comes_out_cell_for_cell(odd_items, client):
    header, items = loe_items(parsed(project_csv(client, odd_items)))
    by_number = {row[header.index("Invoice no.")]: row for row in items}
    supplier = len(JEMS_COLUMNS) + 1  # after the partner column
    for number, (description, comment, supplier_name) in EXPECTED.items():
        row = by_number[number]
        assert (row[header.index("Description")], row[header.index("Comment")], row[supplier]) == (description, comment, supplier_name)
        assert len(row) == len(header)


def test_missing_values_are_empty_cells_and_a_credit_note_stays_a_negative_number(odd_items, client):
    header, items = loe_items(parsed(project_csv(client, odd_items)))
    credit = next(row for row in items if row[header.index("Description")] == "Credit without a number")
    cells = {name: credit[header.index(name)] for name in ("Invoice no.", "VAT", "Date of payment", "Conversion rate", "Comment", "Declared amount in EUR", "Total invoice value")}
    assert cells == {"Invoice no.": "", "VAT": "", "Date of payment": "", "Conversion rate": "", "Comment": "", "Declared amount in EUR": "-33.30", "Total invoice value": "-33.30"}
    assert credit[header.index("Invoice date")] == "2026-02-10"


def test_every_line_ends_with_a_line_feed(odd_items, client):
    body = project_csv(client, odd_items)
    assert body.endswith(b"\n")
    # Carriage returns only inside the quoted cells that hold them (the ODD-LINES item).
    outside_quotes = b"".join(body.split(b'"')[0::2])
    assert b"\r" not in outside_quotes


def test_the_head_quotes_line_breaks_inside_a_cell_and_nothing_else():
    from bibnet.tenants.funding_reports.report_csv import chunks

    body = b"".join(chunks([["Title\rwith a return", "and\na line feed", Decimal("-1.50"), 2, "plain"], []], iter([])))
    assert body == '\ufeff"Title\rwith a return","and\na line feed",-1.50,2,plain\n\n'.encode()
    assert parsed(body) == [["Title\rwith a return", "and\na line feed", "-1.50", "2", "plain"], []]


@pytest.fixture
def postgresql_only(app_context):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's")


on_postgresql = pytest.mark.usefixtures("postgresql_only")


def loe_of(chunks) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8"), newline="")))


@on_postgresql
def test_copy_and_the_database_written_lines_give_the_same_cells(odd_items, app, monkeypatch):
    with app.test_request_context():
        project = db.session.get(type(odd_items), odd_items.id)
        report = build_project_report(project, project.reporting_periods[3])
        with closing(loe_csv(report)) as copied:
            assert isinstance(copied, report_module._LoeCopy)
            by_copy = loe_of(copied)
        with closing(report_module._LoeLines(report)) as written:
            by_lines = loe_of(written)
    assert len(by_copy) > len(EXPECTED) and by_copy == by_lines


def test_the_copy_statement_carries_the_guards_criteria_for_every_tenant_table(demo_project, app):
    """COPY leaves the session's events behind: its statement gets the guard's criteria before it is compiled."""
    jelgava = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "jelgava"))
    with app.test_request_context(), tenant_scope(jelgava):
        project = db.session.get(type(demo_project), demo_project.id)
        sql = loe_copy_sql(build_partner_report(project, project.reporting_periods[3], db.session.get(Tenant, jelgava.id)), db.engine.dialect)
    for table in ("expenditure", "expenditure_attachment", "stored_file"):
        assert f"{table}.tenant_id = {jelgava.id}" in sql


@on_postgresql
def test_copy_reads_only_the_tenants_rows_even_without_the_guards_criteria(demo_project, app, monkeypatch):
    """Row-level security, set in COPY's own transaction, is the second layer: a partner's report that
    (wrongly) names every partner and lost the guard's criteria still holds only the partner's rows."""
    monkeypatch.setattr(report_module, "filtered_to_scope", lambda statement, what: statement)
    jelgava = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "jelgava"))
    with app.test_request_context(), tenant_scope(jelgava):
        project = db.session.get(type(demo_project), demo_project.id)
        report = build_partner_report(project, project.reporting_periods[3], db.session.get(Tenant, jelgava.id))
        everyone = dataclasses.replace(report, partners=tuple(project.partners))
        with closing(loe_csv(everyone)) as copied:
            numbers = {row[7] for row in loe_of(copied)}
    assert numbers == {"JELGAVA-2", "CN-7", "INV-7"}


@on_postgresql
def test_a_copy_broken_off_closes_its_connection_and_a_finished_one_returns_it(demo_project, app, monkeypatch):
    monkeypatch.setattr(report_module, "CHUNK_BYTES", 1)  # a chunk per line: the download can stop mid-COPY
    with app.test_request_context():
        project = db.session.get(type(demo_project), demo_project.id)
        report = build_project_report(project, project.reporting_periods[3])
        broken = loe_csv(report)
        driver_connection = broken._connection.connection.driver_connection
        next(iter(broken))
        broken.close()
        assert driver_connection.closed  # not back in the pool mid-COPY
        finished = loe_csv(report)
        driver_connection = finished._connection.connection.driver_connection
        lines = list(finished)
        finished.close()
        assert len(lines) > 1 and not driver_connection.closed
        assert db.session.scalar(sa.text("SELECT 1")) == 1


@on_postgresql
def test_a_download_whose_client_goes_away_mid_copy_ends_its_session(demo_project, client, monkeypatch):
    monkeypatch.setattr(report_module, "CHUNK_BYTES", 1)
    copies = []
    original = report_module._LoeCopy.__init__

    def recorded(self, report):
        original(self, report)
        copies.append(self)

    monkeypatch.setattr(report_module._LoeCopy, "__init__", recorded)
    log_in(client, "lead@pasvalys.example", DEMO_PASSWORD)
    response = client.get(f"/projects/{demo_project.id}/funding/report.csv?period=4", buffered=False)
    chunks = response.iter_encoded()
    next(chunks), next(chunks)  # the head, then the first LoE line
    driver_connection = copies[0]._connection.connection.driver_connection
    response.close()
    assert driver_connection.closed
