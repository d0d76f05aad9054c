"""The project's funding report carries a "Programme indicators" section laid out as Jems's project report asks
(code, name, unit, target, previously reported, this report, cumulative, per cent of target, evidence), in XLSX,
CSV and PDF, here on the demo project; a partner's report has none (the indicators are the project's)."""
import csv
import io

from openpyxl import load_workbook
import pypdf

from bibnet import demo
from bibnet.tenants.funding_reports.programme_indicators.demo import EVIDENCE_CODE, EVIDENCE_TEXT, TARGETS

from conftest import log_in

pytest_plugins = ["indicator_fixtures"]

HEADER = ["Code", "Indicator", "Measurement unit", "Target", "Previously reported", "This report", "Cumulative", "Per cent of target", "Evidence"]


def report(client, project, file_format: str, period: int = 4):
    log_in(client, demo.LEAD_EMAIL, demo.PASSWORD)
    response = client.get(f"/projects/{project.id}/funding/report.{file_format}?period={period}")
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    return response


def test_the_xlsx_has_a_programme_indicators_sheet_with_numbers_and_evidence(demo_project, client):
    workbook = load_workbook(io.BytesIO(report(client, demo_project, "xlsx").data))
    sheet = workbook["Programme indicators"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header_at = next(index for index, row in enumerate(rows) if row[:1] == ["Code"])
    assert rows[header_at] == HEADER
    by_code = {row[0]: row for row in rows[header_at + 1:]}
    assert set(by_code) == set(TARGETS)
    _code, name, unit, target, previously, this_report, cumulative, percent, evidence = by_code[EVIDENCE_CODE]
    assert (name, unit, target, previously, this_report, cumulative) == ("Organisations cooperating across borders after project completion", "organisations", 8, 0, 5, 5)
    assert percent == 62.5 and evidence == f"{EVIDENCE_TEXT} (letters-of-intent.pdf)"
    assert all(isinstance(by_code[code][3], int) for code in by_code)  # counts are numeric cells


def test_the_csv_has_the_section_before_the_list_of_expenditure(demo_project, client):
    text = report(client, demo_project, "csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text[1:])))
    start = rows.index(["Programme indicators"])
    assert rows[start + 1] == HEADER
    assert start < rows.index(["List of expenditure"])
    line = next(row for row in rows[start:] if row[:1] == [EVIDENCE_CODE])
    assert line[3:8] == ["8", "0", "5", "5", "62.50"]


def test_the_pdf_shows_the_programme_indicators_with_their_evidence(demo_project, client):
    reader = pypdf.PdfReader(io.BytesIO(report(client, demo_project, "pdf").data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Programme indicators" in text
    for code in TARGETS:
        assert code in text
    assert "Letters of intent" in text


def test_a_partners_report_has_no_programme_indicators(demo_project, client):
    log_in(client, "coordinator@pasvalys.example", demo.PASSWORD)
    response = client.get(f"/t/pasvalys/funding/{demo_project.id}/report.xlsx?period=4")
    assert response.status_code == 200
    assert "Programme indicators" not in load_workbook(io.BytesIO(response.data)).sheetnames
