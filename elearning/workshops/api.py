"""API: a library's in-person workshops, listed and recorded. Recording goes through the same service as the
page (`services.record`): its refusals are the core's problem+json, a 422 with field errors."""
from flask import g, jsonify, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.access import require
from bibnet.api.schemas import Day, PaginationArgs, object_id, page_of
from bibnet.elearning.workshops import services
from bibnet.elearning.workshops.models import NAME_LENGTH, Workshop
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.web.pagination import paginate

blp = Blueprint("api_workshops", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="In-person training workshops of a library")


def _text(**options):
    return fields.String(validate=validate.Length(max=NAME_LENGTH, error=_l("Enter at most {max} characters.")), **options)


class AttendeeSchema(Schema):
    user_id = object_id(required=True)
    quiz_score = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(min=0, max=100, error=_l("Enter a whole number from {min} to {max}.")),
        metadata={"description": "The paper quiz score, a whole percent; empty when there was no quiz"},
    )


class WorkshopSchema(Schema):
    id = fields.Integer(dump_only=True)
    held_on = Day(required=True)
    course_id = object_id(required=True)
    module_id = object_id(allow_none=True, load_default=None, metadata={"description": "Empty: the workshop covered the whole course"})
    facilitator = _text(required=True)
    place = _text(load_default="")
    attendees = fields.List(fields.Nested(AttendeeSchema), required=True, validate=validate.Length(max=1000))


WorkshopPageSchema = page_of(WorkshopSchema, "WorkshopPageSchema")
# The service's refusals under the names of the request body's fields.
BODY_FIELDS = {"course": "course_id", "module": "module_id", "scores": "attendees"}


@blp.route("/workshops")
@require("elearning.manage")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, WorkshopPageSchema)
def list_workshops(page, per_page):
    """The library's workshops, latest first, with their attendees"""
    return paginate(
        sa.select(Workshop).options(selectinload(Workshop.attendees)).order_by(Workshop.held_on.desc(), Workshop.id.desc()), page=page, per_page=per_page
    )


@blp.route("/workshops", methods=["POST"])
@require("elearning.manage")
@blp.arguments(WorkshopSchema)
@blp.response(201, WorkshopSchema)
def create_workshop(body):
    """Record a workshop held: its lessons are done for every attendee, marked as in person"""
    try:
        workshop = services.record(services.WorkshopInput(
            held_on=body["held_on"], course_id=body["course_id"], module_id=body["module_id"], facilitator=body["facilitator"], place=body["place"],
            attendees=tuple(services.Attendance(a["user_id"], a["quiz_score"]) for a in body["attendees"]),
        ), g.tenant, current_user)
    except Refused as refused:
        errors: dict[str, list] = {}
        for path, messages in refused.errors.items():
            errors.setdefault(BODY_FIELDS.get(path, path), []).extend(messages)
        raise Refused(errors) from refused
    db.session.refresh(workshop, ["attendees"])
    response = jsonify(WorkshopSchema().dump(workshop))
    response.status_code = 201
    response.headers["Location"] = url_for(".list_workshops")
    db.session.commit()
    return response
