"""Odd requests the API fuzzing found answering 500 (on PostgreSQL); each is a 4xx now."""
import pytest

from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db

from conftest import log_in


@pytest.fixture
def coordinator_token(world):
    token = issue_api_token(world.coordinator, "odd requests")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("slug", ["%00", "jel%00gava", "%C0%80", "%FF", "a" * 300, "%F0%9F%92%A9"])
def test_a_tenant_slug_that_no_tenant_can_have_is_not_found(client, coordinator_token, slug):
    response = client.get(f"/api/v1/tenants/{slug}/rooms", headers=coordinator_token)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_a_page_under_such_a_slug_is_not_found_either(world, client):
    log_in(client, "coordinator@jelgava.example")
    assert client.get("/t/%00/").status_code == 404
