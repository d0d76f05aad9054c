"""API representations of the surveys. Input schemas check types; the rules (bank items only, one subject,
an "after" run naming its "before", answers on the scale) are the services', so pages and API refuse alike."""
from marshmallow import Schema, fields, validate

from bibnet.api.schemas import Day, object_id, page_of
from bibnet.tenants.surveys.models import Channel, Outcome, Phase, Timing
from bibnet.tenants.surveys.services import MATCH_CODE_MAX, MAX_ITEMS, NAME_LENGTH

TEXTS = {"description": "Language code (en, lv, lt) → statement"}


class BankItemSchema(Schema):
    id = fields.Integer(dump_only=True)
    key = fields.String(dump_only=True)
    outcome = fields.Enum(Outcome, by_value=True, dump_only=True)
    plain = fields.Dict(keys=fields.String(), values=fields.String(), dump_only=True, metadata=TEXTS)
    easy_read = fields.Dict(keys=fields.String(), values=fields.String(), dump_only=True, metadata=TEXTS)
    large_print = fields.Dict(keys=fields.String(), values=fields.String(), dump_only=True, metadata=TEXTS)


class TemplateSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(max=1000))
    item_ids = fields.List(object_id(), required=True, validate=validate.Length(max=MAX_ITEMS * 4), metadata={"description": f"Bank item ids in the order asked (1 to {MAX_ITEMS})"})


class RunSchema(Schema):
    id = fields.Integer(dump_only=True)
    code = fields.String(dump_only=True, metadata={"description": "The public code: /s/<code>, the QR code and the paper form carry it"})
    template_id = object_id(required=True)
    title = fields.String(required=True, validate=validate.Length(max=1000), metadata={"description": f"At most {NAME_LENGTH} characters"})
    programme_id = object_id(load_default=None, allow_none=True)
    room_id = object_id(load_default=None, allow_none=True)
    course_id = object_id(load_default=None, allow_none=True, metadata={"description": "Exactly one of programme_id, room_id, course_id"})
    timing = fields.Enum(Timing, by_value=True, load_default=Timing.IMMEDIATE)
    phase = fields.Enum(Phase, by_value=True, load_default=Phase.SINGLE)
    before_run_id = object_id(load_default=None, allow_none=True, metadata={"description": "An after run: its before run (same survey)"})
    matched = fields.Boolean(load_default=False)
    opens_on = Day(load_default=None, allow_none=True)
    closes_on = Day(load_default=None, allow_none=True)


class RunDetailSchema(RunSchema):
    responses = fields.Dict(keys=fields.String(), values=fields.Integer(), dump_only=True, metadata={"description": "Responses per channel"})


class ResponseSchema(Schema):
    channel = fields.String(required=True, validate=validate.OneOf([Channel.PAPER.value, Channel.ASSISTED.value]), metadata={"description": "paper (typed in from a form) or assisted"})
    received_on = Day(required=True)
    answers = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^[0-9]{1,9}$")),
        values=fields.Integer(strict=True, allow_none=True),
        required=True, validate=validate.Length(max=MAX_ITEMS * 4),
        metadata={"description": "Bank item id → 1 (strongly disagree) … 5 (strongly agree), or null for \"don't know\""},
    )
    match_code = fields.String(load_default="", validate=validate.Length(max=MATCH_CODE_MAX * 4), metadata={"description": "The participant's own code, for matched runs"})


class RecordedSchema(Schema):
    id = fields.Integer(dump_only=True)
    run_id = fields.Integer(dump_only=True)
    channel = fields.Enum(Channel, by_value=True, dump_only=True)
    received_on = fields.Date(dump_only=True)


TemplatePageSchema = page_of(TemplateSchema, "SurveyTemplatePageSchema")
RunPageSchema = page_of(RunSchema, "SurveyRunPageSchema")
