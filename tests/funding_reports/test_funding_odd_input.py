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
