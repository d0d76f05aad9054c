"""A response cannot be tied to a person or an address: its row holds the answers, the channel, the day and, for
matched runs, a keyed hash of the participant's own code; nothing else. Answering writes no audit entry, no log
line with the address or the browser, and nothing in the session but the form's CSRF token. The code's hash is
keyed with the app's secret and the pair's id, so it cannot be found by hashing guesses, and the same code in
two pairs gives two keys."""
import hashlib
import logging

import sqlalchemy as sa
from surveys_world import answer, before_and_after, wellbeing_survey

from bibnet.audit.models import AuditEntry
from bibnet.extensions import db
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenants.surveys import services
from bibnet.tenants.surveys.models import Channel, SurveyAnswer, SurveyResponse

from conftest import log_in

ADDRESS = "203.0.113.77"
BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8) Survey-Test-Browser/1.0"


def test_a_response_row_holds_nothing_that_could_name_a_person(app_context):
    assert {column.name for column in SurveyResponse.__table__.columns} == {"id", "tenant_id", "run_id", "channel", "received_on", "match_key"}
    assert {column.name for column in SurveyAnswer.__table__.columns} == {"id", "tenant_id", "response_id", "item_id", "value"}
    assert str(SurveyResponse.__table__.c.received_on.type) == "DATE"  # the day, never a time of day


def test_answering_while_logged_in_from_an_address_leaves_no_trace_of_either(world, room, client, caplog):
    with tenant_scope(world.jelgava):
        template = wellbeing_survey()
        before, _after = before_and_after(room, template)
        code, item = before.code, template.items[0].item_id
        db.session.commit()
    log_in(client, "staff@jelgava.example")  # a staff member answering for themselves is anonymous too
    client.environ_base.update({"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": BROWSER})
    audit_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    caplog.set_level(logging.DEBUG)
    assert answer(client, code, {item: "4"}, match_code="liepa7").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == audit_before
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert ADDRESS not in logged and "Survey-Test-Browser" not in logged and "liepa7" not in logged
    with all_tenants("test: the stored response"):
        [row] = db.session.scalars(sa.select(SurveyResponse)).all()
        stored = {attribute.key: getattr(row, attribute.key) for attribute in SurveyResponse.__mapper__.column_attrs}
    assert ADDRESS not in str(stored) and "liepa7" not in str(stored)
    assert (stored["channel"], stored["received_on"], len(stored["match_key"])) == (Channel.ONLINE, world.jelgava.today(), 64)
    with client.session_transaction() as session:
        assert "liepa7" not in str(dict(session))


def test_an_anonymous_participants_session_keeps_only_the_forms_token(world, room, client):
    with tenant_scope(world.jelgava):
        template = wellbeing_survey()
        before, _after = before_and_after(room, template)
        code, item = before.code, template.items[0].item_id
        db.session.commit()
    assert answer(client, code, {item: "3"}, match_code="liepa7").status_code == 302
    with client.session_transaction() as session:
        assert set(session) <= {"csrf_token"}


def test_the_same_code_matches_within_a_pair_and_differs_between_pairs(world, room, in_jelgava, app):
    template = wellbeing_survey()
    before, after = before_and_after(room, template)
    other_before, other_after = before_and_after(room, wellbeing_survey("Other"))
    assert services.match_key(before, "Liepa 7") == services.match_key(after, "liepa-7")
    assert services.match_key(before, "liepa7") != services.match_key(other_before, "liepa7")
    assert services.match_key(other_before, "liepa7") == services.match_key(other_after, "liepa7")


def test_a_match_key_cannot_be_found_by_hashing_guesses_without_the_secret(world, room, in_jelgava, app, monkeypatch):
    template = wellbeing_survey()
    before, _after = before_and_after(room, template)
    key = services.match_key(before, "liepa7")
    assert key not in {hashlib.sha256(guess.encode()).hexdigest() for guess in ("liepa7", f"{before.id}:liepa7", f"liepa7{before.id}")}
    monkeypatch.setitem(app.config, "SECRET_KEY", "another installation's secret")
    assert services.match_key(before, "liepa7") != key


def test_matched_pairs_are_counted_by_their_keys(world, room, in_jelgava):
    template = wellbeing_survey()
    before, after = before_and_after(room, template)
    item = template.items[0].item_id
    for run, code in ((before, "liepa7"), (before, "upe12"), (after, "LIEPA7"), (after, "")):
        services.record_response(run, services.ResponseInput(answers={item: 3}, channel=Channel.PAPER, match_code=code))
    assert services.matched_pairs(after) == 1
