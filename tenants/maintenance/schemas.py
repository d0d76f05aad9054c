"""API representations of maintenance schedules, tasks and records. Input schemas check types; the rules are
the services', so pages and API refuse alike. Money goes out and comes in as a string with two decimals."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from bibnet.api.schemas import Day, DecimalString, PaginationArgs, object_id, page_of

NOT_AN_AMOUNT = _l("Enter an amount as a number, like \"1250.50\".")
TOO_PRECISE = _l("Enter an amount with at most two decimals, like 1250.50.")


class ScheduleSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(max=1000))
    item_id = object_id(load_default=None, allow_none=True, metadata={"description": "One item; or category_id"})
    category_id = object_id(load_default=None, allow_none=True, metadata={"description": "Every item of one category; or item_id"})
    interval_months = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(1, 120), metadata={"description": "Months between maintenances; null: after each return (when the item goes to cleaning)"})
    first_due_on = Day(load_only=True, load_default=None, allow_none=True, metadata={"description": "Required with interval_months: the first task's day"})
    active = fields.Boolean(dump_only=True)


class TaskSchema(Schema):
    id = fields.Integer(dump_only=True)
    schedule_id = fields.Integer(dump_only=True)
    item_id = fields.Integer(dump_only=True)
    title = fields.String(attribute="schedule.title", dump_only=True)
    due_on = fields.Date(dump_only=True)


class RecordSchema(Schema):
    id = fields.Integer(dump_only=True)
    item_id = fields.Integer(dump_only=True)
    task_id = object_id(load_default=None, allow_none=True, metadata={"description": "The open task of the item this record closes"})
    done_on = Day(required=True)
    work = fields.String(required=True, validate=validate.Length(max=5000))
    cost = DecimalString(2, invalid=NOT_AN_AMOUNT, too_precise=TOO_PRECISE, load_default=None, allow_none=True)
    supplier = fields.String(load_default="", validate=validate.Length(max=1000))
    next_due_on = fields.Date(dump_only=True, allow_none=True)


class StatusSchema(Schema):
    item_id = fields.Integer(attribute="id", dump_only=True)
    status = fields.Function(lambda item: item.status.value, dump_only=True)


SchedulePageSchema = page_of(ScheduleSchema, "MaintenanceSchedulePageSchema")
TaskPageSchema = page_of(TaskSchema, "MaintenanceTaskPageSchema")
RecordPageSchema = page_of(RecordSchema, "MaintenanceRecordPageSchema")
__all__ = ["PaginationArgs", "RecordPageSchema", "RecordSchema", "SchedulePageSchema", "ScheduleSchema", "StatusSchema", "TaskPageSchema"]
