"""Odd input never gets a server error: digits of other scripts in a period, and numbers too long to be amounts."""
import pytest

from conftest import log_in


@pytest.mark.parametrize("path", ["/t/jelgava/funding/{id}/?period=²", "/t/jelgava/funding/{id}/report.csv?period=²", "/t/jelgava/expenditure/{id}/?period=²"])
def test_a_period_in_another_scripts_digits_is_refused_without_a_server_error(world, client, path):
    log_in(client, "coordinator@jelgava.example")
    assert client.get(path.format(id=world.project.id)).status_code in (200, 422)


def test_a_conversion_rate_too_long_to_be_a_rate_gets_a_field_error(world, client):
    from bibnet.accounts.services import issue_api_token
    from bibnet.extensions import db

    token = issue_api_token(world.coordinator, "odd input")
    db.session.commit()
    body = {"project_id": world.project.id, "period_number": 1, "category": "equipment", "invoice_date": "2024-09-10", "supplier": "SIA X",
            "description": "Lamp", "invoice_total": "10.00", "currency": "PLN", "conversion_rate": "1e30"}
    response = client.post("/api/v1/tenants/jelgava/expenditure", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422


def test_a_negative_amount_in_the_csv_summary_stays_a_number():
    from decimal import Decimal

    from bibnet.tenants.funding_reports.report import SummaryRow
    from bibnet.tenants.funding_reports.report_csv import _cell, _summary_line

    row = SummaryRow("=Over budget", "", Decimal("100.00"), Decimal("0.00"), Decimal("1100.00"))
    cells = [_cell(cell) for cell in _summary_line(row, with_status=False)]
    assert cells[0] == "'=Over budget" and Decimal("-1000.00") in cells


def test_without_the_pdf_library_a_pdf_download_is_a_503_and_the_other_formats_still_work(world, client, monkeypatch):
    """WeasyPrint needs Pango, a system library: a server without it still serves everything but PDFs."""
    import sys

    from bibnet.extensions import db
    from bibnet.tenancy.models import ReportingPeriod

    db.session.add(ReportingPeriod(project_id=world.project.id, number=1, starts_on=world.project.starts_on, ends_on=world.project.ends_on))
    db.session.commit()
    from bibnet.tenants import funding_reports

    monkeypatch.setitem(sys.modules, "bibnet.tenants.funding_reports.report_pdf", None)  # import fails, as without Pango
    monkeypatch.delattr(funding_reports, "report_pdf", raising=False)
    log_in(client, "coordinator@jelgava.example")
    response = client.get(f"/t/jelgava/funding/{world.project.id}/report.pdf?period=1")
    assert response.status_code == 503 and "Something went wrong on our side" in response.get_data(as_text=True)
    assert client.get(f"/t/jelgava/funding/{world.project.id}/report.csv?period=1").status_code == 200
