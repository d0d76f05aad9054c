"""The public answer page /s/<code>: anyone answers without logging in, in the form and language they choose,
with faces if they wish; bad input and bots are refused with a clear message and nothing is written."""
from datetime import timedelta
import re

import sqlalchemy as sa
from surveys_world import answer, before_and_after, responses, run_about, wellbeing_survey

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.surveys.models import Channel, Phase, SurveyAnswer


def open_run(world, room, **fields):
    with tenant_scope(world.jelgava):
        template = wellbeing_survey()
        run = run_about(room, template, **fields)
        found = run.code, [entry.item_id for entry in template.items]
        db.session.commit()
        return found


def test_a_participant_chooses_the_form_and_language_then_answers_and_is_thanked(world, room, client):
    code, items = open_run(world, room)
    choose = client.get(f"/s/{code}")
    assert choose.status_code == 200
    assert 'name="form"' in choose.get_data(as_text=True) and 'name="lang"' in choose.get_data(as_text=True)
    page = client.get(f"/s/{code}?form=easy_read&lang=lv&faces=1").get_data(as_text=True)
    assert '<html lang="lv">' in page and "Tagad es jūtos mierīgi." in page and "<svg" in page
    assert "<fieldset" in page and "<legend>" in page
    assert f'href="/s/{code}?form=easy_read&amp;lang=lt&amp;faces=1"' in page  # the same form in another language
    sent = answer(client, code, {items[0]: "5", items[1]: "dk", items[2]: "4"})
    assert sent.status_code == 302 and sent.headers["Location"].startswith(f"/s/{code}/thanks")
    assert client.get(sent.headers["Location"]).status_code == 200
    [response] = responses()
    assert (response.channel, response.received_on, response.match_key) == (Channel.ONLINE, world.jelgava.today(), None)
    with tenant_scope(world.jelgava):
        values = dict(db.session.execute(sa.select(SurveyAnswer.item_id, SurveyAnswer.value)).all())
    assert values == {items[0]: 5, items[1]: None, items[2]: 4}


def test_the_code_is_read_in_any_case_and_an_unknown_code_is_not_found(world, room, client):
    code, _items = open_run(world, room)
    assert client.get(f"/s/{code.lower()}").status_code == 200
    assert client.get("/s/ZZZZZZZZ").status_code == 404
    assert client.get("/s/" + "A" * 300).status_code == 404


def test_the_large_print_form_is_shown_large_in_lithuanian(world, room, client):
    code, _items = open_run(world, room)
    page = client.get(f"/s/{code}?form=large_print&lang=lt").get_data(as_text=True)
    assert '<html lang="lt">' in page and "survey-large" in page and "Po užsiėmimo jaučiuosi ramiau." in page


def test_a_value_off_the_scale_is_refused_and_nothing_is_written(world, room, client):
    code, items = open_run(world, room)
    sent = answer(client, code, {items[0]: "9", items[1]: "3"})
    assert sent.status_code == 422
    assert "Choose an answer from 1" in sent.get_data(as_text=True)
    assert responses() == []


def test_a_form_with_no_answer_is_refused(world, room, client):
    code, _items = open_run(world, room)
    sent = answer(client, code, {})
    assert sent.status_code == 422 and "Answer at least one statement." in sent.get_data(as_text=True)
    assert responses() == []


def test_a_bot_filling_the_hidden_field_or_forging_the_start_time_writes_nothing(world, room, client):
    code, items = open_run(world, room)
    assert answer(client, code, {items[0]: "4"}, website="http://spam.example").status_code == 422
    sent = answer(client, code, {items[0]: "4"}, started="forged")
    assert sent.status_code == 422 and "could not be sent" in sent.get_data(as_text=True)
    assert responses() == []


def test_a_run_not_open_shows_so_and_takes_no_answers(world, room, client):
    today = world.jelgava.today()
    code, items = open_run(world, room, opens_on=today - timedelta(days=10), closes_on=today - timedelta(days=1))
    page = client.get(f"/s/{code}?form=plain&lang=en")
    assert "This survey is not open" in page.get_data(as_text=True)
    client.post(f"/s/{code}?form=plain&lang=en", data={f"answers_{items[0]}": "4"})
    assert responses() == []


def test_a_matched_run_asks_for_the_participants_own_code_and_keeps_only_its_hash(world, room, client):
    with tenant_scope(world.jelgava):
        template = wellbeing_survey()
        before, _after = before_and_after(room, template)
        code, item, phase = before.code, template.items[0].item_id, before.phase
        db.session.commit()
    assert phase is Phase.BEFORE
    page = client.get(f"/s/{code}?form=plain&lang=en").get_data(as_text=True)
    assert 'name="match_code"' in page and "Nobody can tell who you are from the code." in page
    assert answer(client, code, {item: "2"}, match_code="Saule 21").status_code == 302
    [response] = responses()
    assert response.match_key and "saule" not in response.match_key.casefold() and len(response.match_key) == 64
    assert answer(client, code, {item: "2"}, match_code="ab").status_code == 422  # too short to match anyone


def test_answers_over_the_rate_limit_of_one_network_are_kept_on_the_form_and_not_saved(world, room, client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_FORM_RATE_LIMIT", "2 per minute")
    code, items = open_run(world, room)
    statuses = [answer(client, code, {items[0]: "4"}).status_code for _ in range(2)]
    refused = answer(client, code, {items[0]: "2", items[1]: "5"})
    assert [*statuses, refused.status_code] == [302, 302, 429] and int(refused.headers["Retry-After"]) >= 1
    page = refused.get_data(as_text=True)
    assert "Many forms were sent from this network recently. What you entered is still here: send the form again a little later." in page
    [kept] = [tag for tag in re.findall(r"<input[^>]*>", page) if f'name="answers_{items[0]}"' in tag and 'value="2"' in tag]
    assert "checked" in kept
    assert len(responses()) == 2
