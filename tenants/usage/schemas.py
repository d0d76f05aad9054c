"""API schemas of the usage figures. Hours and percentages are decimal strings with one decimal ("12.5").

In a project's figures (read across tenants) every count from 1 to 4 is the string "<5".
"""
from marshmallow import Schema, fields, validate

from bibnet.api.schemas import DecimalString
from bibnet.figures import SMALL_COUNT
from bibnet.tenants.bookings.models import VISITOR_KINDS
from bibnet.tenants.usage.figures import COUNT, MEASURES

FIRST_YEAR, LAST_YEAR = 2000, 2100


class YearArgs(Schema):
    year = fields.Integer(
        load_default=None,
        validate=validate.Range(min=FIRST_YEAR, max=LAST_YEAR),
        metadata={"description": "The calendar year, months in the tenant's time zone; this year by default."},
    )


def _decimal(description: str):
    return DecimalString(1, allow_none=True, metadata={"description": description})


class _SmallCount(fields.Field):
    """A count, or "<5" for a count from 1 to 4."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value


def _count(across_tenants: bool):
    if across_tenants:
        return _SmallCount(
            required=True,
            metadata={
                "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": [SMALL_COUNT]}],
                "description": "A count; from 1 to 4 it is shown as \"<5\" (figures across tenants).",
            },
        )
    return fields.Integer(required=True)


def _measures_fields(across_tenants: bool) -> dict:
    descriptions = {
        "no_show_rate": "No-shows among the sessions held or missed, in %; null without any"
        + (" or when it would reveal a count below 5." if across_tenants else "."),
        "hours_booked": "Hours of the sessions that held the room (confirmed, held or missed).",
        "open_hours": "Opening hours over the month's days, closures left out.",
        "utilisation": "Hours booked against open hours, in %; null when the room was not open.",
    }
    result = {}
    for measure in MEASURES:
        if measure.key in VISITOR_KINDS:
            continue
        result[measure.key] = _count(across_tenants) if measure.kind == COUNT else _decimal(descriptions[measure.key])
    visitors = type(
        "SmallVisitorsSchema" if across_tenants else "VisitorsSchema",
        (Schema,),
        {kind: _count(across_tenants) for kind in VISITOR_KINDS},
    )
    result["visitors"] = fields.Nested(visitors, required=True, metadata={"description": "Who came, per target group, and the carers."})
    return result


MeasuresSchema = type("MeasuresSchema", (Schema,), _measures_fields(across_tenants=False))
SmallMeasuresSchema = type("SmallMeasuresSchema", (Schema,), _measures_fields(across_tenants=True))


class _MonthFields(Schema):
    month = fields.String(required=True, metadata={"description": "YYYY-MM", "example": "2025-03"})
    first_day = fields.Date(required=True)
    last_day = fields.Date(required=True)


class MonthSchema(_MonthFields, MeasuresSchema):
    pass


class SmallMonthSchema(_MonthFields, SmallMeasuresSchema):
    pass


class RoomUsageSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    library = fields.String(required=True)
    months = fields.List(fields.Nested(MonthSchema), required=True)
    total = fields.Nested(MeasuresSchema, required=True)


class TenantUsageSchema(Schema):
    year = fields.Integer(required=True)
    rooms = fields.List(fields.Nested(RoomUsageSchema), required=True)
    months = fields.List(fields.Nested(MonthSchema), required=True, metadata={"description": "All rooms, per month."})
    total = fields.Nested(MeasuresSchema, required=True)


class PartnerUsageSchema(Schema):
    code = fields.String(required=True, metadata={"example": "LP1"})
    tenant = fields.String(required=True, metadata={"description": "The partner municipality's name."})
    months = fields.List(fields.Nested(SmallMonthSchema), required=True)
    total = fields.Nested(SmallMeasuresSchema, required=True)


class ProjectUsageSchema(Schema):
    project = fields.String(required=True, metadata={"description": "The project's acronym."})
    year = fields.Integer(required=True)
    partners = fields.List(fields.Nested(PartnerUsageSchema), required=True)
    total = fields.Nested(SmallMeasuresSchema, required=True, metadata={"description": "All partners together."})
