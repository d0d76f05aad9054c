"""API of the usage figures: a tenant's rooms, and a project's partners for its lead, with small counts hidden."""
from openapi_spec_validator import validate

from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db

pytest_plugins = ["usage_sessions"]  # the fixtures used_room and partner_rooms


def bearer(user) -> dict:
    secret = issue_api_token(user, "usage figures")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_openapi_document_describes_both_endpoints(client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert {"/api/v1/tenants/{tenant_slug}/usage", "/api/v1/projects/{project_id}/usage"} <= set(document["paths"])
    count = document["components"]["schemas"]["SmallMeasures"]["properties"]["sessions_held"]
    assert {"type": "string", "enum": ["<5"]} in count["oneOf"]


def test_a_coordinator_gets_the_tenants_rooms_month_by_month(world, used_room, client):
    response = client.get("/api/v1/tenants/jelgava/usage?year=2025", headers=bearer(world.coordinator))
    assert response.status_code == 200
    (room,) = response.json["rooms"]
    march = room["months"][2]
    assert (room["name"], march["month"], march["first_day"], march["last_day"]) == ("=Sensory room", "2025-03", "2025-03-01", "2025-03-31")
    assert (march["sessions_held"], march["sessions_booked"], march["no_shows"]) == (3, 4, 1)
    assert (march["no_show_rate"], march["hours_booked"], march["open_hours"], march["utilisation"]) == ("25.0", "4.0", "209.0", "1.9")
    assert march["visitors"]["seniors"] == 6 and march["visitors"]["carers"] == 2
    assert room["months"][0]["no_show_rate"] is None
    assert response.json["total"]["sessions_held"] == 3 and response.json["year"] == 2025


def test_staff_and_other_tenants_get_nothing(world, client):
    assert client.get("/api/v1/tenants/jelgava/usage", headers=bearer(world.staff)).status_code == 403
    response = client.get("/api/v1/tenants/jelgava/usage", headers=bearer(world.other_coordinator))
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_a_year_out_of_range_is_a_422_with_the_field(world, client):
    response = client.get("/api/v1/tenants/jelgava/usage?year=1800", headers=bearer(world.coordinator))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json" and "year" in response.json["errors"]["query"]


def test_the_lead_gets_every_partner_with_counts_below_5_hidden(world, partner_rooms, client):
    response = client.get(f"/api/v1/projects/{world.project.id}/usage?year=2025", headers=bearer(world.lead))
    assert response.status_code == 200
    pasvalys, jelgava = response.json["partners"]
    assert (pasvalys["code"], pasvalys["tenant"], jelgava["code"]) == ("LP1", "Pasvalys District Municipality", "PP2")
    march = jelgava["months"][2]
    assert (march["sessions_held"], march["sessions_booked"], march["no_shows"], march["no_show_rate"]) == ("<5", "<5", "<5", None)
    assert march["visitors"]["seniors"] == 6 and march["visitors"]["carers"] == "<5" and march["visitors"]["visual"] == 0
    assert pasvalys["months"][2]["sessions_held"] == 6 and pasvalys["months"][2]["no_shows"] == 0
    assert response.json["project"] == "InclusiveLibraries"


def test_only_the_lead_and_admins_get_a_projects_figures(world, client):
    assert client.get(f"/api/v1/projects/{world.project.id}/usage", headers=bearer(world.admin)).status_code == 200
    for user in (world.coordinator, world.other_staff):
        response = client.get(f"/api/v1/projects/{world.project.id}/usage", headers=bearer(user))
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert client.get("/api/v1/projects/9999/usage", headers=bearer(world.admin)).status_code == 404
