"""Survey rows made directly for the results tests: items of the shared bank, a template, runs and responses.

`answered(run, [{"knowledge.new": 5, ...}, ...])` adds one response per dict, each rating given (None: "I don't
know"); a dict may carry "_key" (the stored match key) and "_channel".
"""
from datetime import date
import itertools

import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.surveys.models import Channel, Outcome, Phase, SurveyAnswer, SurveyItem, SurveyResponse, SurveyRun, SurveyTemplate

ITEMS = {
    "knowledge.new": Outcome.KNOWLEDGE,
    "knowledge.more": Outcome.KNOWLEDGE,
    "confidence.try": Outcome.CONFIDENCE,
    "wellbeing.calm": Outcome.WELLBEING,
    "wellbeing.welcome": Outcome.WELLBEING,
}
_codes = itertools.count(1)


def bank() -> dict[str, SurveyItem]:
    """The items above, made once per test (the bank is global)."""
    found = {item.key: item for item in db.session.scalars(sa.select(SurveyItem))}
    for position, (key, outcome) in enumerate(ITEMS.items()):
        if key not in found:
            found[key] = SurveyItem(key=key, outcome=outcome, plain={"en": f"Statement {key}"}, position=position)
            db.session.add(found[key])
    db.session.flush()
    return found


def make_run(tenant, room, title="Wellbeing in the sensory room", phase=Phase.SINGLE, before=None, matched=False) -> SurveyRun:
    with tenant_scope(tenant):
        bank()
        template = SurveyTemplate(name="Wellbeing")
        db.session.add(template)
        db.session.flush()
        run = SurveyRun(
            template_id=template.id, title=title, room_id=room.id, phase=phase, before_run_id=before.id if before else None,
            matched=matched, code=f"R{next(_codes):07d}",
        )
        db.session.add(run)
        db.session.commit()
        return run


def answered(tenant, run, answers: list[dict], received_on=date(2026, 11, 5)) -> list[SurveyResponse]:
    with tenant_scope(tenant):
        items = bank()
        responses = []
        for ratings in answers:
            ratings = dict(ratings)
            response = SurveyResponse(
                run_id=run.id, channel=ratings.pop("_channel", Channel.ONLINE), received_on=received_on, match_key=ratings.pop("_key", None)
            )
            response.answers = [SurveyAnswer(item_id=items[key].id, value=value) for key, value in ratings.items()]
            db.session.add(response)
            responses.append(response)
        db.session.commit()
        return responses
