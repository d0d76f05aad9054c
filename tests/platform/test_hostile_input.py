"""Hostile input: what no feature can store is refused with a clear, translated message, and nothing is written.

The endpoints are read from the app's URL map, so a new JSON endpoint or form page is covered without
being listed here. Each feature's own refusals (dates, amounts, imports) are tested with the feature.
"""
from functools import cache
import io
import os
import tempfile

import pytest
import sqlalchemy as sa

from bibnet.accounts.services import issue_api_token
from bibnet.app import create_app
from bibnet.extensions import db
from bibnet.tenancy.context import all_tenants, raw_sql, tenant_scope
from bibnet.tenants.bookings.models import Booking
from bibnet.tenants.expenditure.models import Expenditure
from bibnet.tenants.rooms.models import Closure, Room
from bibnet.web.input_checks import MAX_WHOLE_NUMBER

from conftest import csrf_token, log_in, monday_in

CONTROL_CHARACTER = "Remove the invisible control character (such as a NUL character) from this text: it cannot be saved."
NUMBER_TOO_LARGE = f"Enter a number from -{MAX_WHOLE_NUMBER} to {MAX_WHOLE_NUMBER}."
WRITING = ("POST", "PUT", "PATCH")


def row_counts() -> dict[str, int]:
    """Rows in every table, of every tenant."""
    reason = "test: nothing may be written"
    with all_tenants(reason), raw_sql(reason):
        counts = {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table)) for table in db.metadata.sorted_tables}
    db.session.commit()
    return counts


def writing_routes(app, api: bool) -> list[tuple[str, str]]:
    """(method, URL) of every route that takes a body, under /api/ or not, with its URL arguments filled in."""
    adapter = app.url_map.bind("localhost")
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") != api or rule.endpoint == "static":
            continue
        values = {argument: "jelgava" if argument == "tenant_slug" else 1 for argument in rule.arguments}
        for method in sorted(set(rule.methods) & set(WRITING)):
            routes.append((method, adapter.build(rule.endpoint, values, method=method)))
    return routes


@pytest.fixture
def admin(world, client):
    """The platform admin, who may call every endpoint of every tenant and project, with an API token."""
    secret = issue_api_token(world.admin, "hostile input")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@cache
def _app_for_collection():
    """An app built only to read its URL map while the tests are collected (no database is opened)."""
    os.environ.setdefault("BIBNET_INSTANCE_PATH", tempfile.mkdtemp(prefix="bibnet-routes-"))
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})


def api_routes():
    return writing_routes(_app_for_collection(), api=True)


def page_routes():
    return writing_routes(_app_for_collection(), api=False)


def refused(response, status, message, where="json", field="title"):
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"][where][field] == [message]


NESTED_DEEP = "[" * 100_000 + "]" * 100_000
# (body, status, where the message is: a field of the "json" errors or the problem's "detail", the message)
HOSTILE_BODIES = [
    ('{"title": "Sensory\\u0000 session"}', 422, "title", CONTROL_CHARACTER),
    ('{"title": "\\ud800"}', 422, "title", CONTROL_CHARACTER),  # an unpaired surrogate cannot be encoded as UTF-8
    ('{"title": "\\u001b[31m"}', 422, "title", CONTROL_CHARACTER),
    *((f'{{"title": {number}}}', 422, "title", NUMBER_TOO_LARGE) for number in ("1e400", "-1e400", "99999999999999999999999", "NaN", "Infinity")),
    (NESTED_DEEP, 400, "detail", "The JSON body is nested more than 32 levels deep."),
    ('{"title": ' + "[" * 40 + "]" * 40 + "}", 400, "detail", "The JSON body is nested more than 32 levels deep."),
    ('{"title": "Café sensoriel"}'.encode("utf-16"), 400, "detail", "Send the JSON body encoded as UTF-8."),
    ('{"title": "Café sensoriel"}'.encode("latin-1"), 400, "detail", "Send the JSON body encoded as UTF-8."),
    ("{title: nope", 400, "detail", "The body is not valid JSON."),
]


