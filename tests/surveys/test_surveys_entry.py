"""Paper forms and assisted answers are typed in by staff, one response at a time; a value off the scale is
refused next to its statement and nothing is written. The paper form is a PDF carrying the run's code. The
API offers the bank (read-only), surveys, runs and typed-in responses; online answers come only through the
public page. Responses are deleted the retention period after their run closes."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from surveys_world import run_about, wellbeing_survey

from bibnet.accounts.services import issue_api_token
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.surveys import bank, privacy, services
from bibnet.tenants.surveys.models import Channel, SurveyResponse

from conftest import csrf_token, log_in


def a_run(world, room, **fields):
    with tenant_scope(world.jelgava):
        template = wellbeing_survey()
        run = run_about(room, template, **fields)
        found = run.id, [entry.item_id for entry in template.items]
        db.session.commit()
    return found


def stored(world) -> list[SurveyResponse]:
    with tenant_scope(world.jelgava):
        return db.session.scalars(sa.select(SurveyResponse).order_by(SurveyResponse.id)).all()


def test_staff_type_in_a_paper_form_and_the_page_comes_back_empty_for_the_next(world, room, client):
    run_id, items = a_run(world, room)
    log_in(client, "staff@jelgava.example")
    url = f"/t/jelgava/surveys/runs/{run_id}/enter/paper"
    page = client.get(url).get_data(as_text=True)
    day = (world.jelgava.today() - timedelta(days=2)).isoformat()
    sent = client.post(url, data={"csrf_token": csrf_token(page), "received_on": day, f"answers_{items[0]}": "5", f"answers_{items[1]}": "?", f"answers_{items[2]}": ""})
    assert sent.status_code == 302 and sent.headers["Location"].endswith(url)
    [response] = stored(world)
    assert (response.channel, response.received_on.isoformat()) == (Channel.PAPER, day)


def test_a_value_off_the_scale_is_refused_next_to_its_statement_and_nothing_is_written(world, room, client):
    run_id, items = a_run(world, room)
    log_in(client, "staff@jelgava.example")
    url = f"/t/jelgava/surveys/runs/{run_id}/enter/assisted"
    page = client.get(url).get_data(as_text=True)
    sent = client.post(url, data={"csrf_token": csrf_token(page), "received_on": world.jelgava.today().isoformat(), f"answers_{items[0]}": "7", f"answers_{items[1]}": "4"})
    assert sent.status_code == 422
    body = sent.get_data(as_text=True)
    assert f'id="answers_{items[0]}-error"' in body and "Choose an answer from 1" in body
    assert stored(world) == []


def test_a_form_dated_in_the_future_is_refused(world, room, in_jelgava):
    template = wellbeing_survey()
    run = run_about(room, template)
    with pytest.raises(services.Refused) as refusal:
        services.record_response(run, services.ResponseInput(answers={template.items[0].item_id: 3}, channel=Channel.PAPER, received_on=world.jelgava.today() + timedelta(days=1)))
    assert "received_on" in refusal.value.errors


def test_the_paper_form_is_a_pdf_in_the_chosen_form_and_language(world, room, client):
    run_id, _items = a_run(world, room)
    log_in(client, "staff@jelgava.example")
    response = client.get(f"/t/jelgava/surveys/runs/{run_id}/paper.pdf?form=large_print&lang=lt")
    if response.status_code == 503:
        pytest.skip("WeasyPrint is not installed")
    assert response.status_code == 200 and response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")


def test_the_run_page_shows_the_public_link_and_its_qr_code(world, room, client):
    run_id, _items = a_run(world, room)
    log_in(client, "coordinator@jelgava.example")
    page = client.get(f"/t/jelgava/surveys/runs/{run_id}/").get_data(as_text=True)
    with tenant_scope(world.jelgava):
        code = db.session.scalar(sa.select(services.SurveyRun.code).where(services.SurveyRun.id == run_id))
    assert f"/s/{code}" in page and 'src="data:image/svg+xml' in page


def test_the_lead_sees_the_runs_but_cannot_type_in(world, room, client):
    run_id, _items = a_run(world, room)
    log_in(client, "lead@pasvalys.example")
    assert client.get("/t/jelgava/surveys/").status_code == 200
    assert client.get(f"/t/jelgava/surveys/runs/{run_id}/enter/paper").status_code == 403


def _api(client, world):
    secret = issue_api_token(world.staff, "surveys")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_api_reads_the_bank_creates_a_survey_and_a_run_and_takes_typed_in_responses(world, room, client, app_context):
    headers = _api(client, world)
    base = "/api/v1/tenants/jelgava/surveys"
    bank_page = client.get(f"{base}/bank", headers=headers)
    assert bank_page.status_code == 200 and len(bank_page.json) == len(bank.BANK)
    ids = [item["id"] for item in bank_page.json if item["outcome"] == "wellbeing"]
    template = client.post(f"{base}/templates", headers=headers, json={"name": "Wellbeing", "item_ids": ids})
    assert template.status_code == 201, template.json
    run = client.post(f"{base}/runs", headers=headers, json={"template_id": template.json["id"], "title": "Autumn", "room_id": room.id})
    assert run.status_code == 201 and len(run.json["code"]) == 8
    entered = client.post(f"{base}/runs/{run.json['id']}/responses", headers=headers, json={"channel": "paper", "received_on": world.jelgava.today().isoformat(), "answers": {str(ids[0]): 4, str(ids[1]): None}})
    assert entered.status_code == 201 and entered.json["channel"] == "paper"
    off_scale = client.post(f"{base}/runs/{run.json['id']}/responses", headers=headers, json={"channel": "assisted", "received_on": world.jelgava.today().isoformat(), "answers": {str(ids[0]): 6}})
    assert off_scale.status_code == 422 and str(ids[0]) in off_scale.json["errors"]["json"]["answers"]
    online = client.post(f"{base}/runs/{run.json['id']}/responses", headers=headers, json={"channel": "online", "received_on": world.jelgava.today().isoformat(), "answers": {str(ids[0]): 4}})
    assert online.status_code == 422
    assert client.get(f"{base}/runs/{run.json['id']}", headers=headers).json["responses"] == {"online": 0, "paper": 1, "assisted": 0}
    assert len(stored(world)) == 1


def test_responses_are_deleted_the_retention_period_after_their_run_closes(world, room, in_jelgava, app):
    today = world.jelgava.today()
    template = wellbeing_survey()
    kept_days = app.config["SURVEY_RESPONSE_RETENTION_DAYS"]
    closed_long_ago = run_about(room, template, title="Old", opens_on=today - timedelta(days=kept_days + 30), closes_on=today - timedelta(days=kept_days + 1))
    closed_lately = run_about(room, template, title="Recent", opens_on=today - timedelta(days=kept_days + 30), closes_on=today - timedelta(days=kept_days - 1))
    item = template.items[0].item_id
    for run in (closed_long_ago, closed_lately):
        services.record_response(run, services.ResponseInput(answers={item: 4}, channel=Channel.PAPER, received_on=today - timedelta(days=kept_days + 20)))
    db.session.commit()
    assert privacy.erase_responses(utcnow()) == 1
    with tenant_scope(world.jelgava):
        assert db.session.scalars(sa.select(SurveyResponse.run_id)).all() == [closed_lately.id]


def test_the_retention_of_responses_is_declared(app_context):
    from bibnet import retention

    assert "surveys.responses" in {entry.name for entry in retention.entries()}
