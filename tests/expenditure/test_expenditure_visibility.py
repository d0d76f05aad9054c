"""Who may see a partner's expenditure beyond its coordinator: staff only when allowed to draft, and a project
lead only in the projects they lead, even when the partner takes part in another project too."""
from datetime import date
import io

from expenditure_items import allow_staff, make_item
import pytest
import sqlalchemy as sa

from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Partner, PartnerRole, Project, ProjectLead
from bibnet.tenants.expenditure.models import ExpenditureAttachment

from conftest import csrf_token, log_in

pytest_plugins = ["expenditure_items"]  # the fixture `project`

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def file_of_an_invoice(world, project, app):
    """A Jelgava invoice with a PDF attached by the coordinator; the stored file's id."""
    item_id = make_item(world.jelgava, project)
    coordinator = app.test_client()
    log_in(coordinator, "coordinator@jelgava.example")
    page = f"/t/jelgava/expenditure/{project.id}/{item_id}/"
    token = csrf_token(coordinator.get(page).get_data(as_text=True))
    response = coordinator.post(page + "attachments", data={"csrf_token": token, "files": [(io.BytesIO(PDF), "invoice.pdf")]}, content_type="multipart/form-data")
    assert response.status_code == 302
    with tenant_scope(world.jelgava):
        return db.session.scalar(sa.select(ExpenditureAttachment.file_id))


@pytest.fixture
def lead_of_another_project(world, make_user):
    """A lead of a second project that Jelgava also takes part in, but not of the world's project."""
    other = Project(programme="Interreg VI-A Latvia–Lithuania", acronym="ReadingTogether", title="Reading together", starts_on=date(2025, 1, 1), ends_on=date(2026, 12, 31))
    db.session.add(other)
    db.session.flush()
    db.session.add(Partner(project_id=other.id, tenant_id=world.jelgava.id, number=1, role=PartnerRole.LEAD))
    lead = make_user("lead@reading.example", "Other Lead")
    db.session.add(ProjectLead(project_id=other.id, user_id=lead.id))
    db.session.commit()
    return lead


def test_staff_who_may_not_draft_cannot_download_an_invoice_file(world, file_of_an_invoice, client):
    log_in(client, "staff@jelgava.example")
    assert client.get(f"/t/jelgava/files/{file_of_an_invoice}").status_code == 404
    allow_staff(world.jelgava)
    assert client.get(f"/t/jelgava/files/{file_of_an_invoice}").status_code == 200


def test_the_lead_of_another_project_cannot_download_the_invoice_file(file_of_an_invoice, lead_of_another_project, client):
    log_in(client, "lead@reading.example")
    assert client.get(f"/t/jelgava/files/{file_of_an_invoice}").status_code == 404


def test_the_lead_of_another_project_gets_nothing_of_this_project_through_the_api(world, project, lead_of_another_project, client):
    item_id = make_item(world.jelgava, project, status="submitted")
    headers = {"Authorization": f"Bearer {issue_api_token(lead_of_another_project, 'probe')}"}
    db.session.commit()
    assert client.get("/api/v1/tenants/jelgava/expenditure", headers=headers).get_json()["items"] == []
    assert client.get(f"/api/v1/tenants/jelgava/expenditure/{item_id}", headers=headers).status_code == 404
    assert client.post(f"/api/v1/tenants/jelgava/expenditure/{item_id}/verify", headers=headers).status_code == 404


def test_the_lead_of_another_project_is_offered_only_the_project_they_lead(world, project, lead_of_another_project, client):
    log_in(client, "lead@reading.example")
    for index in ("/t/jelgava/expenditure/", "/t/jelgava/budget/", "/t/jelgava/funding/"):
        response = client.get(index)
        assert str(project.id) not in response.headers.get("Location", "") and project.acronym not in response.get_data(as_text=True), index
