"""API of the funding report downloads: the same files as the pages, per partner and per project, in the
OpenAPI document; a wrong format or period is a 422 problem+json naming the query parameter."""
import csv
import io

from openapi_spec_validator import validate
import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db

pytest_plugins = ["report_demo"]


def bearer(email: str) -> dict:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    secret = issue_api_token(user, "funding reports")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_openapi_document_describes_both_downloads_and_their_file_types(client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    for path in ("/api/v1/tenants/{tenant_slug}/projects/{project_id}/funding-report", "/api/v1/projects/{project_id}/funding-report"):
        operation = document["paths"][path]["get"]
        assert set(operation["responses"]["200"]["content"]) == {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv", "application/pdf",
        }
        assert {parameter["name"] for parameter in operation["parameters"] if parameter["in"] == "query"} == {"format", "period"}
        assert "422" in operation["responses"]


def test_the_lead_downloads_the_project_report(demo_project, client):
    response = client.get(f"/api/v1/projects/{demo_project.id}/funding-report?format=csv&period=4", headers=bearer("lead@pasvalys.example"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="Report_export_{demo_project.id}_project_R4.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True)[1:])))
    assert ["Total eligible budget", "", "124562.30", "100562.30", "24000.00", "124562.30", "100.00", "0.00", "0"] in rows


def test_a_coordinator_downloads_the_partners_report_but_not_the_projects(demo_project, client):
    headers = bearer("coordinator@jelgava.example")
    response = client.get(f"/api/v1/tenants/jelgava/projects/{demo_project.id}/funding-report?format=xlsx&period=4", headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="Report_export_{demo_project.id}_PP2_R4.xlsx"'
    response = client.get(f"/api/v1/projects/{demo_project.id}/funding-report?format=csv&period=4", headers=headers)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_a_wrong_format_or_period_is_a_422_naming_the_parameter(demo_project, client):
    headers = bearer("lead@pasvalys.example")
    url = f"/api/v1/projects/{demo_project.id}/funding-report"
    response = client.get(f"{url}?format=docx&period=4", headers=headers)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert response.json["errors"]["query"]["format"] == ["Choose the format xlsx, csv or pdf."]
    response = client.get(f"{url}?format=pdf&period=7", headers=headers)
    assert response.status_code == 422
    assert response.json["errors"]["query"]["period"] == ["Choose the reporting period of the report: one of 1, 2, 3, 4."]
    response = client.get(f"{url}?format=pdf", headers=headers)
    assert response.status_code == 422 and response.json["errors"]["query"]["period"] == ["This field is required."]
