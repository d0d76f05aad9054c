"""Each user chooses on their profile page how they hear of work waiting for them: a mail each time (the default)
or one daily digest. Bad input is refused with a translated message and changes nothing."""
import re

import pytest

from bibnet.accounts.models import NotificationDelivery
from bibnet.extensions import db

from conftest import log_in, post_form

URL = "/profile/notifications"


def chosen(html: str) -> str:
    return re.search(r'<input checked[^>]*name="delivery"[^>]*value="([^"]+)"', html).group(1)


def test_a_new_user_gets_a_mail_each_time(world, client):
    assert world.staff.notification_delivery is NotificationDelivery.IMMEDIATE
    log_in(client, "staff@jelgava.example")
    html = client.get("/profile").get_data(as_text=True)
    assert chosen(html) == "immediate"
    assert "One mail a day gathering everything (daily digest)" in html


def test_the_user_chooses_the_daily_digest_and_back(world, client):
    log_in(client, "staff@jelgava.example")
    response = post_form(client, URL, {"delivery": "daily_digest"}, page="/profile")
    assert response.status_code == 302
    db.session.refresh(world.staff)
    assert world.staff.notification_delivery is NotificationDelivery.DAILY_DIGEST
    assert chosen(client.get("/profile").get_data(as_text=True)) == "daily_digest"
    post_form(client, URL, {"delivery": "immediate"}, page="/profile")
    db.session.refresh(world.staff)
    assert world.staff.notification_delivery is NotificationDelivery.IMMEDIATE


@pytest.mark.parametrize("sent", [{"delivery": "weekly"}, {"delivery": ""}, {}, {"delivery": "IMMEDIATE"}], ids=["unknown", "empty", "missing", "name-not-value"])
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world, client, sent):
    log_in(client, "staff@jelgava.example")
    post_form(client, URL, {"delivery": "daily_digest"}, page="/profile")
    response = post_form(client, URL, sent, page="/profile")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose how you want to be told." in html
    assert "<title>Error:" in html
    db.session.refresh(world.staff)
    assert world.staff.notification_delivery is NotificationDelivery.DAILY_DIGEST


def test_the_message_is_translated(world, client):
    world.staff.locale = "lv"
    db.session.commit()
    log_in(client, "staff@jelgava.example")
    html = post_form(client, URL, {"delivery": "weekly"}, page="/profile").get_data(as_text=True)
    assert "Choose how you want to be told." not in html
