"""The only code that writes surveys: templates picked from the bank, runs and their rules, and responses from
every channel. Pages and API both call it; it checks first and raises `Refused`, and never commits.

Anonymity is kept here: `record_response` takes the answers, the channel, the day and the participant's own
code, and nothing else; the code is kept only as `match_key`, an HMAC keyed with the app's secret and the run
pair's id, so nobody holding the database can find a code by trying every word (see `match_key`).
"""
from dataclasses import dataclass, field
from datetime import date
import hashlib
import hmac
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.elearning.catalogue import visible_to
from bibnet.elearning.models import Course
from bibnet.extensions import db
from bibnet.refusals import Refused, refuse_if_any
from bibnet.tenancy.context import all_tenants, current_tenant_id
from bibnet.tenancy.models import Tenant
from bibnet.tenants.programmes.models import Programme
from bibnet.tenants.rooms.models import Room
from bibnet.tenants.surveys.bank import bank_items
from bibnet.tenants.surveys.models import (
    CODE_LENGTH,
    Channel,
    Phase,
    SurveyAnswer,
    SurveyResponse,
    SurveyRun,
    SurveyTemplate,
    TemplateItem,
    Timing,
)

NAME_LENGTH = 200
MAX_ITEMS = 30
# Unambiguous on paper and when read aloud: no 0/O, 1/I/L, 5/S, 8/B.
CODE_ALPHABET = "2345679ACDEFGHJKMNPQRTUVWXYZ"
MATCH_CODE_MIN, MATCH_CODE_MAX = 4, 30
SCALE = range(1, 6)


@dataclass
class RunInput:
    template_id: int
    title: str
    programme_id: int | None = None
    room_id: int | None = None
    course_id: int | None = None
    timing: Timing = Timing.IMMEDIATE
    phase: Phase = Phase.SINGLE
    before_run_id: int | None = None
    matched: bool = False
    opens_on: date | None = None
    closes_on: date | None = None


@dataclass
class ResponseInput:
    """One participant's answers: item id → 1..5, or None for "don't know" and for an item left out."""

    answers: dict[int, int | None] = field(default_factory=dict)
    channel: Channel = Channel.ONLINE
    match_code: str = ""
    received_on: date | None = None  # typed-in forms: the day on the paper; online: today


def today() -> date:
    """The current library's today (a public request has no `g.tenant`, only the tenant scope of the run)."""
    return db.session.get(Tenant, current_tenant_id()).today()


def _visible(model, object_id):
    """A row of the current tenant with this id, or None (the tenant guard filters the SELECT)."""
    if object_id is None:
        return None
    return db.session.scalar(sa.select(model).where(model.id == object_id))


# Templates -------------------------------------------------------------------------------------------------

def save_template(template: SurveyTemplate | None, name: str, item_ids: list[int]) -> SurveyTemplate:
    """Create (`template` None) or change a template: a name and bank items in the order given."""
    errors: dict[str, list] = {}
    name = (name or "").strip()
    if not name or len(name) > NAME_LENGTH:
        errors["name"] = [_l("Enter a name of at most %(max)d characters.", max=NAME_LENGTH)]
    bank = {item.id for item in bank_items()}
    if not item_ids:
        errors["item_ids"] = [_l("Choose at least one statement from the bank.")]
    elif len(item_ids) > MAX_ITEMS:
        errors["item_ids"] = [_l("A survey has at most %(max)d statements.", max=MAX_ITEMS)]
    elif len(set(item_ids)) != len(item_ids):
        errors["item_ids"] = [_l("Each statement can be asked only once.")]
    elif not set(item_ids) <= bank:
        errors["item_ids"] = [_l("Choose statements from the bank.")]
    if template is not None and item_ids and [entry.item_id for entry in template.items] != list(item_ids) and _has_responses(template):
        errors["item_ids"] = [_l("People have answered this survey already: its statements can no longer change. Make a new survey instead.")]
    refuse_if_any(errors)
    if template is None:
        template = SurveyTemplate(name=name)
        db.session.add(template)
    template.name = name
    kept = {entry.item_id: entry for entry in template.items}
    template.items = [kept.get(item_id) or TemplateItem(item_id=item_id) for item_id in item_ids]
    for position, entry in enumerate(template.items):
        entry.position = position
    db.session.flush()
    return template


