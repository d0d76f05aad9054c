"""Helpers of the surveys' tests: the bank, a wellbeing survey, runs about Jelgava's sensory room, and answering
the public page as a participant does."""
import re

import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import all_tenants
from bibnet.tenants.surveys import services
from bibnet.tenants.surveys.bank import ensure_bank
from bibnet.tenants.surveys.models import Phase, SurveyItem, SurveyResponse

from conftest import csrf_token


def bank_ids(*keys: str) -> list[int]:
    ensure_bank()
    found = {item.key: item.id for item in db.session.scalars(sa.select(SurveyItem))}
    return [found[key] for key in keys]


def wellbeing_survey(name="Sensory room – wellbeing"):
    return services.save_template(None, name, bank_ids("wellbeing.calm", "wellbeing.mood", "awareness.services"))


def run_about(room, template, **fields):
    fields.setdefault("title", "Sensory room, autumn")
    return services.save_run(None, services.RunInput(template_id=template.id, room_id=room.id, **fields))


def before_and_after(room, template, matched=True):
    before = run_about(room, template, title="Before", phase=Phase.BEFORE, matched=matched)
    after = run_about(room, template, title="After", phase=Phase.AFTER, before_run_id=before.id, matched=matched)
    return before, after


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"no hidden {name} field"
    return match.group(1)


def answer(client, code, answers: dict, url_query="form=plain&lang=en", **extra):
    """Open the answer page as a participant does, then send it with `answers` (item id → value as sent)."""
    url = f"/s/{code}?{url_query}"
    page = client.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)[:2000]
    html = page.get_data(as_text=True)
    data = {"csrf_token": csrf_token(html), "started": hidden(html, "started"), **{f"answers_{item}": value for item, value in answers.items()}, **extra}
    return client.post(url, data=data)


def responses() -> list[SurveyResponse]:
    with all_tenants("test: the responses"):
        return db.session.scalars(sa.select(SurveyResponse)).all()
