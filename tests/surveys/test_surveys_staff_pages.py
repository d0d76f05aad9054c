"""The staff pages: a survey is made by giving bank statements positions, a run by choosing its survey and one
subject; a refusal shows the form again with its messages and writes nothing."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from surveys_world import bank_ids, wellbeing_survey

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.surveys.models import SurveyRun, SurveyTemplate

from conftest import csrf_token, log_in


def test_a_survey_is_made_by_giving_statements_positions(world, client, app_context):
    log_in(client, "coordinator@jelgava.example")
    page = client.get("/t/jelgava/surveys/templates/new").get_data(as_text=True)
    with tenant_scope(world.jelgava):
        calm, learned, safe = bank_ids("wellbeing.calm", "knowledge.learned", "wellbeing.safe")
    sent = client.post("/t/jelgava/surveys/templates/new", data={"csrf_token": csrf_token(page), "name": "Club", f"position_{calm}": "2", f"position_{learned}": "1", f"position_{safe}": ""})
    assert sent.status_code == 302
    with tenant_scope(world.jelgava):
        template = db.session.scalar(sa.select(SurveyTemplate).options(selectinload(SurveyTemplate.items)))
        assert (template.name, [entry.item_id for entry in template.items]) == ("Club", [learned, calm])


def test_a_survey_without_statements_is_shown_again_with_the_reason(world, client, app_context):
    log_in(client, "coordinator@jelgava.example")
    page = client.get("/t/jelgava/surveys/templates/new").get_data(as_text=True)
    sent = client.post("/t/jelgava/surveys/templates/new", data={"csrf_token": csrf_token(page), "name": "Empty"})
    assert sent.status_code == 422 and "Choose at least one statement from the bank." in sent.get_data(as_text=True)
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyTemplate)) == 0


def test_a_run_is_made_about_one_room_and_refused_without_a_subject(world, room, client, app_context):
    with tenant_scope(world.jelgava):
        template_id = wellbeing_survey().id
        db.session.commit()
    log_in(client, "staff@jelgava.example")
    page = client.get("/t/jelgava/surveys/runs/new").get_data(as_text=True)
    base = {"csrf_token": csrf_token(page), "title": "Autumn", "template_id": str(template_id), "timing": "immediate", "phase": "single"}
    refused = client.post("/t/jelgava/surveys/runs/new", data=base)
    assert refused.status_code == 422 and "Choose one subject" in refused.get_data(as_text=True)
    made = client.post("/t/jelgava/surveys/runs/new", data={**base, "subject": "room", "room_id": str(room.id), "matched": "y"})
    assert made.status_code == 302
    with tenant_scope(world.jelgava):
        run = db.session.scalar(sa.select(SurveyRun))
        assert (run.room_id, run.programme_id, run.matched) == (room.id, None, True)


def test_the_runs_surveys_and_a_runs_page_run_the_same_statements_for_few_or_many_rows(world, room, client, count_queries):
    from bibnet.tenants.surveys import lookups, services
    from bibnet.tenants.surveys.models import Channel

    with tenant_scope(world.jelgava):
        template = wellbeing_survey()
        run = services.save_run(None, services.RunInput(template_id=template.id, title="First", room_id=room.id))
        item, run_id = template.items[0].item_id, run.id
        db.session.commit()
    log_in(client, "coordinator@jelgava.example")
    urls = ("/t/jelgava/surveys/", "/t/jelgava/surveys/templates/", f"/t/jelgava/surveys/runs/{run_id}/")
    for url in urls:
        client.get(url)
    few = {}
    for url in urls:
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        few[url] = counted.n
    with tenant_scope(world.jelgava):
        run = lookups.visible_run(run_id)
        for number in range(25):
            other = wellbeing_survey(f"Survey {number:02d}")
            services.save_run(None, services.RunInput(template_id=other.id, title=f"Run {number:02d}", room_id=room.id))
            services.record_response(run, services.ResponseInput(answers={item: 4}, channel=Channel.PAPER))
        db.session.commit()
    for url in urls:
        with count_queries() as counted:
            assert client.get(f"{url}?per_page=50").status_code == 200
        assert counted.n == few[url], (url, counted.statements)