def _has_responses(template: SurveyTemplate) -> bool:
    runs = sa.select(SurveyRun.id).where(SurveyRun.template_id == template.id)
    return db.session.scalar(sa.select(sa.exists().where(SurveyResponse.run_id.in_(runs))))


# Runs ------------------------------------------------------------------------------------------------------

def new_code() -> str:
    """A public code no run has yet."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not _code_taken(code):
            return code


def _code_taken(code: str) -> bool:
    with all_tenants("a new survey code must be unique across libraries"):
        return db.session.scalar(sa.select(sa.exists().where(SurveyRun.code == code)))


def _check_run(data: RunInput, run: SurveyRun | None) -> dict[str, list]:
    errors: dict[str, list] = {}
    title = (data.title or "").strip()
    if not title or len(title) > NAME_LENGTH:
        errors["title"] = [_l("Enter a title of at most %(max)d characters.", max=NAME_LENGTH)]
    template = _visible(SurveyTemplate, data.template_id)
    if template is None:
        errors["template_id"] = [_l("Choose one of your library's surveys.")]
    subjects = [value for value in (data.programme_id, data.room_id, data.course_id) if value is not None]
    if len(subjects) != 1:
        errors["subject"] = [_l("Choose one subject: a programme, a room or a course.")]
    elif data.programme_id is not None and _visible(Programme, data.programme_id) is None:
        errors["programme_id"] = [_l("Choose one of your library's programmes.")]
    elif data.room_id is not None and _visible(Room, data.room_id) is None:
        errors["room_id"] = [_l("Choose one of your library's rooms.")]
    elif data.course_id is not None and db.session.scalar(sa.select(Course.id).where(Course.id == data.course_id, visible_to(current_tenant_id()))) is None:
        errors["course_id"] = [_l("Choose a course your library can see.")]
    if data.opens_on and data.closes_on and data.closes_on < data.opens_on:
        errors["closes_on"] = [_l("The survey closes on or after the day it opens.")]
    if data.phase is Phase.AFTER:
        before = _visible(SurveyRun, data.before_run_id)
        if before is None or before.phase is not Phase.BEFORE or (run is not None and before.id == run.id):
            errors["before_run_id"] = [_l("An \"after\" run names the \"before\" run it is compared with.")]
        elif template is not None and before.template_id != template.id:
            errors["before_run_id"] = [_l("The \"before\" run must use the same survey, so that the answers can be compared.")]
        elif before.matched != data.matched:
            errors["matched"] = [_l("Ask for the participant's own code in both runs of a pair, or in neither.")]
        elif db.session.scalar(sa.select(sa.exists().where(SurveyRun.before_run_id == before.id, SurveyRun.id != (run.id if run else -1)))):
            errors["before_run_id"] = [_l("This \"before\" run already has its \"after\" run.")]
    elif data.before_run_id is not None:
        errors["before_run_id"] = [_l("Only an \"after\" run names a \"before\" run.")]
    if run is not None and run.phase is Phase.BEFORE and data.phase is not Phase.BEFORE and db.session.scalar(sa.select(sa.exists().where(SurveyRun.before_run_id == run.id))):
        errors["phase"] = [_l("An \"after\" run is compared with this run: it stays a \"before\" run.")]
    if run is not None and _run_has_responses(run) and (data.template_id != run.template_id or data.matched != run.matched):
        errors["template_id"] = [_l("People have answered this run already: its survey and its codes can no longer change.")]
    return errors


def _run_has_responses(run: SurveyRun) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(SurveyResponse.run_id == run.id)))


def save_run(run: SurveyRun | None, data: RunInput) -> SurveyRun:
    """Create (`run` None) or change a run; a new run gets its public code."""
    refuse_if_any(_check_run(data, run))
    if run is None:
        run = SurveyRun(code=new_code())
        db.session.add(run)
    run.template_id = data.template_id
    run.title = data.title.strip()
    run.programme_id, run.room_id, run.course_id = data.programme_id, data.room_id, data.course_id
    run.timing, run.phase, run.matched = data.timing, data.phase, data.matched
    run.before_run_id = data.before_run_id if data.phase is Phase.AFTER else None
    run.opens_on, run.closes_on = data.opens_on, data.closes_on
    db.session.flush()
    return run


def is_open(run: SurveyRun, day: date) -> bool:
    return (run.opens_on is None or run.opens_on <= day) and (run.closes_on is None or day <= run.closes_on)


# Responses -------------------------------------------------------------------------------------------------

def pair_id(run: SurveyRun) -> int:
    """The id both runs of a before/after pair share: the "before" run's."""
    return run.before_run_id if run.phase is Phase.AFTER and run.before_run_id else run.id


