"""Schemas shared by every API endpoint: the pagination arguments and the page envelope."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from bibnet.web.pagination import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE
from bibnet.web.urls import LARGEST_ID


def object_id(**options) -> fields.Integer:
    """A field naming a row by its id: a whole number that an id column can hold (else a field error, not a
    database overflow)."""
    return fields.Integer(validate=validate.Range(min=1, max=LARGEST_ID, error=_l("Enter the id of an existing item.")), **options)


class PaginationArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE, error=_l("Enter a page number from {min} to {max}.")))
    per_page = fields.Integer(load_default=DEFAULT_PER_PAGE, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class PageSchema(Schema):
    """`{"items": [...], "page": 1, "per_page": 20, "total": 57, "pages": 3}`"""

    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)


def page_of(item_schema, name: str):
    """A page envelope schema for `item_schema` items."""
    return type(name, (PageSchema,), {"items": fields.List(fields.Nested(item_schema), required=True)})
