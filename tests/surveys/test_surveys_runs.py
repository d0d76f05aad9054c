"""Surveys and runs: a survey is picked from the bank; a run is about exactly one subject (a programme, a room or
a course of the library), and an "after" run names a "before" run of the same survey. Every refusal writes
nothing."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from surveys_world import bank_ids, before_and_after, run_about, wellbeing_survey

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.programmes.models import Programme, ProgrammeKind
from bibnet.tenants.surveys import services
from bibnet.tenants.surveys.models import CODE_LENGTH, Channel, Phase, SurveyRun, SurveyTemplate


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_survey_keeps_the_bank_items_in_the_order_chosen(world, in_jelgava):
    ids = bank_ids("wellbeing.safe", "knowledge.learned", "wellbeing.calm")
    template = services.save_template(None, "Mixed", ids)
    assert [entry.item_id for entry in template.items] == ids
    services.save_template(template, "Mixed again", list(reversed(ids)))
    assert ([entry.item_id for entry in template.items], template.name) == (list(reversed(ids)), "Mixed again")


@pytest.mark.parametrize(("name", "keys", "field"), [
    ("", ("wellbeing.calm",), "name"),
    ("No items", (), "item_ids"),
    ("Twice", ("wellbeing.calm", "wellbeing.calm"), "item_ids"),
])
def test_a_survey_without_a_name_or_statements_or_with_one_twice_is_refused(world, in_jelgava, name, keys, field):
    with pytest.raises(Refused) as refusal:
        services.save_template(None, name, bank_ids(*keys))
    assert field in refusal.value.errors
    assert _count(SurveyTemplate) == 0


def test_a_survey_takes_statements_of_the_bank_only(world, in_jelgava):
    with pytest.raises(Refused) as refusal:
        services.save_template(None, "Unknown", [*bank_ids("wellbeing.calm"), 999999])
    assert "item_ids" in refusal.value.errors


def test_a_survey_answered_already_keeps_its_statements(world, room, in_jelgava):
    template = wellbeing_survey()
    run = run_about(room, template)
    services.record_response(run, services.ResponseInput(answers={template.items[0].item_id: 4}, channel=Channel.PAPER))
    with pytest.raises(Refused) as refusal:
        services.save_template(template, template.name, bank_ids("wellbeing.calm"))
    assert "item_ids" in refusal.value.errors
    assert services.save_template(template, "Renamed", [entry.item_id for entry in template.items]).name == "Renamed"


def test_a_run_gets_a_public_code_of_unambiguous_characters(world, room, in_jelgava):
    runs = [run_about(room, wellbeing_survey(f"S{number}")) for number in range(5)]
    codes = {run.code for run in runs}
    assert len(codes) == 5
    assert all(len(code) == CODE_LENGTH and set(code) <= set(services.CODE_ALPHABET) for code in codes)


def test_a_run_is_about_a_programme_a_room_or_a_course(world, room, in_jelgava):
    template = wellbeing_survey()
    programme = Programme(kind=ProgrammeKind.CLUB, title={"lv": "Senioru klubs"})
    db.session.add(programme)
    db.session.flush()
    assert services.save_run(None, services.RunInput(template_id=template.id, title="Club", programme_id=programme.id)).programme_id == programme.id
    assert run_about(room, template).room_id == room.id


@pytest.mark.parametrize("subjects", ["none", "two"])
def test_a_run_without_a_subject_or_with_two_is_refused(world, room, in_jelgava, subjects):
    template = wellbeing_survey()
    programme = Programme(kind=ProgrammeKind.CLUB, title={"lv": "Senioru klubs"})
    db.session.add(programme)
    db.session.flush()
    fields = {"room_id": room.id, "programme_id": programme.id} if subjects == "two" else {}
    with pytest.raises(Refused) as refusal:
        services.save_run(None, services.RunInput(template_id=template.id, title="Nothing", **fields))
    assert "subject" in refusal.value.errors
    assert _count(SurveyRun) == 0


def test_another_librarys_room_or_survey_cannot_be_chosen(world, make_room):
    theirs = make_room(world.pasvalys, "Pasvalys room")
    with tenant_scope(world.pasvalys):
        their_template = wellbeing_survey("Theirs")
        db.session.commit()
    with tenant_scope(world.jelgava):
        ours = wellbeing_survey("Ours")
        with pytest.raises(Refused) as refusal:
            services.save_run(None, services.RunInput(template_id=ours.id, title="X", room_id=theirs.id))
        assert "room_id" in refusal.value.errors
        ours_room = make_room(world.jelgava)
        with pytest.raises(Refused) as refusal:
            services.save_run(None, services.RunInput(template_id=their_template.id, title="X", room_id=ours_room.id))
        assert "template_id" in refusal.value.errors


def test_an_after_run_names_a_before_run_of_the_same_survey(world, room, in_jelgava):
    template = wellbeing_survey()
    before, after = before_and_after(room, template)
    assert (after.phase, after.before_run_id) == (Phase.AFTER, before.id)
    other = wellbeing_survey("Other")
    single = run_about(room, template, title="Single")
    cases = [
        ({"before_run_id": None}, "before_run_id"),  # names none
        ({"before_run_id": single.id}, "before_run_id"),  # names a run that is no "before" run
        ({"template_id": other.id, "before_run_id": before.id}, "before_run_id"),  # of another survey
        ({"before_run_id": before.id}, "before_run_id"),  # the "before" run has its "after" run already
    ]
    for fields, field in cases:
        data = {"template_id": template.id, "title": "After 2", "room_id": room.id, "phase": Phase.AFTER, "matched": True, **fields}
        with pytest.raises(Refused) as refusal:
            services.save_run(None, services.RunInput(**data))
        assert field in refusal.value.errors, fields
    assert _count(SurveyRun) == 3


def test_both_runs_of_a_pair_ask_for_the_participants_code_or_neither_does(world, room, in_jelgava):
    template = wellbeing_survey()
    before = run_about(room, template, phase=Phase.BEFORE, matched=True)
    with pytest.raises(Refused) as refusal:
        run_about(room, template, phase=Phase.AFTER, before_run_id=before.id, matched=False)
    assert "matched" in refusal.value.errors


def test_only_an_after_run_names_a_before_run(world, room, in_jelgava):
    template = wellbeing_survey()
    before = run_about(room, template, phase=Phase.BEFORE)
    with pytest.raises(Refused) as refusal:
        run_about(room, template, phase=Phase.SINGLE, before_run_id=before.id)
    assert "before_run_id" in refusal.value.errors


def test_a_run_closes_on_or_after_the_day_it_opens(world, room, in_jelgava):
    today = world.jelgava.today()
    with pytest.raises(Refused) as refusal:
        run_about(room, wellbeing_survey(), opens_on=today, closes_on=today - timedelta(days=1))
    assert "closes_on" in refusal.value.errors


def test_a_before_run_with_its_after_run_stays_a_before_run(world, room, in_jelgava):
    template = wellbeing_survey()
    before, _after = before_and_after(room, template)
    with pytest.raises(Refused) as refusal:
        services.save_run(before, services.RunInput(template_id=template.id, title="Before", room_id=room.id, phase=Phase.SINGLE, matched=True))
    assert "phase" in refusal.value.errors
