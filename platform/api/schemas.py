"""Schemas shared by every API endpoint: the pagination arguments and the page envelope."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

from bibnet.web.fields import date_out_of_bounds
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


class Day(fields.Date):
    """A date (YYYY-MM-DD) within `bibnet.web.fields.date_bounds`, as every date typed on a page: use it for
    every date the API reads."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        message = date_out_of_bounds(day, iso=True)
        if message:
            raise ValidationError(message)
        return day


class WholeNested(fields.Nested):
    """A nested object that must be whole even in a PATCH: `partial` applies to the outer object's fields,
    never to the objects inside it (an opening interval without its closing time is no interval)."""

    def _deserialize(self, value, attr, data, partial=None, **kwargs):
        return super()._deserialize(value, attr, data, partial=None, **kwargs)


def page_of(item_schema, name: str):
    """A page envelope schema for `item_schema` items."""
    return type(name, (PageSchema,), {"items": fields.List(fields.Nested(item_schema), required=True)})
