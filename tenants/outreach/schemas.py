"""API representations of the services at home and remote and of the needs estimates. Input schemas check types;
the rules (a staff member of the library, a day not in the future, counts in range) are the services'."""
from marshmallow import Schema, fields, validate

from bibnet.api.schemas import Day, PaginationArgs, object_id, page_of
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.outreach.models import ServiceKind
from bibnet.tenants.outreach.services import MAX_PEOPLE, MAX_SERVED

GROUPS = ", ".join(group.value for group in TargetGroup)


class ServiceSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.Enum(ServiceKind, by_value=True, required=True)
    given_on = Day(required=True)
    staff_id = object_id(required=True, allow_none=True, metadata={"description": "The staff member who gave the service"})
    note = fields.String(load_default="", validate=validate.Length(max=1000), metadata={"description": "One line about the service, at most 300 characters; never about a person"})
    served = fields.Dict(
        keys=fields.String(validate=validate.OneOf([group.value for group in TargetGroup])),
        values=fields.Integer(strict=True, validate=validate.Range(0, MAX_SERVED)),
        required=True,
        metadata={"description": f"People served per target group ({GROUPS}); at least one in all"},
    )


class ServiceArgs(PaginationArgs):
    month = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4}-\d{2}$"), metadata={"description": "A month, like 2026-11"})
    kind = fields.Enum(ServiceKind, by_value=True, load_default=None)


class NeedSchema(Schema):
    id = fields.Integer(dump_only=True)
    target_group = fields.Enum(TargetGroup, by_value=True, required=True)
    people = fields.Integer(strict=True, required=True, validate=validate.Range(0, MAX_PEOPLE), metadata={"description": "How many people may need the services: a count, never names"})
    source = fields.String(required=True, validate=validate.Length(max=1000))
    estimated_on = Day(required=True)


ServicePageSchema = page_of(ServiceSchema, "OutreachServicePageSchema")
NeedPageSchema = page_of(NeedSchema, "NeedEstimatePageSchema")
