"""The item bank every library shares: each outcome area has statements, each statement reads in plain,
easy-read and large-print form in English, Latvian and Lithuanian; writing it again changes nothing, and a
changed wording is updated in place (the item keeps its id, and so its answers)."""
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenants.surveys import bank
from bibnet.tenants.surveys.models import Outcome, SurveyItem


def test_every_statement_of_the_bank_reads_in_three_forms_and_three_languages(app_context):
    bank.ensure_bank()
    items = db.session.scalars(sa.select(SurveyItem)).all()
    assert len(items) == len(bank.BANK)
    for item in items:
        for form in ("plain", "easy_read", "large_print"):
            texts = getattr(item, form)
            assert set(texts) == {"en", "lv", "lt"}, (item.key, form)
            assert all(text.strip() and text.strip()[-1] == "." for text in texts.values()), (item.key, form)
        assert len({item.plain["en"], item.plain["lv"], item.plain["lt"]}) == 3, f"{item.key}: not translated"


def test_every_outcome_area_has_at_least_two_statements(app_context):
    outcomes = [outcome for outcome, _texts in bank.BANK.values()]
    assert {outcome: outcomes.count(outcome) >= 2 for outcome in Outcome} == dict.fromkeys(Outcome, True)


def test_writing_the_bank_again_changes_nothing_and_a_new_wording_keeps_the_item(app_context, monkeypatch):
    assert bank.ensure_bank() == len(bank.BANK)
    ids = dict(db.session.execute(sa.select(SurveyItem.key, SurveyItem.id)).all())
    assert bank.ensure_bank() == 0
    outcome, texts = bank.BANK["wellbeing.calm"]
    changed = {**texts, "plain": {**texts["plain"], "en": "I feel calmer after the session."}}
    monkeypatch.setitem(bank.BANK, "wellbeing.calm", (outcome, changed))
    assert bank.ensure_bank() == 1
    calm = db.session.scalar(sa.select(SurveyItem).where(SurveyItem.key == "wellbeing.calm"))
    assert (calm.id, calm.plain["en"]) == (ids["wellbeing.calm"], "I feel calmer after the session.")


def test_a_statement_falls_back_to_plain_then_to_english(app_context):
    item = SurveyItem(key="x", outcome=Outcome.KNOWLEDGE, plain={"en": "Plain.", "lv": "Vienkārši."}, easy_read={"en": "Easy."}, large_print={})
    assert bank.statement(item, "easy_read", "lv") == "Vienkārši."
    assert bank.statement(item, "large_print", "lt") == "Plain."
    assert bank.statement(item, "easy_read", "en") == "Easy."


def test_the_bank_command_writes_the_bank(app, app_context):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from bibnet.cli import main

    result = CliRunner().invoke(main, ["surveys", "bank"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyItem)) == len(bank.BANK)
