"""The expenditure API: every bad input a 422 with field errors and nothing written, status conflicts a 409,
roles as on the pages, attachments in multipart, money as strings, and another partner's items unreachable."""
import io

from expenditure_items import allow_staff, count_items, make_item
from openapi_spec_validator import validate
import pytest
import sqlalchemy as sa

from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.storage.models import StoredFile
from bibnet.tenancy.context import tenant_scope

pytest_plugins = ["expenditure_items"]  # the fixture `project`

BASE = "/api/v1/tenants/jelgava/expenditure"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def body(project, **changes):
    return {
        "project_id": project.id, "period_number": 1, "category": "equipment", "supplier": "SIA Sensorika", "invoice_number": "SR-2024/118",
        "invoice_date": "2024-09-10", "payment_date": "2024-09-20", "description": "Bubble tube", "invoice_total": "1210.00", "vat": "210.00",
        **changes,
    }


class Caller:
    def __init__(self, client, secret):
        self.client, self.headers = client, {"Authorization": f"Bearer {secret}"}

    def __getattr__(self, method):
        def call(path="", **kwargs):
            return getattr(self.client, method)(BASE + path, headers=self.headers, **kwargs)

        return call


@pytest.fixture
def callers(world, client):
    issued = {name: issue_api_token(getattr(world, name), "api tests") for name in ("coordinator", "staff", "lead", "other_coordinator")}
    db.session.commit()
    return {name: Caller(client, secret) for name, secret in issued.items()}


@pytest.mark.parametrize("zero", ["-0", "-0.00", -0.0, "0"])
def test_a_total_of_minus_zero_is_zero_never_minus_zero(world, project, callers, zero):
    response = callers["coordinator"].post(json=body(project, invoice_total=zero, vat=None, declared_amount=zero))
    assert response.status_code == 201, response.json
    stored = callers["coordinator"].get(f"/{response.json['id']}").json
    for item in (response.json, stored):
        amounts = [item["invoice_total"], item["declared_amount"], item["declared_eur"]]
        assert all(amount in ("0", "0.0", "0.00") for amount in amounts), amounts


def test_a_coordinator_creates_an_item_with_money_as_strings(world, project, callers):
    response = callers["coordinator"].post(json=body(project))
    assert response.status_code == 201, response.json
    item = response.json
    assert (item["invoice_total"], item["declared_amount"], item["declared_eur"], item["status"], item["credit_note"]) == ("1210.00", "1210.00", "1210.00", "draft", False)
    assert response.headers["Location"].endswith(f"/expenditure/{item['id']}")
    listed = callers["coordinator"].get(query_string={"project_id": project.id, "status": "draft"}).json
    assert (listed["total"], listed["items"][0]["id"]) == (1, item["id"])


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"invoice_total": "10.001"}, "invoice_total", "at most two decimals"),
        ({"invoice_total": 10.001}, "invoice_total", "at most two decimals"),
        ({"vat": "1300.00"}, "vat", "The VAT cannot be more than the invoice total"),
        ({"declared_amount": "1210.01"}, "declared_amount", "cannot be more than the invoice total"),
        ({"invoice_date": "2024-05-31"}, "invoice_date", "within the project"),
        ({"category": "catering"}, "category", "six cost categories"),
        ({"currency": "XYZ"}, "currency", "three-letter ISO code"),
        ({"invoice_total": "a lot"}, "invoice_total", "Enter an amount as a number"),
        ({"project_id": 999}, "project_id", "partner of"),
    ],
)
def test_bad_input_is_a_422_with_field_errors_and_nothing_is_written(world, project, callers, changes, field, message):
    response = callers["coordinator"].post(json=body(project, **changes))
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert any(message in text for text in response.json["errors"]["json"][field]), response.json
    assert count_items() == 0


def test_a_duplicate_invoice_is_a_422(world, project, callers):
    make_item(world.jelgava, project)
    response = callers["coordinator"].post(json=body(project, supplier="sia sensorika"))
    assert response.status_code == 422 and "already in the list" in response.json["errors"]["json"]["invoice_number"][0]
    assert count_items() == 1


