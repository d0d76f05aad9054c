"""The lending API: borrowers, lending, renewing, returning, the check and reservations, with refusals as
problem+json; and 30 simultaneous requests to lend one item through a real threaded server leave exactly one
open loan, the others being refused with a 409 (never a 500)."""
from datetime import timedelta
import http.client
import json
import threading

from lending_world import make_borrower, make_item, make_kit
import pytest
import sqlalchemy as sa
from werkzeug.serving import WSGIRequestHandler, make_server

from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory.models import Item, ItemStatus
from bibnet.tenants.lending import services
from bibnet.tenants.lending.models import Loan

API = "/api/v1/tenants/jelgava"
REQUESTS = 30


@pytest.fixture
def bearer(world):
    secret = issue_api_token(world.staff, "lending")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def stock(world):
    with tenant_scope(world.jelgava):
        kit, borrower = make_kit(), make_borrower()
        db.session.commit()
        return {"kit": kit.id, "parts": [part.id for part in kit.parts], "borrower": borrower.id, "today": services.today()}


def _lend_body(stock, **fields):
    return {"item_id": stock["kit"], "borrower_id": stock["borrower"], "due_on": (stock["today"] + timedelta(days=14)).isoformat(),
            "target_group": "visual", "acceptance_signed_on": stock["today"].isoformat(), **fields}


def test_a_kit_is_lent_renewed_returned_and_checked_through_the_api(client, bearer, stock):
    lent = client.post(f"{API}/loans", json=_lend_body(stock), headers=bearer)
    assert lent.status_code == 201, lent.get_json()
    loan_id = lent.get_json()["id"]
    assert client.post(f"{API}/loans", json=_lend_body(stock), headers=bearer).status_code == 409
    renewed = client.post(f"{API}/loans/{loan_id}/renew", json={"due_on": (stock["today"] + timedelta(days=28)).isoformat()}, headers=bearer)
    assert renewed.status_code == 200 and renewed.get_json()["renewals"] == 1
    assert client.post(f"{API}/loans/{loan_id}/return", json={}, headers=bearer).status_code == 200
    checked = client.post(f"{API}/loans/{loan_id}/check", json={"present_part_ids": stock["parts"][1:]}, headers=bearer)
    assert checked.status_code == 200 and "DAISY player" in checked.get_json()["missing_parts"]
    overdue = client.get(f"{API}/loans?overdue=true", headers=bearer).get_json()
    assert overdue["total"] == 0


def test_a_refused_loan_is_a_problem_with_field_errors(client, bearer, stock):
    response = client.post(f"{API}/loans", json=_lend_body(stock, due_on=(stock["today"] - timedelta(days=1)).isoformat(), acceptance_signed_on=None), headers=bearer)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert {"due_on", "acceptance_signed_on"} <= set(response.get_json()["errors"]["json"])


def test_borrowers_and_reservations_through_the_api(client, bearer, stock):
    created = client.post(f"{API}/borrowers", json={"name": "Care home", "kind": "institution", "phone": "+371 6300 0000", "contact_person": "Inga", "consent_on": stock["today"].isoformat()}, headers=bearer)
    assert created.status_code == 201
    assert client.get(f"{API}/borrowers?q=care", headers=bearer).get_json()["total"] == 1
    first = (stock["today"] + timedelta(days=30)).isoformat()
    reserved = client.post(f"{API}/reservations", json={"item_id": stock["kit"], "starts_on": first, "ends_on": first, "purpose": "Club"}, headers=bearer)
    assert reserved.status_code == 201
    assert client.post(f"{API}/reservations", json={"item_id": stock["kit"], "starts_on": first, "ends_on": first, "borrower_id": created.get_json()["id"]}, headers=bearer).status_code == 409
    assert client.post(f"{API}/reservations/{reserved.get_json()['id']}/cancel", headers=bearer).get_json()["active"] is False


class _QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        pass


@pytest.fixture
def server(app):
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=httpd.serve_forever, name="bibnet-lending-burst", daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    thread.join(timeout=10)
    httpd.server_close()


def test_thirty_simultaneous_loans_of_one_item_leave_exactly_one_open_loan(world, bearer, server, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the database's guarantee under concurrency is PostgreSQL's (SQLite serialises every writer)")
    with tenant_scope(world.jelgava):
        item = make_item("DAISY player")
        borrowers = [make_borrower(f"Borrower {number}").id for number in range(REQUESTS)]
        today = services.today()
        item_id = item.id
        db.session.commit()
    barrier = threading.Barrier(REQUESTS + 1)
    statuses: list = [None] * REQUESTS

    def ask(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server, timeout=60)
        connection.connect()
        body = {"item_id": item_id, "borrower_id": borrowers[number], "due_on": (today + timedelta(days=14)).isoformat(), "target_group": "seniors", "acceptance_signed_on": today.isoformat()}
        barrier.wait()
        try:
            connection.request("POST", f"{API}/loans", body=json.dumps(body), headers={**bearer, "Content-Type": "application/json"})
            response = connection.getresponse()
            statuses[number] = (response.status, json.loads(response.read() or b"null"))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(number,)) for number in range(REQUESTS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(status for status, _ in statuses) == [201] + [409] * (REQUESTS - 1), [payload for status, payload in statuses if status not in (201, 409)]
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Loan).where(Loan.item_id == item_id, Loan.returned_on.is_(None))) == 1
        assert db.session.scalar(sa.select(Item.status).where(Item.id == item_id)) is ItemStatus.ON_LOAN
    db.session.commit()
