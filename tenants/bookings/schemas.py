"""API representations of bookings and occurrences, and of the requests that create and change them.

Input schemas check types and sizes only; the booking rules (hours, notice, capacity, counts...) are checked by
`services`, so that the API and the pages refuse the same things with the same messages. Times go out in the
tenant's time zone as ISO 8601 with their offset; dates and wall-clock times in are the tenant's local ones.
"""

from flask import g
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from bibnet.access import allowed
from bibnet.api.schemas import Day, PaginationArgs, object_id, page_of
from bibnet.tenants.bookings.models import VISITOR_KINDS, Activity, Status
from bibnet.tenants.bookings.recurrence import Frequency, to_local
from bibnet.tenants.bookings.services import reason_text


class TranslatedErrors:
    """For fields whose own messages are lazily translated: marshmallow formats and wraps plain strings only."""

    def make_error(self, key: str, **kwargs) -> ValidationError:
        message = self.error_messages[key]
        return ValidationError(message.format(**kwargs) if isinstance(message, str) else str(message))


class LocalTime(TranslatedErrors, fields.Time):
    pass


class Choice(TranslatedErrors, fields.Enum):
    pass


def _date(**options):
    return Day(**options)


def _time(**options):
    return LocalTime(
        format="%H:%M", error_messages={"invalid": _l("Enter a time in the format HH:MM, like 09:30.")}, metadata={"example": "10:00"}, **options
    )


def _text(length: int, **options):
    return fields.String(validate=validate.Length(max=length, error=_l("Enter at most {max} characters.")), **options)


def _choice(enum_class, **options):
    choices = ", ".join(member.value for member in enum_class)
    return Choice(
        enum_class,
        by_value=True,
        error_messages={"unknown": _l("Choose one of: %(choices)s.", choices=choices)},
        metadata={"description": choices},
        **options,
    )


def _counts(**options) -> dict:
    """One whole-number field per target group, and carers. Negative or too large numbers are refused by the services."""
    return {kind: fields.Integer(strict=True, **options) for kind in VISITOR_KINDS}


class TenantDateTime(fields.DateTime):
    """An instant shown in the tenant's time zone, with its offset (stored in UTC)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else to_local(value, g.tenant.timezone).isoformat()


class ForBookers(fields.String):
    """Who organised a booking, and staff's notes, are shown to the library's own staff only: a project lead
    reading every partner's calendar sees sessions and counts, not people (null for them)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(value, attr, obj, **kwargs) if allowed("bookings.book") else None


CountsSchema = Schema.from_dict(_counts(required=True), name="CountsSchema")
ExpectedInputSchema = Schema.from_dict(_counts(load_default=0), name="ExpectedInputSchema")
ExpectedChangeSchema = Schema.from_dict(_counts(), name="ExpectedChangeSchema")


# Output -------------------------------------------------------------------------------------------------------------


class OccurrenceSchema(Schema):
    id = fields.Integer(required=True)
    booking_id = fields.Integer(required=True)
    room_id = fields.Integer(required=True)
    starts_at = TenantDateTime(required=True)
    ends_at = TenantDateTime(required=True)
    status = fields.Enum(Status, by_value=True, required=True)
    status_reason = fields.Function(lambda occurrence: reason_text(occurrence.status_reason), required=True)
    moved = fields.Boolean(required=True, metadata={"description": "Whether this session was moved from where its series put it"})
    attended = fields.Nested(
        CountsSchema, allow_none=True, required=True, metadata={"description": "Visitors per target group and carers; null until recorded"}
    )


OccurrencePageSchema = page_of(OccurrenceSchema, "OccurrencePageSchema")


class RuleSchema(Schema):
    frequency = fields.Enum(Frequency, by_value=True, required=True)
    interval = fields.Integer(required=True)
    weekdays = fields.Function(lambda rule: sorted(rule.weekdays), required=True, metadata={"description": "0 = Monday"})
    first_date = fields.Date(required=True)
    until = fields.Date(allow_none=True, required=True)
    count = fields.Integer(allow_none=True, required=True)


