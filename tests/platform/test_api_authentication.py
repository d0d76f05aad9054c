"""How an API request is authenticated: by its bearer token, or not at all.

A browser sends the session cookie to BibNet whatever page made the request; it never sends an Authorization
header by itself. So the API ignores the session cookie, and only a valid token lets a request skip the CSRF
check: a bearer header with a wrong token leaves it on.
"""
from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db

from conftest import log_in


def test_the_session_cookie_does_not_authenticate_an_api_request(world, client):
    log_in(client, "coordinator@jelgava.example")
    assert client.get("/t/jelgava/").status_code == 200

    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_a_wrong_bearer_token_does_not_switch_the_csrf_check_off_for_a_logged_in_browser(world, client):
    log_in(client, "coordinator@jelgava.example")

    response = client.post(
        "/t/jelgava/users/invite",
        data={"email": "someone@example.lv", "name": "Some One", "role": "staff"},
        headers={"Authorization": "Bearer not-a-token"},
    )

    assert response.status_code == 400  # the form has expired: no CSRF token
    assert "someone@example.lv" not in client.get("/t/jelgava/users/").get_data(as_text=True)


def test_a_wrong_bearer_token_with_a_session_cookie_is_refused_by_the_api(world, client):
    log_in(client, "coordinator@jelgava.example")

    response = client.post("/api/v1/tenants/jelgava/rooms", json={"name": "Taken over"}, headers={"Authorization": "Bearer bibnet_wrong"})

    assert response.status_code == 401


def test_a_valid_token_needs_no_csrf_token(world, client):
    secret = issue_api_token(world.coordinator, "script")
    db.session.commit()

    response = client.post(
        "/api/v1/tenants/jelgava/rooms",
        json={"library": "Central library", "name": "Sensory room", "capacity": 6},
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert response.status_code == 201, response.json
