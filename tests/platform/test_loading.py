"""What a URL names is loaded once, by the core, before the permission check: the tenant, then the project
(its lead or an admin under /projects/<id>/; under /t/<slug>/ only a project the tenant is partner of, and for
a visiting lead one they lead), then the feature's objects. Whoever may not see it gets 404, whatever the
request body holds."""
from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db


def bearer(user) -> dict:
    secret = issue_api_token(user, "loading")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_input_then_the_tenant_then_the_project_then_the_objects_then_the_permission(app):
    order = [f"{function.__module__}.{function.__name__}" for function in app.url_value_preprocessors[None]]
    assert order[:4] == [
        "bibnet.web.input_checks.check_request",  # what no feature can store is refused before anything is read
        "bibnet.tenancy.resolve._resolve",
        "bibnet.tenancy.projects._resolve",
        "bibnet.loading._load",
    ]
    assert "bibnet.access.enforce" in [f"{function.__module__}.{function.__name__}" for function in app.before_request_funcs[None]]


def test_a_project_s_pages_are_its_lead_s_and_the_admin_s(world, client):
    finance = f"/api/v1/projects/{world.project.id}/finance"
    assert client.get(finance, headers=bearer(world.lead)).status_code == 200
    assert client.get(finance, headers=bearer(world.admin)).status_code == 200
    for outsider in (world.coordinator, world.other_staff):
        assert client.put(finance, json={"fund_rate": "not a rate"}, headers=bearer(outsider)).status_code == 404  # never a 422
    assert client.get(f"/api/v1/projects/{world.project.id + 1000}/finance", headers=bearer(world.lead)).status_code == 404
    assert client.get(finance).status_code == 401


def test_a_partner_s_pages_name_only_projects_the_tenant_takes_part_in(world, make_project, make_user, client):
    other_lead = make_user("lead@elsewhere.example", "Other Lead")
    elsewhere = make_project([world.pasvalys], lead_user=other_lead, acronym="Elsewhere")
    both = make_project([world.pasvalys, world.jelgava], lead_user=other_lead, acronym="Both")
    budget = "/api/v1/tenants/{slug}/projects/{id}/budget"
    coordinator = bearer(world.coordinator)
    assert client.get(budget.format(slug="jelgava", id=world.project.id), headers=coordinator).status_code == 200
    assert client.get(budget.format(slug="jelgava", id=elsewhere.id), headers=coordinator).status_code == 404
    lead = bearer(world.lead)  # visits Jelgava as the lead of world.project, not of "Both"
    assert client.get(budget.format(slug="jelgava", id=world.project.id), headers=lead).status_code == 200
    assert client.get(budget.format(slug="jelgava", id=both.id), headers=lead).status_code == 404