def test_statuses_and_who_may_move_them(world, project, callers):
    item_id = make_item(world.jelgava, project)
    item = f"/{item_id}"
    assert callers["staff"].patch(item, json={"comment": "x"}).status_code == 403
    assert callers["lead"].post(item + "/submit").status_code == 403
    assert callers["lead"].post(item + "/verify").status_code == 409  # a draft is not the lead's yet
    assert callers["coordinator"].post(item + "/submit").json["status"] == "submitted"
    refused = callers["coordinator"].patch(item, json={"description": "Changed after submission"})
    assert refused.status_code == 409 and "cannot be edited" in refused.json["detail"]
    assert callers["coordinator"].delete(item).status_code == 409
    assert callers["coordinator"].post(item + "/verify").status_code == 403
    assert callers["lead"].post(item + "/reject", json={"comment": " "}).status_code == 422
    rejected = callers["lead"].post(item + "/reject", json={"comment": "The payment proof is missing"})
    assert (rejected.json["status"], rejected.json["status_comment"]) == ("rejected", "The payment proof is missing")
    corrected = callers["coordinator"].patch(item, json={"comment": "Proof attached"})
    assert (corrected.status_code, corrected.json["status"], corrected.json["description"]) == (200, "draft", "Bubble tube with a safety base")
    callers["coordinator"].post(item + "/submit")
    assert callers["lead"].post(item + "/verify").json["status"] == "verified"


def test_staff_may_create_drafts_when_allowed(world, project, callers):
    assert callers["staff"].post(json=body(project)).status_code == 403
    allow_staff(world.jelgava)
    created = callers["staff"].post(json=body(project))
    assert created.status_code == 201
    assert callers["staff"].post(f"/{created.json['id']}/submit").status_code == 403


def test_delete_is_soft(world, project, callers):
    item_id = make_item(world.jelgava, project)
    assert callers["coordinator"].delete(f"/{item_id}").status_code == 204
    assert callers["coordinator"].get(f"/{item_id}").status_code == 404
    assert count_items() == 1


def test_files_are_attached_in_multipart_listed_and_removed(world, project, callers):
    item_id = make_item(world.jelgava, project)
    coordinator = callers["coordinator"]
    added = coordinator.post(f"/{item_id}/attachments", data={"files": [(io.BytesIO(PDF), "invoice.pdf"), (io.BytesIO(PDF), "payment.pdf")]}, content_type="multipart/form-data")
    assert added.status_code == 201 and [file["filename"] for file in added.json] == ["invoice.pdf", "payment.pdf"]
    assert len(coordinator.get(f"/{item_id}/attachments").json) == 2
    refused = coordinator.post(f"/{item_id}/attachments", data={"files": [(io.BytesIO(b"MZ\x90\x00 an executable"), "virus.pdf")]}, content_type="multipart/form-data")
    assert refused.status_code == 422 and "files" in refused.json["errors"]["files"]
    assert coordinator.delete(f"/{item_id}/attachments/{added.json[0]['id']}").status_code == 204
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 1


def test_another_partners_items_are_unreachable(world, project, callers):
    theirs = make_item(world.pasvalys, project)
    make_item(world.jelgava, project, supplier="SIA Cits")
    coordinator = callers["coordinator"]
    assert coordinator.get().json["total"] == 1
    for method, path in (("get", ""), ("patch", ""), ("delete", ""), ("post", "/submit"), ("get", "/attachments")):
        assert getattr(coordinator, method)(f"/{theirs}{path}", json={} if method != "get" else None).status_code == 404, (method, path)
    assert callers["other_coordinator"].get(f"/{theirs}").status_code == 404  # through the wrong tenant's address
    assert callers["other_coordinator"].client.get(f"/api/v1/tenants/pasvalys/expenditure/{theirs}", headers=callers["other_coordinator"].headers).status_code == 200


def test_the_openapi_document_lists_the_expenditure_api_and_is_valid(client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    paths = document["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/tenants/{tenant_slug}/expenditure"])
    assert "/api/v1/tenants/{tenant_slug}/expenditure/{expenditure_id}/reject" in paths
    assert "/api/v1/tenants/{tenant_slug}/expenditure/{expenditure_id}/attachments" in paths
