"""The stock-take and label API: start, scan, finish and result as on the pages; refusals as problem+json."""
import io

from pypdf import PdfReader
import pytest
import sqlalchemy as sa
from stocktake_helpers import make_item

from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory.models import Item, Location

API = "/api/v1/tenants/jelgava/equipment"


@pytest.fixture
def staff(world):
    secret = issue_api_token(world.staff, "stock-take")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def room_id(world):
    with tenant_scope(world.jelgava):
        room = Location(name="Sensory room")
        db.session.add(room)
        db.session.flush()
        make_item("Bubble tube", location_id=room.id)
        make_item("Weighted blanket", location_id=room.id)
        db.session.commit()
        return room.id


def test_a_stocktake_through_the_api(world, client, staff, room_id):
    started = client.post(f"{API}/stocktakes", json={"location_id": room_id}, headers=staff)
    assert started.status_code == 201 and started.json["expected_count"] == 2
    scans = f"{API}/stocktakes/{started.json['id']}/scans"
    assert client.post(scans, json={"code": "BN-00001"}, headers=staff).json["outcome"] == "found"
    assert client.post(scans, json={"code": "bn-00001"}, headers=staff).json["outcome"] == "again"
    unknown = client.post(scans, json={"code": "BN-99999"}, headers=staff)
    assert unknown.status_code == 422 and "No item of this library" in unknown.json["errors"]["json"]["code"][0]
    finished = client.post(f"{API}/stocktakes/{started.json['id']}/finish", headers=staff)
    assert finished.status_code == 200 and finished.json["finished_at"]
    result = client.get(f"{API}/stocktakes/{started.json['id']}/result", headers=staff).json
    assert ([row["tag"] for row in result["found"]], [row["tag"] for row in result["missing"]], result["misplaced"]) == (["BN-00001"], ["BN-00002"], [])
    again = client.post(f"{API}/stocktakes/{started.json['id']}/finish", headers=staff)
    assert again.status_code == 409


def test_another_tenants_location_cannot_be_checked(world, client, staff):
    with tenant_scope(world.pasvalys):
        theirs = Location(name="Pasvalys room")
        db.session.add(theirs)
        db.session.commit()
    response = client.post(f"{API}/stocktakes", json={"location_id": theirs.id}, headers=staff)
    assert response.status_code == 422


def test_labels_for_chosen_items(world, client, staff, room_id):
    with tenant_scope(world.jelgava):
        first, second = db.session.scalars(sa.select(Item.id).order_by(Item.id)).all()
    response = client.get(f"{API}/labels.pdf?item={first}&item={second}&geometry=L7160&start=21", headers=staff)
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(response.get_data())).pages) == 2
    assert client.get(f"{API}/labels.pdf?item={first}&item={second + 1000}", headers=staff).status_code == 422
