"""Schemas shared by every API endpoint: the pagination arguments and the page envelope."""
from marshmallow import Schema, fields, validate

from bibnet.web.pagination import DEFAULT_PER_PAGE, MAX_PER_PAGE


class PaginationArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=DEFAULT_PER_PAGE, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class PageSchema(Schema):
    """`{"items": [...], "page": 1, "per_page": 20, "total": 57, "pages": 3}`"""

    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class WholeNested(fields.Nested):
    """A nested object that must be whole even in a PATCH: `partial` applies to the outer object's fields,
    never to the objects inside it (an opening interval without its closing time is no interval)."""

    def _deserialize(self, value, attr, data, partial=None, **kwargs):
        return super()._deserialize(value, attr, data, partial=None, **kwargs)


def page_of(item_schema, name: str):
    """A page envelope schema for `item_schema` items."""
    return type(name, (PageSchema,), {"items": fields.List(fields.Nested(item_schema), required=True)})
