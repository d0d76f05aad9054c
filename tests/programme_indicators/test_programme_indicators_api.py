"""API of a project's programme indicators, for its lead: the indicators with a period's values, the whole set
replaced by code, the typed values of a period; refusals are 422 problem+json with the field's path and nothing
written; anyone else gets 404."""
from decimal import Decimal

from indicator_data import JOINT
from openapi_spec_validator import validate
import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.tenants.funding_reports.programme_indicators.models import IndicatorValue, ProgrammeIndicator

pytest_plugins = ["indicator_fixtures"]


def bearer(email: str) -> dict:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    secret = issue_api_token(user, "indicators")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def messages_at(problem: dict, path: str) -> list:
    """The field errors of a problem+json body at a request body path ("indicators.0.target")."""
    found = problem["errors"]["json"]
    for part in path.split("."):
        found = found[part]
    return found


def api(project, rest: str = "") -> str:
    return f"/api/v1/projects/{project.id}/indicators{rest}"


def test_the_openapi_document_describes_the_indicator_operations(client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert {"get", "put"} <= set(document["paths"]["/api/v1/projects/{project_id}/indicators"])
    assert {"get", "put"} <= set(document["paths"]["/api/v1/projects/{project_id}/indicators/periods/{indicator_period}"])


def test_the_lead_reads_a_periods_values_as_decimal_strings(world, periods, counts, indicators, client):
    counts.values = {(world.pasvalys.id, periods[1].starts_on): (10, 0), (world.jelgava.id, periods[2].starts_on): (4, 0)}
    response = client.get(api(world.project, "/periods/2"), headers=bearer("lead@pasvalys.example"))
    assert response.status_code == 200
    rco81 = response.json["indicators"][0]
    assert (response.json["period"], rco81["code"], rco81["target"], rco81["previously_reported"], rco81["this_report"], rco81["cumulative"]) == (2, "RCO81", "300.00", "10.00", "4.00", "14.00")
    assert rco81["percent_of_target"] == "4.67" and rco81["figure_keys"] == [JOINT]


def test_the_lead_replaces_the_set_and_types_a_value(world, periods, counts, indicators, client):
    headers = bearer("lead@pasvalys.example")
    body = {"indicators": [
        {"code": "RCO81", "name": "Participations in joint actions across borders", "unit": "participations", "target": "320", "measurement": "fed", "figure_keys": [JOINT]},
        {"code": "RCO115", "name": "Public events across borders jointly organised", "unit": "events", "target": 3, "measurement": "manual"},
    ]}
    response = client.put(api(world.project), json=body, headers=headers)
    assert response.status_code == 200, response.json
    assert [(item["code"], item["target"]) for item in response.json["indicators"]] == [("RCO81", "320.00"), ("RCO115", "3.00")]
    response = client.put(api(world.project, "/periods/3"), json={"values": {"RCO115": "1"}}, headers=headers)
    assert response.status_code == 200
    assert response.json["indicators"][1]["this_report"] == "1.00"


def test_bad_input_is_a_422_naming_the_field_and_nothing_is_written(world, periods, counts, indicators, client):
    headers = bearer("lead@pasvalys.example")
    cases = [
        ({"indicators": [{"code": "RCO81", "name": "x", "unit": "u", "target": "-5", "measurement": "manual"}]}, "indicators.0.target"),
        ({"indicators": [{"code": "X", "name": "x", "unit": "u", "target": "many", "measurement": "manual"}]}, "indicators.0.target"),
        ({"indicators": [{"code": "RCO81", "name": "x", "unit": "u", "target": "5", "measurement": "fed", "figure_keys": ["no.such"]}]}, "indicators.0.figure_keys"),
        ({"indicators": [{"code": "A1", "name": "x", "unit": "u", "target": "5", "measurement": "manual"}, {"code": "a1", "name": "y", "unit": "u", "target": "5", "measurement": "manual"}]}, "indicators.1.code"),
    ]
    for body, field in cases:
        response = client.put(api(world.project), json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.content_type.startswith("application/problem+json")
        assert messages_at(response.json, field), (field, response.json)
    response = client.put(api(world.project, "/periods/1"), json={"values": {"CONF1": "-1"}}, headers=headers)
    assert response.status_code == 422 and messages_at(response.json, "values.CONF1")
    db.session.expire_all()
    assert [indicator.target for indicator in db.session.scalars(sa.select(ProgrammeIndicator).order_by(ProgrammeIndicator.id))] == [Decimal(300), Decimal(3)]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue)) == 0


def test_anyone_but_the_lead_gets_404(world, periods, counts, indicators, client):
    for email in ("coordinator@pasvalys.example", "coordinator@jelgava.example", "staff@jelgava.example"):
        headers = bearer(email)
        assert client.get(api(world.project), headers=headers).status_code == 404
        assert client.put(api(world.project), json={"indicators": []}, headers=headers).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeIndicator).where(ProgrammeIndicator.deleted_at.is_(None))) == 2
