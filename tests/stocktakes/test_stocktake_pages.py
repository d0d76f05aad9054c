"""The stock-take pages: start one, confirm items by typing their tags (what the camera fills in), finish, read
the printable result; bad scans get a clear message and change nothing."""
import io

import sqlalchemy as sa
from stocktake_helpers import make_item, tiny_png

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory.models import Item, Location
from bibnet.tenants.inventory.stocktakes.models import StockTake, StockTakeEntry

from conftest import csrf_token, log_in, post_form

STOCKTAKES = "/t/jelgava/equipment/stocktakes"


def sensory_room_with_items(world):
    with tenant_scope(world.jelgava):
        room, store = Location(name="Sensory room"), Location(name="Store")
        db.session.add_all([room, store])
        db.session.flush()
        make_item("Bubble tube", location_id=room.id)
        make_item("Weighted blanket", location_id=room.id)
        make_item("Projector", location_id=store.id)
        db.session.commit()
        return room.id


def started(client, world) -> str:
    room_id = sensory_room_with_items(world)
    log_in(client, "staff@jelgava.example")
    response = post_form(client, f"{STOCKTAKES}/", {"location_id": str(room_id)})
    assert response.status_code == 302
    return response.headers["Location"]


def scan(client, page: str, code: str, **files):
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(f"{page}scan", data={"code": code, "csrf_token": token, **files}, follow_redirects=True)


def test_staff_start_a_stocktake_scan_and_finish_it(world, client):
    page = started(client, world)
    assert "Found so far: 0 of 2 expected items." in client.get(page).get_data(as_text=True)
    assert "Found: BN-00001 Bubble tube." in scan(client, page, "bn-00001").get_data(as_text=True)
    assert "registered at another location" in scan(client, page, "BN-00003").get_data(as_text=True)
    response = client.post(f"{page}finish", data={"csrf_token": csrf_token(client.get(page).get_data(as_text=True))}, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "1 item expected and not found" in body and "Weighted blanket" in body
    assert "1 item found here but registered elsewhere" in body
    with tenant_scope(world.jelgava):
        stamped = dict(db.session.execute(sa.select(Item.name, Item.last_stocktake_on)).all())
    assert stamped["Bubble tube"] is not None and stamped["Projector"] is not None and stamped["Weighted blanket"] is None


def test_an_unknown_tag_gets_a_message_next_to_the_field_and_nothing_changes(world, client):
    page = started(client, world)
    token = csrf_token(client.get(page).get_data(as_text=True))
    response = client.post(f"{page}scan", data={"code": "BN-77777", "csrf_token": token})
    assert response.status_code == 422
    assert "No item of this library has this tag or label" in response.get_data(as_text=True)
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StockTakeEntry).where(StockTakeEntry.found_at.is_not(None))) == 0


def test_a_scan_may_carry_a_photo(world, client):
    page = started(client, world)
    response = scan(client, page, "BN-00002", photo=(io.BytesIO(tiny_png()), "blanket.png"))
    assert response.status_code == 200
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(StockTakeEntry.photo_id).where(StockTakeEntry.found_at.is_not(None))) is not None


def test_the_scan_page_may_use_the_camera_and_works_without_javascript(world, client):
    page = started(client, world)
    response = client.get(page)
    assert "camera=(self)" in response.headers["Permissions-Policy"]
    body = response.get_data(as_text=True)
    assert 'name="code"' in body and "scan.js" in body
    assert "camera=()" in client.get(STOCKTAKES + "/").headers["Permissions-Policy"]


def test_the_list_is_paginated(world, client):
    room_id = sensory_room_with_items(world)
    with tenant_scope(world.jelgava):
        db.session.add_all([StockTake(location_id=room_id) for _ in range(25)])
        db.session.commit()
    log_in(client, "staff@jelgava.example")
    body = client.get(f"{STOCKTAKES}/").get_data(as_text=True)
    assert "25 stock-takes" in body and "Page 1 of 2" in body
