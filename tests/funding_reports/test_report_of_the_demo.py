"""The issue's "done when": the demo loaded as `bibnet demo` loads it, its consolidated report for the last
period shows the seed's figures exactly, 124,562.30 = 99,649.84 ERDF + 12,456.23 state + 12,456.23 municipal,
in XLSX, CSV and PDF."""
import csv
from decimal import Decimal
import io

from click.testing import CliRunner
from flask.cli import ScriptInfo
from openpyxl import load_workbook
import pypdf
import pytest
import sqlalchemy as sa

from bibnet import demo
from bibnet.cli import main
from bibnet.extensions import db
from bibnet.tenancy.models import Project

from conftest import log_in

SEED = {"total": "124562.30", "ERDF": "99649.84", "state": "12456.23", "municipal": "12456.23"}


@pytest.fixture
def lead_of_the_demo(app, app_context, client):
    result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    log_in(client, "lead@pasvalys.example", demo.PASSWORD)
    project = db.session.scalar(sa.select(Project).where(Project.acronym == "InclusiveLibraries"))
    return client, f"/projects/{project.id}/funding/report.{{}}?period={len(project.reporting_periods)}"


def _get(lead_of_the_demo, file_format):
    client, url = lead_of_the_demo
    response = client.get(url.format(file_format))
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    return response


def test_the_csv_of_the_demo_shows_the_seed_figures_reported_so_far(lead_of_the_demo):
    text = _get(lead_of_the_demo, "csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    start = rows.index(["Summary by source"]) + 2
    fund, _contribution, state, municipal, total = rows[start:start + 5]
    so_far = [row[5] for row in (total, fund, state, municipal)]
    assert so_far == [SEED["total"], SEED["ERDF"], SEED["state"], SEED["municipal"]]
    assert fund[0] == "ERDF"


def test_the_xlsx_of_the_demo_shows_the_seed_figures_as_numbers(lead_of_the_demo):
    workbook = load_workbook(io.BytesIO(_get(lead_of_the_demo, "xlsx").data))
    rows = [row for row in workbook["Summary by source"].iter_rows() if row[0].value]
    by_label = {row[0].value: row for row in rows}
    state = next(label for label in by_label if str(label).startswith("of which Valstybės biudžetas"))
    municipal = next(label for label in by_label if str(label).startswith("of which Savivaldybės biudžetas"))
    cells = [by_label[label][5] for label in ("Total eligible budget", "ERDF", state, municipal)]
    assert [Decimal(str(cell.value)).quantize(Decimal("0.01")) for cell in cells] == [Decimal(SEED[key]) for key in ("total", "ERDF", "state", "municipal")]
    assert all(cell.data_type == "n" and cell.number_format == "#,##0.00" for cell in cells)


def test_the_pdf_of_the_demo_shows_the_seed_figures(lead_of_the_demo):
    reader = pypdf.PdfReader(io.BytesIO(_get(lead_of_the_demo, "pdf").data))
    text = " ".join(page.extract_text() for page in reader.pages)
    for amount in ("€124,562.30", "€99,649.84", "€12,456.23"):
        assert amount in text