def normalised_code(code: str) -> str:
    """The participant's code as they may type it again: case, spaces and dashes do not matter."""
    return "".join(character for character in (code or "").casefold() if character.isalnum())


def match_key(run: SurveyRun, code: str) -> str:
    """HMAC-SHA256 of the code, keyed with the app's secret and the pair's id. Without the secret (never in the
    database) a key cannot be checked against guesses; the pair's id makes the same code differ between pairs,
    so responses of different runs cannot be linked to one person."""
    secret = hmac.new(current_app.config["SECRET_KEY"].encode(), f"bibnet.surveys.match:{pair_id(run)}".encode(), hashlib.sha256).digest()
    return hmac.new(secret, normalised_code(code).encode(), hashlib.sha256).hexdigest()


def record_response(run: SurveyRun, data: ResponseInput) -> SurveyResponse:
    """Keep one participant's answers. Refused, writing nothing: a value off the scale, an item not in the
    survey, a code too short or long, a day in the future; online, a run that is not open."""
    errors: dict[str, list] = {}
    day = today()
    items = [entry.item_id for entry in run.template.items]
    unknown = set(data.answers) - set(items)
    if unknown:
        errors["answers"] = [_l("Answer only the statements of this survey.")]
    for item_id, value in data.answers.items():
        if item_id in items and value is not None and value not in SCALE:
            errors[f"answers.{item_id}"] = [_l("Choose an answer from 1 (strongly disagree) to 5 (strongly agree), or \"don't know\".")]
    if all(data.answers.get(item_id) is None for item_id in items) and not unknown:
        errors["answers"] = [_l("Answer at least one statement.")]
    received_on = data.received_on or day
    if data.channel is Channel.ONLINE:
        received_on = day  # a form sent online came in today, whatever it claims
        if not is_open(run, day):
            errors["run"] = [_l("This survey is not open for answers now.")]
    elif received_on > day:
        errors["received_on"] = [_l("The day the form was filled in cannot be in the future.")]
    code = normalised_code(data.match_code)
    if code and not run.matched:
        errors["match_code"] = [_l("This survey does not ask for a code.")]
    elif code and not MATCH_CODE_MIN <= len(code) <= MATCH_CODE_MAX:
        errors["match_code"] = [_l("Use a code of %(min)d to %(max)d letters or digits.", min=MATCH_CODE_MIN, max=MATCH_CODE_MAX)]
    if errors:
        raise Refused(errors)
    response = SurveyResponse(run_id=run.id, channel=data.channel, received_on=received_on, match_key=match_key(run, code) if code else None)
    response.answers = [SurveyAnswer(item_id=item_id, value=data.answers.get(item_id)) for item_id in items]
    db.session.add(response)
    db.session.flush()
    return response


def responses_per_channel(run: SurveyRun) -> dict[Channel, int]:
    counted = dict(db.session.execute(sa.select(SurveyResponse.channel, sa.func.count()).where(SurveyResponse.run_id == run.id).group_by(SurveyResponse.channel)).all())
    return {channel: counted.get(channel, 0) for channel in Channel}


def matched_pairs(after: SurveyRun) -> int:
    """How many participants answered both runs of a pair with the same code."""
    if after.phase is not Phase.AFTER or after.before_run_id is None:
        return 0
    before_keys = sa.select(SurveyResponse.match_key).where(SurveyResponse.run_id == after.before_run_id, SurveyResponse.match_key.is_not(None))
    return db.session.scalar(sa.select(sa.func.count(sa.distinct(SurveyResponse.match_key))).where(SurveyResponse.run_id == after.id, SurveyResponse.match_key.in_(before_keys)))