class BookingSchema(Schema):
    id = fields.Integer(required=True)
    room_id = fields.Integer(required=True)
    activity = fields.Enum(Activity, by_value=True, required=True)
    title = fields.String(required=True)
    responsible_id = fields.Integer(required=True)
    rule = fields.Nested(RuleSchema, required=True)
    last_date = fields.Date(required=True)
    start_time = fields.Time(format="%H:%M", required=True)
    end_time = fields.Time(format="%H:%M", required=True)
    expected = fields.Nested(CountsSchema, required=True)
    organiser_name = ForBookers(allow_none=True, required=True)
    organiser_contact = ForBookers(allow_none=True, required=True, metadata={"description": "Erased some days after the last session"})
    internal_note = ForBookers(allow_none=True, required=True)


BookingPageSchema = page_of(BookingSchema, "BookingPageSchema")


class BookingDetailSchema(BookingSchema):
    occurrences = fields.List(fields.Nested(OccurrenceSchema), required=True)


class ConflictSchema(Schema):
    date = fields.Date(required=True)
    starts_at = TenantDateTime(required=True)
    ends_at = TenantDateTime(required=True)
    reason = fields.String(required=True, metadata={"description": "taken, closed or outside_hours"})
    taken_from = TenantDateTime(allow_none=True, required=True, metadata={"description": "When the session holding the room starts"})
    taken_until = TenantDateTime(allow_none=True, required=True, metadata={"description": "When the session holding the room ends"})


class ConflictProblemSchema(Schema):
    """The problem+json body of a 409: the requested dates the room is not free on."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    conflicts = fields.List(fields.Nested(ConflictSchema), required=True)


# Input --------------------------------------------------------------------------------------------------------------


class PeriodArgs(PaginationArgs):
    room_id = object_id()
    from_ = _date(data_key="from", metadata={"description": "First local date, inclusive"})
    to = _date(metadata={"description": "Last local date, inclusive"})

    @validates_schema
    def _in_order(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
            raise ValidationError(_l("The last date must be on or after the first date."), "to")


class OccurrenceArgs(PeriodArgs):
    status = _choice(Status)


class BookingInputSchema(Schema):
    room_id = object_id(required=True)
    activity = _choice(Activity, required=True)
    title = _text(120, required=True)
    responsible_id = object_id(metadata={"description": "Defaults to the caller"})
    first_date = _date(required=True)
    start_time = _time(required=True)
    end_time = _time(required=True)
    frequency = _choice(Frequency, load_default=Frequency.ONCE)
    interval = fields.Integer(strict=True, load_default=1)
    weekdays = fields.List(fields.Integer(strict=True), load_default=list, metadata={"description": "0 = Monday; weekly series only"})
    until = _date(allow_none=True, load_default=None)
    count = fields.Integer(strict=True, allow_none=True, load_default=None)
    expected = fields.Nested(ExpectedInputSchema, load_default=dict)
    organiser_name = _text(120, allow_none=True, load_default=None)
    organiser_contact = _text(200, allow_none=True, load_default=None, metadata={"description": "A phone number or an e-mail address"})
    internal_note = _text(2000, load_default="")
    skip_unavailable = fields.Boolean(
        load_default=False, metadata={"description": "Book the free dates of a series and skip the others (else the request is refused)"}
    )


class BookingChangeSchema(Schema):
    activity = _choice(Activity)
    title = _text(120)
    responsible_id = object_id()
    expected = fields.Nested(ExpectedChangeSchema)
    organiser_name = _text(120)
    organiser_contact = _text(200)
    internal_note = _text(2000)


class MoveSchema(Schema):
    date = _date(required=True)
    start_time = _time(required=True)
    end_time = _time(required=True)


class CancelSchema(Schema):
    reason = _text(300, load_default="")


class RejectSchema(Schema):
    reason = _text(300, required=True)


class AttendanceSchema(Schema.from_dict(_counts(load_default=0), name="AttendanceCountsSchema")):
    no_show = fields.Boolean(load_default=False, metadata={"description": "Nobody came; give no counts then"})

    @validates_schema
    def _counts_or_no_show(self, data, **kwargs):
        if data["no_show"] and any(data[kind] for kind in VISITOR_KINDS):
            raise ValidationError(_l("Record either the visitors or a no-show, not both."), "no_show")
