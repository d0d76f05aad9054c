"""Demo survey in Pasvalys: the sensory room's wellbeing survey, a "before" run and an "after" run with the
participants' own codes, and 40 responses (20 each; some typed in from paper, most matched) on weekdays of the
last four weeks. The "after" run is still open, so the public page can be answered on a phone.

Idempotent: the bank is brought up to date; nothing else is added to a tenant that already has a survey run.
"""
from datetime import timedelta
import random

import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.rooms.models import Room
from bibnet.tenants.surveys import services
from bibnet.tenants.surveys.bank import ensure_bank
from bibnet.tenants.surveys.models import Channel, Phase, SurveyItem, SurveyRun, Timing

TENANT = "pasvalys"
ITEMS = ("wellbeing.calm", "wellbeing.mood", "wellbeing.safe", "awareness.services")
RESPONSES_PER_RUN = 20
PAPER_PER_RUN = 6
MATCHED = 16  # participants who answered both runs with their own code
CODES = [f"{word}{number}" for word, number in zip(("saule", "upe", "liepa", "ramunė", "gandras", "ąžuolas", "žiedas", "debesis", "rasa", "vėjas", "smilga", "kalnas", "jūra", "lapas", "varpas", "medus", "beržas", "šermukšnis", "paukštis", "lelija"), range(11, 31), strict=True)]


def _weekdays(first, last) -> list:
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    return [day for day in days if day.weekday() < 5]


def _answers(rng: random.Random, item_ids: list[int], after: bool) -> dict[int, int | None]:
    """Ratings a little higher after the sessions; now and then "don't know"."""
    low, high = (3, 5) if after else (2, 4)
    return {item_id: None if rng.random() < 0.05 else rng.randint(low, high) for item_id in item_ids}


def load_demo() -> None:
    ensure_bank()
    db.session.commit()
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == TENANT))
    if tenant is None:
        return
    with tenant_scope(tenant):
        room = db.session.scalar(sa.select(Room).where(Room.active).order_by(Room.id).limit(1))
        if room is None or db.session.scalar(sa.select(sa.exists().where(SurveyRun.id.is_not(None)))):
            return
        items = {item.key: item.id for item in db.session.scalars(sa.select(SurveyItem).where(SurveyItem.key.in_(ITEMS)))}
        item_ids = [items[key] for key in ITEMS]
        template = services.save_template(None, "Sensorinis kambarys – savijauta", item_ids)
        today = tenant.today()
        before = services.save_run(None, services.RunInput(
            template_id=template.id, title="Sensorinis kambarys, ruduo – prieš užsiėmimus", room_id=room.id, timing=Timing.IMMEDIATE,
            phase=Phase.BEFORE, matched=True, opens_on=today - timedelta(days=28), closes_on=today - timedelta(days=15),
        ))
        after = services.save_run(None, services.RunInput(
            template_id=template.id, title="Sensorinis kambarys, ruduo – po užsiėmimų", room_id=room.id, timing=Timing.IMMEDIATE,
            phase=Phase.AFTER, before_run_id=before.id, matched=True, opens_on=today - timedelta(days=14), closes_on=today + timedelta(days=14),
        ))
        rng = random.Random(13)
        for run, days, is_after in ((before, _weekdays(today - timedelta(days=28), today - timedelta(days=15)), False), (after, _weekdays(today - timedelta(days=14), today - timedelta(days=1)), True)):
            for number in range(RESPONSES_PER_RUN):
                channel = Channel.PAPER if number < PAPER_PER_RUN else Channel.ONLINE
                code = CODES[number] if number < MATCHED else ""
                response = services.record_response(run, services.ResponseInput(
                    answers=_answers(rng, item_ids, is_after), channel=Channel.PAPER, match_code=code, received_on=rng.choice(days),
                ))
                response.channel = channel  # online answers of past days: recorded as they came in
        db.session.commit()
