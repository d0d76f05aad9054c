"""Ids and page numbers no database can hold: every route answers as for a row that does not exist.

Every id in a URL goes through the core's `int` converter (bibnet.web.urls), bounded to what an INTEGER column
holds, so no feature can forget it; page numbers are bounded by the core's pagination.
"""
import re

from hypothesis import given
from hypothesis import strategies as st
import pytest

from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.web.urls import IdConverter, digits_up_to

from conftest import csrf_token, log_in

HUGE_IDS = (2**31, 2**63, 2**70)
SKIPPED_METHODS = {"HEAD", "OPTIONS"}


def _has_id_converter(rule) -> bool:
    return any(isinstance(converter, IdConverter) for converter in rule._converters.values())


def url_with(app, rule, number: int) -> str:
    values = {name: ("jelgava" if name == "tenant_slug" else number) for name in rule.arguments}
    path = rule.rule
    for name, value in values.items():
        path = path.replace(f"<{name}>", str(value))
        for converter in ("int", "string", "path"):
            path = path.replace(f"<{converter}:{name}>", str(value))
    return path


@pytest.mark.parametrize("number", HUGE_IDS)
def test_an_id_too_large_for_the_database_names_nothing_on_any_route(world, client, app, number):
    secret = issue_api_token(world.admin, "odd urls")
    db.session.commit()
    log_in(client, "admin@bibnet.example")
    token = csrf_token(client.get("/profile").get_data(as_text=True))
    rules = [rule for rule in app.url_map.iter_rules() if _has_id_converter(rule)]
    assert len(rules) > 30, "the routes with ids were not found"
    answers = {}
    for rule in rules:
        url = url_with(app, rule, number)
        for method in sorted(rule.methods - SKIPPED_METHODS):
            if url.startswith("/api/"):
                response = client.open(url, method=method, headers={"Authorization": f"Bearer {secret}"}, json=None if method == "GET" else {})
            else:
                response = client.open(url, method=method, data=None if method == "GET" else {"csrf_token": token})
            answers[f"{method} {url}"] = response.status_code
    assert {request: status for request, status in answers.items() if status != 404} == {}


def lists(app):
    """Every GET route without ids: the lists and pages that take ?page=."""
    return [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and set(rule.arguments) <= {"tenant_slug"} and not rule.rule.startswith(("/static", "/bootstrap"))]


def test_a_page_number_beyond_any_offset_is_never_a_server_error(world, client, app):
    secret = issue_api_token(world.coordinator, "pages")
    db.session.commit()
    log_in(client, "coordinator@jelgava.example")
    answers = {}
    for rule in lists(app):
        url = rule.rule.replace("<tenant_slug>", "jelgava") + "?page=9223372036854775807&per_page=100"
        headers = {"Authorization": f"Bearer {secret}"} if url.startswith("/api/") else {}
        answers[url] = client.get(url, headers=headers).status_code
    assert {url: status for url, status in answers.items() if status >= 500} == {}
    assert answers["/api/v1/tenants/jelgava/rooms?page=9223372036854775807&per_page=100"] == 422
    assert answers["/t/jelgava/rooms/?page=9223372036854775807&per_page=100"] == 200


def test_the_api_names_the_largest_page_it_accepts(world, client):
    secret = issue_api_token(world.coordinator, "pages")
    db.session.commit()
    response = client.get("/api/v1/tenants/jelgava/rooms?page=9223372036854775807", headers={"Authorization": f"Bearer {secret}"})
    assert response.json["errors"]["query"]["page"] == ["Enter a page number from 1 to 1000000."]


@given(largest=st.integers(min_value=0, max_value=2**40), number=st.integers(min_value=0, max_value=2**41))
def test_the_id_pattern_matches_exactly_the_numbers_up_to_the_largest(largest, number):
    pattern = re.compile(digits_up_to(largest) + r"\Z")
    assert bool(pattern.match(str(number))) == (number <= largest)
    assert not pattern.match("0" + str(number))  # no leading zeros: an id has one spelling
