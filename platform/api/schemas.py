"""Schemas shared by every API endpoint: ids, exact decimal numbers, the problem+json body, the pagination
arguments and the page envelope."""
import decimal

from flask_babel import lazy_gettext as _l
from marshmallow import INCLUDE, Schema, ValidationError, fields, validate

from bibnet.web.fields import date_out_of_bounds
from bibnet.web.pagination import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE
from bibnet.web.urls import LARGEST_ID


def object_id(**options) -> fields.Integer:
    """A field naming a row by its id: a whole number that an id column can hold (else a field error, not a
    database overflow)."""
    return fields.Integer(validate=validate.Range(min=1, max=LARGEST_ID, error=_l("Enter the id of an existing item.")), **options)


TWO_DECIMALS_MESSAGE = _l("Enter a number with at most two decimals, like 1250.50.")
# More digits before the point are no amount, and would overflow quantize's precision.
MAX_WHOLE_DIGITS = 15


class DecimalString(fields.Decimal):
    """An exact number, written as a JSON string with `places` decimals ("1250.50", money and rates with two).
    Read from a string or a JSON number, never rounded on the way in: more decimals than `places` are refused
    with `too_precise`, what is no number (or has more than 15 digits before the point) with `invalid`; minus
    zero is read as zero.
    Documented as a string with format `decimal` and a pattern, so clients never parse it as a float."""

    def __init__(self, places: int = 2, *, invalid=TWO_DECIMALS_MESSAGE, too_precise=None, **kwargs):
        self.invalid_message, self.too_precise_message = invalid, too_precise or invalid
        metadata = kwargs.setdefault("metadata", {})
        metadata.update(type="string", format="decimal", pattern=rf"^-?\d+\.\d{{{places}}}$")
        metadata.setdefault("example", "1250.50" if places == 2 else f"12.{'5' * places}")
        super().__init__(places=places, as_string=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            exact = None if isinstance(value, bool) else decimal.Decimal(value if isinstance(value, str) else str(value))
        except (decimal.InvalidOperation, ValueError, TypeError):
            exact = None
        if exact is None or not exact.is_finite() or exact.adjusted() >= MAX_WHOLE_DIGITS:
            raise ValidationError(str(self.invalid_message))
        if exact != exact.quantize(self.places):
            raise ValidationError(str(self.too_precise_message))
        return exact.copy_abs() if exact.is_zero() else exact  # "-0" is zero, never stored or echoed with a sign


class ProblemSchema(Schema):
    """An RFC 9457 problem details body (`application/problem+json`), the answer to every refused API request."""

    class Meta:
        unknown = INCLUDE  # extension members, e.g. a booking conflict's `conflicts`

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True, metadata={"description": "What went wrong, in the caller's language"})
    status = fields.Integer(required=True, metadata={"description": "The HTTP status code"})
    detail = fields.String(metadata={"description": "What to do about it"})
    errors = fields.Dict(
        keys=fields.String(),
        metadata={
            "description": "Field errors by location (json, query, files), then by field name: a list of messages, or nested errors for lists and objects"
        },
    )


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
