"""API representations of home visits. Input schemas check types; the rules (a borrower of the library, a
visitor, known tags, counts in range) are the services', so pages and API refuse alike."""
from marshmallow import Schema, fields, validate

from bibnet.api.schemas import Day, PaginationArgs, object_id, page_of
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.home_visits.models import PartOfDay, VisitStatus
from bibnet.tenants.home_visits.services import MAX_SERVED

GROUPS = ", ".join(group.value for group in TargetGroup)


class VisitItemSchema(Schema):
    item_id = fields.Integer(dump_only=True)
    tag = fields.String(attribute="item.tag", dump_only=True)
    direction = fields.String(dump_only=True, metadata={"description": "out (taken to the borrower) or back"})


class VisitSchema(Schema):
    id = fields.Integer(dump_only=True)
    borrower_id = object_id(required=True)
    visit_on = Day(required=True)
    part_of_day = fields.Enum(PartOfDay, by_value=True, required=True)
    staff_id = object_id(load_default=None, allow_none=True, metadata={"description": "The staff member who visits; null when a volunteer does"})
    volunteer_name = fields.String(load_default="", validate=validate.Length(max=1000), metadata={"description": "The volunteer who visits, when no staff member does"})
    status = fields.Enum(VisitStatus, by_value=True, dump_only=True)
    device_checked = fields.Boolean(dump_only=True, allow_none=True)
    outcome = fields.String(dump_only=True)
    taken_note = fields.String(dump_only=True)
    returned_note = fields.String(dump_only=True)
    served = fields.Dict(keys=fields.String(), values=fields.Integer(), dump_only=True, metadata={"description": f"People served per target group ({GROUPS})"})
    items = fields.List(fields.Nested(VisitItemSchema), dump_only=True)


class VisitLogSchema(Schema):
    held = fields.Boolean(required=True, metadata={"description": "true: held; false: missed"})
    device_checked = fields.Boolean(load_default=None, allow_none=True)
    outcome = fields.String(load_default="", validate=validate.Length(max=1000), metadata={"description": "One line, at most 300 characters"})
    taken_tags = fields.List(fields.String(validate=validate.Length(max=40)), load_default=list, validate=validate.Length(max=100), metadata={"description": "Tags of the items taken to the borrower"})
    returned_tags = fields.List(fields.String(validate=validate.Length(max=40)), load_default=list, validate=validate.Length(max=100), metadata={"description": "Tags of the items brought back"})
    taken_note = fields.String(load_default="", validate=validate.Length(max=1000))
    returned_note = fields.String(load_default="", validate=validate.Length(max=1000))
    served = fields.Dict(
        keys=fields.String(validate=validate.OneOf([group.value for group in TargetGroup])),
        values=fields.Integer(strict=True, validate=validate.Range(0, MAX_SERVED)),
        load_default=dict,
        metadata={"description": f"People served per target group ({GROUPS}); a held visit counts at least one"},
    )


class VisitArgs(PaginationArgs):
    status = fields.Enum(VisitStatus, by_value=True, load_default=None)
    staff_id = object_id(load_default=None)


VisitPageSchema = page_of(VisitSchema, "VisitPageSchema")
