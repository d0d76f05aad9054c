"""The public page a label's QR code opens: what the item is, how to use it, whom to call — nothing personal,
nothing of loans, nothing of another library; unknown tokens are a 404; rate-limited like /verify."""
from inventory_items import make_item

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory.label_printing.models import PublicContact
from bibnet.tenants.inventory.models import ItemStatus

from conftest import log_in, post_form


def jelgava_bubble_tube(world, **fields) -> str:
    with tenant_scope(world.jelgava):
        item = make_item("Bubble tube", public_note="Switch it on with the remote on the wall.", notes="Bought after the staff meeting", serial="SN-SECRET-1", **fields)
        db.session.add(PublicContact(phone="+371 630 00000", email="desk@jelgava.example", hours="Mon–Fri 9–17"))
        db.session.commit()
        return item.public_token


def test_anyone_sees_what_it_is_how_to_use_it_and_whom_to_call(world, client):
    token = jelgava_bubble_tube(world, status=ItemStatus.ON_LOAN)
    response = client.get(f"/i/{token}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bubble tube" in body and "Sensory-room equipment" not in body and "Reading aids" in body
    assert "Switch it on with the remote on the wall." in body
    assert "Jelgava Municipality" in body and "+371 630 00000" in body and "desk@jelgava.example" in body
    for private in ("SN-SECRET-1", "Bought after the staff meeting", "on loan", "On loan", "BN-00001", "289"):
        assert private not in body
    assert "Co-funded by the European Union</strong> –" not in body


def test_the_page_speaks_the_visitors_language(world, client):
    token = jelgava_bubble_tube(world)
    body = client.get(f"/i/{token}", headers={"Accept-Language": "lv"}).get_data(as_text=True)
    assert '<html lang="lv"' in body


def test_an_unknown_token_is_a_404(world, client):
    jelgava_bubble_tube(world)
    assert client.get("/i/no-such-token-here").status_code == 404
    assert client.get("/i/" + "x" * 200).status_code == 404


def test_the_page_is_rate_limited_like_verify_and_says_to_wait(world, client):
    token = jelgava_bubble_tube(world)
    statuses = [client.get(f"/i/{token}").status_code for _ in range(30)]
    refused = client.get(f"/i/{token}")
    assert statuses == [200] * 30 and refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Wait a minute, then try again." in page and "password" not in page  # the log-in's hint is the log-in's


def test_coordinators_set_the_contact(world, client):
    log_in(client, "coordinator@jelgava.example")
    response = post_form(client, "/t/jelgava/equipment/labels/contact", {"phone": "+371 600 11111", "email": "desk@jelgava.example", "hours": ""})
    assert response.status_code == 302
    refused = post_form(client, "/t/jelgava/equipment/labels/contact", {"phone": "+371 600 11111", "email": "not an address", "hours": ""})
    assert refused.status_code == 422


def test_staff_cannot_change_the_contact(world, client):
    log_in(client, "staff@jelgava.example")
    assert client.get("/t/jelgava/equipment/labels/contact").status_code in (403, 404)
