"""Helpers of the surveys' tests: the bank, a wellbeing survey and runs about Jelgava's sensory room."""
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenants.surveys import services
from bibnet.tenants.surveys.bank import ensure_bank
from bibnet.tenants.surveys.models import Phase, SurveyItem


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
