"""API: the item bank (read-only), survey templates, runs, and responses typed in by staff (paper, assisted).
Online answers come only through the public page. Writes go through `services` and are committed here."""
from flask_smorest import Blueprint
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.access import require
from bibnet.api.schemas import PaginationArgs
from bibnet.extensions import db
from bibnet.tenants.surveys import lookups, services
from bibnet.tenants.surveys.bank import bank_items
from bibnet.tenants.surveys.models import Channel, SurveyRun, SurveyTemplate
from bibnet.tenants.surveys.schemas import (
    BankItemSchema,
    RecordedSchema,
    ResponseSchema,
    RunDetailSchema,
    RunPageSchema,
    RunSchema,
    TemplatePageSchema,
    TemplateSchema,
)
from bibnet.web.pagination import paginate

blp = Blueprint("api_surveys", __name__, url_prefix="/api/v1/tenants/<tenant_slug>/surveys", description="Impact surveys: the item bank, surveys, runs, typed-in responses")


def _template_out(template: SurveyTemplate) -> dict:
    return {"id": template.id, "name": template.name, "item_ids": [entry.item_id for entry in template.items]}


def _run_out(run: SurveyRun) -> SurveyRun:
    run.responses = {channel.value: count for channel, count in services.responses_per_channel(run).items()}
    return run


@blp.route("/bank")
@require("surveys.view")
@blp.response(200, BankItemSchema(many=True))
def list_bank():
    """The shared item bank: every statement in plain, easy-read and large-print form, in en, lv, lt"""
    items = bank_items()
    db.session.commit()
    return items


@blp.route("/templates")
@require("surveys.view")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, TemplatePageSchema)
def list_templates(page, per_page):
    """The library's surveys, by name"""
    found = paginate(sa.select(SurveyTemplate).options(selectinload(SurveyTemplate.items)).order_by(SurveyTemplate.name, SurveyTemplate.id), page=page, per_page=per_page)
    return {"items": [_template_out(template) for template in found.items], "page": found.page, "per_page": found.per_page, "total": found.total, "pages": found.pages}


@blp.route("/templates", methods=["POST"])
@require("surveys.manage")
@blp.arguments(TemplateSchema)
@blp.response(201, TemplateSchema)
def create_template(data):
    """A survey: a name and bank items in the order asked"""
    template = services.save_template(None, data["name"], data["item_ids"])
    db.session.commit()
    return _template_out(lookups.visible_template(template.id))


@blp.route("/templates/<int:survey_template_id>")
@require("surveys.view")
@blp.response(200, TemplateSchema)
def get_template(template):
    """One survey"""
    return _template_out(template)


@blp.route("/templates/<int:survey_template_id>", methods=["PUT"])
@require("surveys.manage")
@blp.arguments(TemplateSchema)
@blp.response(200, TemplateSchema)
def update_template(data, template):
    """Rename a survey or change its items (not once people have answered it)"""
    services.save_template(template, data["name"], data["item_ids"])
    db.session.commit()
    return _template_out(lookups.visible_template(template.id))


@blp.route("/runs")
@require("surveys.view")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, RunPageSchema)
def list_runs(page, per_page):
    """Runs, the latest first"""
    return paginate(sa.select(SurveyRun).order_by(SurveyRun.created_at.desc(), SurveyRun.id.desc()), page=page, per_page=per_page)


@blp.route("/runs", methods=["POST"])
@require("surveys.manage")
@blp.arguments(RunSchema)
@blp.response(201, RunDetailSchema)
def create_run(data):
    """A run of a survey about one programme, room or course; an "after" run names its "before" run"""
    run = services.save_run(None, services.RunInput(**data))
    db.session.commit()
    return _run_out(lookups.visible_run(run.id))


@blp.route("/runs/<int:survey_run_id>")
@require("surveys.view")
@blp.response(200, RunDetailSchema)
def get_run(run):
    """One run, with its responses per channel"""
    return _run_out(run)


@blp.route("/runs/<int:survey_run_id>", methods=["PUT"])
@require("surveys.manage")
@blp.arguments(RunSchema)
@blp.response(200, RunDetailSchema)
def update_run(data, run):
    """Change a run (its survey and code question stay once people have answered)"""
    services.save_run(run, services.RunInput(**data))
    db.session.commit()
    return _run_out(lookups.visible_run(run.id))


@blp.route("/runs/<int:survey_run_id>/responses", methods=["POST"])
@require("surveys.manage")
@blp.arguments(ResponseSchema)
@blp.response(201, RecordedSchema)
def enter_response(data, run):
    """Type in one response from a paper form, or one given with a staff member's help"""
    answers = {int(item_id): value for item_id, value in data["answers"].items()}
    response = services.record_response(run, services.ResponseInput(answers=answers, channel=Channel(data["channel"]), match_code=data["match_code"], received_on=data["received_on"]))
    db.session.commit()
    return response
