"""API representations of partner organisations and their agreements. Input schemas check types and lengths;
the rules (a unique name, expiry not before signing) are the services', so pages and API refuse alike."""
from flask import url_for
from marshmallow import Schema, fields, validate

from bibnet.api.schemas import Day, PaginationArgs, page_of
from bibnet.tenants.organisations.models import OrganisationKind


class OrganisationSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(max=1000))
    kind = fields.Enum(OrganisationKind, by_value=True, required=True)
    address = fields.String(load_default="", validate=validate.Length(max=1000))
    contact_person = fields.String(load_default="", validate=validate.Length(max=1000), metadata={"description": "Someone acting for the organisation; erased a while after it is deactivated"})
    phone = fields.String(load_default="", validate=validate.Length(max=1000))
    email = fields.String(load_default="", validate=validate.Length(max=1000))
    notes = fields.String(load_default="", validate=validate.Length(max=5000))
    active = fields.Boolean(dump_only=True)


class ActiveSchema(Schema):
    active = fields.Boolean(required=True, metadata={"description": "false: deactivate (left out of choices); true: active again"})


class AgreementSchema(Schema):
    id = fields.Integer(dump_only=True)
    organisation_id = fields.Integer(dump_only=True)
    parties = fields.String(required=True, validate=validate.Length(max=1000))
    signed_on = Day(required=True)
    expires_on = Day(load_default=None, allow_none=True, metadata={"description": "Null: open-ended"})
    scope = fields.String(load_default="", validate=validate.Length(max=5000))
    document_url = fields.Function(
        lambda agreement: url_for("storage.download", file_id=agreement.document_id, _external=True) if agreement.document_id else None,
        dump_only=True, allow_none=True, metadata={"description": "The signed document (POST it to …/agreements/<id>/document)"},
    )


class DocumentUploadSchema(Schema):
    document = fields.Raw(required=True, metadata={"type": "string", "format": "binary", "description": "The signed agreement: PDF, JPEG or PNG"})


class OrganisationArgs(PaginationArgs):
    active = fields.Boolean(load_default=True)


OrganisationPageSchema = page_of(OrganisationSchema, "OrganisationPageSchema")
AgreementPageSchema = page_of(AgreementSchema, "AgreementPageSchema")
