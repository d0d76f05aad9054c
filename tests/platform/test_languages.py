"""Language choice: the user's choice → the tenant's default → Accept-Language → English; Babel formats."""
from datetime import date
from decimal import Decimal
import re

from flask_babel import force_locale

from bibnet.accounts.models import User
from bibnet.extensions import db
from bibnet.web.i18n import money

from conftest import log_in


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_without_a_choice_the_browser_language_is_used_and_english_last(client):
    assert html_lang(client.get("/login", headers={"Accept-Language": "lt,en;q=0.5"})) == "lt"
    assert html_lang(client.get("/login", headers={"Accept-Language": "de"})) == "en"


def test_the_tenants_language_comes_before_the_browsers(world, client):
    db.session.get(User, world.staff.id).locale = None
    db.session.commit()
    log_in(client, "staff@jelgava.example")
    assert html_lang(client.get("/t/jelgava/", headers={"Accept-Language": "en"})) == "lv"


def test_without_a_choice_the_language_stays_the_same_on_the_dashboard_and_the_tenant_pages(world, client):
    db.session.get(User, world.staff.id).locale = None
    db.session.commit()
    log_in(client, "staff@jelgava.example")
    browser = {"Accept-Language": "en"}
    assert [html_lang(client.get(path, headers=browser)) for path in ("/", "/t/jelgava/", "/profile", "/")] == ["lv"] * 4


def test_the_users_own_choice_comes_first(world, client):
    db.session.get(User, world.staff.id).locale = "lt"
    db.session.commit()
    log_in(client, "staff@jelgava.example")
    assert html_lang(client.get("/t/jelgava/", headers={"Accept-Language": "en"})) == "lt"


def test_the_language_switcher_works_before_log_in_and_is_remembered_after(world, client):
    from conftest import post_form

    post_form(client, "/language", {"locale": "lv", "next": "/login"}, page="/login")
    assert html_lang(client.get("/login")) == "lv"
    log_in(client, "coordinator@jelgava.example")
    post_form(client, "/language", {"locale": "lt", "next": "/"}, page="/")
    assert db.session.get(User, world.coordinator.id).locale == "lt"


def test_a_page_that_names_its_language_in_its_address_comes_back_in_the_language_chosen(client):
    from conftest import post_form

    response = post_form(client, "/language", {"locale": "lt", "next": "/s/ABCD2345?form=standard&lang=lv&faces=1"}, page="/login")
    assert response.headers["Location"] == "/s/ABCD2345?form=standard&lang=lt&faces=1"
    response = post_form(client, "/language", {"locale": "lv", "next": "/login?next=%2Ft%2Fjelgava%2F"}, page="/login")
    assert response.headers["Location"] == "/login?next=%2Ft%2Fjelgava%2F"


def test_money_and_dates_are_formatted_per_locale(app):
    with app.test_request_context():
        with force_locale("lv"):
            assert money(Decimal("124562.30")) == "124\xa0562,30\xa0€"
        with force_locale("lt"):
            assert money(Decimal("124562.30")) == "124\xa0562,30\xa0€"
        with force_locale("en"):
            assert money(Decimal("124562.30")) == "€124,562.30"
        with force_locale("lv"):
            from flask_babel import format_date

            assert format_date(date(2026, 5, 31)) == "2026. gada 31. maijs" or "2026" in format_date(date(2026, 5, 31))


def test_error_pages_speak_the_users_language(client):
    response = client.get("/nope", headers={"Accept-Language": "lv"})
    assert response.status_code == 404
    assert html_lang(response) == "lv"