@pytest.mark.parametrize(("method", "url"), api_routes())
def test_every_json_endpoint_refuses_hostile_bodies_and_writes_nothing(world, client, admin, method, url):
    before = row_counts()
    for body, status, where, message in HOSTILE_BODIES:
        response = client.open(url, method=method, headers=admin, data=body, content_type="application/json")
        assert (response.status_code, response.mimetype) == (status, "application/problem+json"), (body[:40], response.get_data(as_text=True)[:300])
        shown = response.json["detail"] if where == "detail" else response.json["errors"]["json"][where][0]
        assert shown == message, body[:40]
    nested = client.open(url, method=method, headers=admin, json={"opening_hours": [{"weekday": 0, "opens": "\u0000", "closes": "10:00"}]})
    assert nested.json["errors"]["json"]["opening_hours"]["0"]["opens"] == [CONTROL_CHARACTER]
    upload = client.open(url, method=method, headers=admin, data={"file": (io.BytesIO(b"%PDF-1.4"), "invoice\u0000.pdf")})
    refused(upload, 422, CONTROL_CHARACTER, where="form", field="file")
    assert row_counts() == before, "nothing may be written"


@pytest.mark.parametrize(("method", "url"), page_routes())
def test_every_form_refuses_a_nul_character_and_writes_nothing(world, client, method, url):
    log_in(client, world.admin.email)
    token = csrf_token(client.get("/profile").get_data(as_text=True))
    before = row_counts()
    response = client.open(url, method=method, data={"csrf_token": token, "name": "Room\u0000", "reason": "x"})
    assert response.status_code == 400, response.get_data(as_text=True)[:500]
    assert "The form contains a character that cannot be saved" in response.get_data(as_text=True)
    response = client.open(url, method=method, data={"csrf_token": token, "file": (io.BytesIO(b"Periods\n1\n"), "export\u0000.csv")})
    assert response.status_code == 400, response.get_data(as_text=True)[:500]
    assert "The form contains a character that cannot be saved" in response.get_data(as_text=True)
    assert row_counts() == before, "nothing may be written"


class TestTheNamedFields:
    """The fields where a NUL character reached PostgreSQL (a server error there; SQLite stored it)."""

    @pytest.fixture
    def coordinator(self, world):
        secret = issue_api_token(world.coordinator, "hostile input")
        db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    def test_a_room_name(self, world, client, coordinator):
        response = client.post("/api/v1/tenants/jelgava/rooms", headers=coordinator, json={"library": "Central", "name": "Sensory\u0000room", "capacity": 8})
        refused(response, 422, CONTROL_CHARACTER, field="name")
        with tenant_scope(world.jelgava):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Room)) == 0

    def test_a_closure_reason(self, world, room, client, coordinator):
        response = client.post("/api/v1/tenants/jelgava/rooms/closures", headers=coordinator, json={"starts_on": "2030-01-01", "ends_on": "2030-01-01", "reason": "Holiday\u0000"})
        refused(response, 422, CONTROL_CHARACTER, field="reason")
        with tenant_scope(world.jelgava):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Closure)) == 0

    @pytest.mark.parametrize("field", ["title", "organiser_name", "organiser_contact"])
    def test_a_booking_title_and_organiser(self, world, room, client, coordinator, field):
        booking = {"room_id": room.id, "activity": "sensory_session", "title": "Session", "first_date": monday_in(2).isoformat(), "start_time": "10:00", "end_time": "11:00", "organiser_name": "Club", "organiser_contact": "+371 2000 0000"}
        response = client.post("/api/v1/tenants/jelgava/bookings", headers=coordinator, json={**booking, field: "x\u0000y"})
        refused(response, 422, CONTROL_CHARACTER, field=field)
        with tenant_scope(world.jelgava):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 0

    def test_an_expenditure_supplier(self, world, client, coordinator):
        item = {"project_id": world.project.id, "period_number": 1, "category": "equipment", "supplier": "SIA\u0000Sensorika", "invoice_date": "2024-09-10", "description": "Bubble tube", "invoice_total": "1210.00"}
        refused(client.post("/api/v1/tenants/jelgava/expenditure", headers=coordinator, json=item), 422, CONTROL_CHARACTER, field="supplier")
        with tenant_scope(world.jelgava):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Expenditure)) == 0

    def test_a_room_name_typed_on_the_page(self, world, client):
        log_in(client, world.coordinator.email)
        token = csrf_token(client.get("/t/jelgava/rooms/new").get_data(as_text=True))
        response = client.post("/t/jelgava/rooms/new", data={"csrf_token": token, "library": "Central", "name": "Sensory\u0000room", "capacity": "8"})
        assert response.status_code == 400 and "Remove it, then send the form again. Nothing was saved." in response.get_data(as_text=True)
        with tenant_scope(world.jelgava):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Room)) == 0

    def test_a_query_argument(self, world, client, coordinator):
        response = client.get("/api/v1/tenants/jelgava/bookings?status=%00", headers=coordinator)
        refused(response, 422, CONTROL_CHARACTER, where="query", field="status")

    def test_a_nul_character_in_the_path_is_not_found(self, world, client, coordinator):
        assert client.get("/api/v1/tenants/jel%00gava/rooms", headers=coordinator).status_code == 404

    def test_the_messages_are_translated(self, world, client, coordinator):
        headers = {**coordinator, "Accept-Language": "lv"}
        world.coordinator.locale = "lv"
        db.session.commit()
        response = client.post("/api/v1/tenants/jelgava/rooms", headers=headers, json={"library": "Central", "name": "\u0000", "capacity": 8})
        assert response.json["errors"]["json"]["name"] == ["Izņemiet no teksta neredzamo vadības rakstzīmi (piemēram, NUL rakstzīmi): to nevar saglabāt."]
        deep = client.post("/api/v1/tenants/jelgava/rooms", headers=headers, data="[" * 100_000, content_type="application/json")
        assert deep.json["detail"] == "JSON saturs ir ligzdots dziļāk par 32 līmeņiem."


