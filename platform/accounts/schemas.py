"""API representations of users, memberships and tenants."""
from marshmallow import Schema, fields

from bibnet.api.schemas import page_of


class TenantSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    country = fields.String(required=True)
    default_locale = fields.String(required=True)
    timezone = fields.String(required=True)


class MeSchema(Schema):
    id = fields.Integer(required=True)
    email = fields.Email(required=True)
    name = fields.String(required=True)
    locale = fields.String(allow_none=True)
    is_admin = fields.Boolean(required=True)


class MyTenantSchema(Schema):
    tenant = fields.Nested(TenantSchema, required=True)
    role = fields.String(required=True, metadata={"description": "coordinator, staff or lead"})


class MyTenantsSchema(Schema):
    items = fields.List(fields.Nested(MyTenantSchema), required=True)


class MemberSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "The membership's id"})
    email = fields.Email(required=True, attribute="user.email")
    name = fields.String(required=True, attribute="user.name")
    role = fields.String(required=True)
    active = fields.Boolean(required=True)


MemberPageSchema = page_of(MemberSchema, "MemberPageSchema")
