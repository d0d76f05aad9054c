"""API representations of expenditure items and of the requests that create and change them.

Input schemas check types only; the rules of an item (two decimals, VAT and declared amount within the
invoice, dates within the project, duplicates, known category and currency...) are the services', so the
API, the pages and the import refuse the same things with the same messages. Money goes out as strings.
"""
from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from bibnet.api.schemas import Day, DecimalString, PaginationArgs, object_id, page_of
from bibnet.tenants.budgets.models import CostCategory
from bibnet.tenants.expenditure.models import ExpenditureStatus

NOT_AN_AMOUNT = _l("Enter an amount as a number, like \"1250.50\".")
# The services' own words (`services.check`), so the API and the pages refuse alike.
TOO_PRECISE = _l("Enter an amount with at most two decimals, like 1250.50.")
NOT_A_RATE = _l("Enter the rate to the euro (units per euro), above 0, with at most six decimals.")


def Amount(**kwargs):
    """Money: a JSON string with two decimals ("1210.00"); JSON numbers are read too (the core's `DecimalString`)."""
    return DecimalString(2, invalid=NOT_AN_AMOUNT, too_precise=TOO_PRECISE, **kwargs)


def Rate(**kwargs):
    """A conversion rate: up to six decimals."""
    return DecimalString(6, invalid=NOT_A_RATE, **kwargs)


def _text(length: int, **options):
    return fields.String(validate=validate.Length(max=length, error=_l("Enter at most {max} characters.")), **options)


def _choice(values, **options):
    """A text the services check against `values`; listed in the OpenAPI document."""
    return fields.String(metadata={"description": ", ".join(values)}, **options)


class ExpenditureSchema(Schema):
    id = fields.Integer(dump_only=True)
    project_id = fields.Integer(dump_only=True)
    period_number = fields.Integer(dump_only=True)
    category = fields.Function(lambda item: item.category.value, dump_only=True, metadata={"description": ", ".join(c.value for c in CostCategory)})
    internal_reference = fields.String(dump_only=True)
    invoice_number = fields.String(dump_only=True, allow_none=True)
    invoice_date = fields.Date(dump_only=True)
    payment_date = fields.Date(dump_only=True, allow_none=True)
    supplier = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    comment = fields.String(dump_only=True)
    invoice_total = Amount(dump_only=True)
    vat = Amount(dump_only=True, allow_none=True)
    declared_amount = Amount(dump_only=True)
    currency = fields.String(dump_only=True)
    conversion_rate = Rate(dump_only=True, allow_none=True, metadata={"description": "Units of the currency per euro; null for EUR"})
    declared_eur = Amount(dump_only=True, metadata={"description": "The declared amount in EUR, converted half-up to the cent"})
    procurement_reference = fields.String(dump_only=True)
    credit_note = fields.Boolean(attribute="is_credit_note", dump_only=True, metadata={"description": "A negative invoice total"})
    status = fields.Enum(ExpenditureStatus, by_value=True, dump_only=True)
    status_comment = fields.String(dump_only=True, metadata={"description": "The project lead's reason when rejected"})
    submitted_at = fields.DateTime(dump_only=True, allow_none=True)
    decided_at = fields.DateTime(dump_only=True, allow_none=True)
    attachments = fields.Method("_attachments", dump_only=True)

    def _attachments(self, item) -> list:
        return AttachmentSchema(many=True).dump(item.attachments)


class AttachmentSchema(Schema):
    id = fields.Integer(dump_only=True)
    filename = fields.String(attribute="file.filename", dump_only=True)
    content_type = fields.String(attribute="file.content_type", dump_only=True)
    size = fields.Integer(attribute="file.size", dump_only=True)
    download_url = fields.Function(lambda attachment: url_for("storage.download", file_id=attachment.file_id, _external=True), dump_only=True)


class ExpenditureChangeSchema(Schema):
    """The fields of an item; for a change (PATCH) only those sent change."""

    period_number = fields.Integer(strict=True, validate=validate.Range(min=1, max=1000, error=_l("Choose one of the project's reporting periods.")))
    category = _choice([c.value for c in CostCategory])
    internal_reference = fields.String(metadata={"description": "At most 30 characters"})
    invoice_number = fields.String(allow_none=True, metadata={"description": "At most 30 characters; a supplier's number appears once in the list"})
    invoice_date = Day()
    payment_date = Day(allow_none=True)
    supplier = _text(200)
    description = _text(255)
    comment = _text(255)
    invoice_total = Amount(metadata={"description": "Including VAT; negative for a credit note"})
    vat = Amount(allow_none=True)
    declared_amount = Amount(metadata={"description": "Defaults to the invoice total"})
    currency = fields.String(metadata={"description": "ISO 4217 code; EUR by default"})
    conversion_rate = Rate(allow_none=True, metadata={"description": "Units of the currency per euro, needed for a currency other than EUR"})
    procurement_reference = _text(60)


class ExpenditureInputSchema(ExpenditureChangeSchema):
    project_id = object_id(required=True, strict=True)
    period_number = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=1000, error=_l("Choose one of the project's reporting periods.")))
    category = _choice([c.value for c in CostCategory], required=True)
    invoice_date = Day(required=True)
    supplier = _text(200, required=True)
    description = _text(255, required=True)
    invoice_total = Amount(required=True, metadata={"description": "Including VAT; negative for a credit note"})


class ExpenditureArgs(PaginationArgs):
    project_id = object_id()
    period = fields.Integer(validate=validate.Range(min=1, max=1000))
    status = fields.Enum(ExpenditureStatus, by_value=True)
    category = fields.Enum(CostCategory, by_value=True)


class ExpenditureRejectSchema(Schema):
    comment = fields.String(required=True, validate=validate.Length(max=500, error=_l("Enter at most {max} characters.")), metadata={"description": "Why: the partner reads it"})


class AttachmentUploadSchema(Schema):
    files = fields.List(fields.Raw(metadata={"type": "string", "format": "binary"}), metadata={"description": "One or more files: PDF, images or office documents"})


ExpenditurePageSchema = page_of(ExpenditureSchema, "ExpenditurePageSchema")