def test_flask_get_json_refuses_a_body_too_deep_with_a_400(app):
    with app.test_request_context("/", method="POST", data="[" * 100_000 + "]" * 100_000, content_type="application/json"):
        from flask import request
        from werkzeug.exceptions import BadRequest

        with pytest.raises(BadRequest):
            request.get_json()


class TestHugeAmountsSentAsText:
    """Money travels as strings, which the core's number check does not read: each field refuses them itself
    (budget lines: tests/budgets/test_budget_api.py)."""

    @pytest.fixture
    def coordinator(self, world):
        secret = issue_api_token(world.coordinator, "hostile input")
        db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    @pytest.mark.parametrize("amount", ["1e400", "99999999999999999999999", "NaN", "-Infinity", "1E+20", "0.000000000000000000001"])
    def test_an_expenditure_amount(self, world, client, coordinator, amount):
        before = row_counts()
        item = {"project_id": world.project.id, "period_number": 1, "category": "equipment", "supplier": "SIA Sensorika", "invoice_date": "2024-09-10", "description": "Bubble tube", "invoice_total": amount}
        response = client.post("/api/v1/tenants/jelgava/expenditure", headers=coordinator, json=item)
        assert response.status_code == 422 and "invoice_total" in response.json["errors"]["json"], response.json
        assert row_counts() == before


@pytest.mark.parametrize("disposition", [b'form-data; filename="invoice.pdf"', b"form-data"], ids=["file", "value"])
def test_a_multipart_part_without_a_name_is_refused_not_a_server_error(world, client, disposition):
    """Werkzeug names such a part None; the fuzzer sent one to an attachments upload and got a 500."""
    secret = issue_api_token(world.coordinator, "nameless part")
    db.session.commit()
    body = b"--X\r\nContent-Disposition: " + disposition + b"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\r\n--X--\r\n"
    before = row_counts()
    response = client.post("/api/v1/tenants/jelgava/rooms", headers={"Authorization": f"Bearer {secret}"}, data=body, content_type="multipart/form-data; boundary=X")
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:500]
    assert row_counts() == before
