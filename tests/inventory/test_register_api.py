"""The register's API: members read items, locations and categories; coordinators add and change them, with
the pages' rules (money as exact decimal strings, refusals that change nothing)."""
from inventory_items import make_item, shared_category
import pytest
import sqlalchemy as sa

from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory.models import Item, ItemStatus, Location

API = "/api/v1/tenants/jelgava/equipment"


def bearer(user) -> dict:
    secret = issue_api_token(user, "equipment")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def coordinator(world):
    return bearer(world.coordinator)


@pytest.fixture
def category_id(world):
    with tenant_scope(world.jelgava):
        category = shared_category()
        db.session.commit()
        return category.id


def test_an_item_is_created_read_and_changed(client, coordinator, category_id):
    created = client.post(f"{API}/items", json={"name": "Projector", "category_id": category_id, "cost": "649.00", "purchase_date": "2026-03-31"}, headers=coordinator)
    assert created.status_code == 201, created.json
    assert (created.json["tag"], created.json["cost"], created.json["status"]) == ("BN-00001", "649.00", "available")
    item_id = created.json["id"]
    changed = client.put(f"{API}/items/{item_id}", json={"name": "Projector EB-W49", "category_id": category_id, "cost": "600.50"}, headers=coordinator)
    assert changed.status_code == 200 and changed.json["cost"] == "600.50"
    assert client.get(f"{API}/items?q=w49", headers=coordinator).json["total"] == 1
    moved = client.post(f"{API}/items/{item_id}/status", json={"status": "maintenance"}, headers=coordinator)
    assert moved.json["status"] == "maintenance"


@pytest.mark.parametrize("body", [{"cost": "1.005"}, {"cost": "-1.00"}, {"category_id": 999999}, {"kind": "quantity", "quantity": -1}])
def test_a_bad_item_is_refused_and_nothing_is_written(client, coordinator, category_id, world, body):
    response = client.post(f"{API}/items", json={"name": "Projector", "category_id": category_id, **body}, headers=coordinator)
    assert response.status_code == 422
    with tenant_scope(world.jelgava):
        assert db.session.scalars(sa.select(Item)).all() == []


def test_on_loan_is_no_status_set_by_hand(client, coordinator, world):
    with tenant_scope(world.jelgava):
        item_id = make_item().id
        db.session.commit()
    assert client.post(f"{API}/items/{item_id}/status", json={"status": "on_loan"}, headers=coordinator).status_code == 422
    with tenant_scope(world.jelgava):
        assert db.session.get(Item, item_id).status is ItemStatus.AVAILABLE


def test_a_location_cannot_move_below_itself(client, coordinator, world):
    branch = client.post(f"{API}/locations", json={"name": "Library", "kind": "branch"}, headers=coordinator).json
    cupboard = client.post(f"{API}/locations", json={"name": "Cupboard", "parent_id": branch["id"]}, headers=coordinator).json
    refused = client.put(f"{API}/locations/{branch['id']}", json={"name": "Library", "parent_id": cupboard["id"]}, headers=coordinator)
    assert refused.status_code == 422
    with tenant_scope(world.jelgava):
        assert db.session.get(Location, branch["id"]).parent_id is None


def test_categories_list_the_shared_ones_and_take_the_tenants_own(client, coordinator):
    created = client.post(f"{API}/categories", json={"name": "Tablets", "attribute_fields": [{"key": "screen", "label": "Screen", "kind": "number"}]}, headers=coordinator)
    assert created.status_code == 201
    listed = client.get(f"{API}/categories?per_page=100", headers=coordinator).json
    assert {"Tablets", "Sensory-room equipment"} <= {category["label"] for category in listed["items"]}


def test_staff_read_but_do_not_write(client, world, category_id):
    staff = bearer(world.staff)
    assert client.get(f"{API}/items", headers=staff).status_code == 200
    assert client.post(f"{API}/items", json={"name": "Projector", "category_id": category_id}, headers=staff).status_code == 403
