"""The REST API: tokens, the OpenAPI document, problem+json errors and pagination."""
from openapi_spec_validator import validate
import sqlalchemy as sa

from bibnet.accounts.models import ApiToken
from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db

from conftest import log_in, post_form


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def test_the_openapi_document_is_valid_and_lists_the_endpoints(client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert {"/api/v1/me", "/api/v1/me/tenants", "/api/v1/tenants/{tenant_slug}/users"} <= set(document["paths"])
    assert document["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}


def test_every_schema_of_the_openapi_document_has_a_name_of_its_own(client):
    """Two schemas of one name are renamed by apispec with a number ("Run1"), which API clients then generate."""
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    assert [name for name in schemas if name[-1].isdigit()] == []


def test_a_token_is_shown_once_stored_hashed_and_works_as_bearer(world, client):
    log_in(client, "coordinator@jelgava.example")
    page = post_form(client, "/profile/tokens", {"name": "spreadsheet"}, page="/profile").get_data(as_text=True)
    secret = page.split('id="new-token">')[1].split("<")[0]
    assert secret.startswith("bibnet_")
    assert secret not in client.get("/profile").get_data(as_text=True)
    stored = db.session.scalar(sa.select(ApiToken))
    assert secret not in (stored.token_hash, stored.prefix)
    anonymous = client.__class__(client.application)
    me = anonymous.get("/api/v1/me", headers=bearer(secret))
    assert me.status_code == 200 and me.json["email"] == "coordinator@jelgava.example"


def test_the_profile_shows_the_header_with_its_placeholder_as_text(world, client):
    log_in(client, "coordinator@jelgava.example")
    page = client.get("/profile").get_data(as_text=True)
    assert "Authorization: Bearer &lt;token&gt;" in page and "<token>" not in page


def test_a_revoked_token_no_longer_works(world, client):
    secret = issue_api_token(world.coordinator, "old")
    db.session.commit()
    token_id = db.session.scalar(sa.select(ApiToken.id))
    log_in(client, "coordinator@jelgava.example")
    assert post_form(client, f"/profile/tokens/{token_id}/revoke", {}, page="/profile").status_code == 302
    response = client.__class__(client.application).get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_a_token_has_the_same_permissions_as_its_user(world, client):
    secret = issue_api_token(world.staff, "staff token")
    db.session.commit()
    assert client.get("/api/v1/tenants/jelgava/users", headers=bearer(secret)).status_code == 403
    assert client.get("/api/v1/tenants/pasvalys/users", headers=bearer(secret)).status_code == 404
    tenants = client.get("/api/v1/me/tenants", headers=bearer(secret)).json["items"]
    assert [(item["tenant"]["slug"], item["role"]) for item in tenants] == [("jelgava", "staff")]


def test_the_lead_sees_every_partner_as_lead(world, client):
    secret = issue_api_token(world.lead, "lead")
    db.session.commit()
    tenants = client.get("/api/v1/me/tenants", headers=bearer(secret)).json["items"]
    assert sorted((item["tenant"]["slug"], item["role"]) for item in tenants) == [("jelgava", "lead"), ("pasvalys", "lead")]


def test_tenant_users_are_paginated_with_one_convention(world, client):
    secret = issue_api_token(world.coordinator, "paging")
    db.session.commit()
    response = client.get("/api/v1/tenants/jelgava/users?per_page=1&page=2", headers=bearer(secret))
    assert response.status_code == 200
    body = response.json
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (2, 1, 2, 2)
    assert len(body["items"]) == 1 and set(body["items"][0]) == {"id", "email", "name", "role", "active"}


def test_invalid_query_arguments_get_422_with_translated_field_errors(world, client):
    secret = issue_api_token(world.coordinator, "bad input")
    db.session.commit()
    response = client.get("/api/v1/tenants/jelgava/users?per_page=1000&page=zero", headers={**bearer(secret), "Accept-Language": "lv"})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    errors = response.json["errors"]["query"]
    assert set(errors) == {"page", "per_page"}


def test_errors_are_problem_details(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404 and response.json["title"]
    assert client.get("/api/v1/me").status_code == 401


def test_cookie_sessions_need_csrf_for_api_writes(world, client):
    log_in(client, "coordinator@jelgava.example")
    response = client.post("/api/v1/me")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
