"""API representations of programmes, their sessions, registrations and attendance. Input schemas check types
and lengths; the rules (staff, partner libraries, the room's bookings, places and the waitlist) are the
services' and `registrations`', so pages and API refuse alike. Times go out in the library's time zone."""
from marshmallow import Schema, fields, validate

from bibnet.api.schemas import Day, PaginationArgs, object_id, page_of
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.bookings.schemas import TenantDateTime, _choice, _text, _time
from bibnet.tenants.programmes.labels import LANGUAGES
from bibnet.tenants.programmes.models import AccessNeed, Mark, Place, ProgrammeKind, RegistrationStatus
from bibnet.tenants.programmes.registrations import MAX_COMPANIONS, MAX_GROUP_SIZE
from bibnet.tenants.programmes.services import DESCRIPTION_LENGTH, MAX_CAPACITY, MAX_COUNT, MAX_WEEKS, TITLE_LENGTH

GROUPS = ", ".join(group.value for group in TargetGroup)


def _texts(length: int, **options):
    return fields.Dict(
        keys=fields.String(validate=validate.OneOf(LANGUAGES)), values=fields.String(validate=validate.Length(max=length)),
        metadata={"description": "Text per language (en, lv, lt)"}, **options,
    )


class ProgrammeSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = _choice(ProgrammeKind, required=True)
    title = _texts(TITLE_LENGTH, required=True)
    description = _texts(DESCRIPTION_LENGTH, load_default=dict)
    target_groups = fields.List(fields.String(validate=validate.OneOf([group.value for group in TargetGroup])), load_default=list, validate=validate.Length(max=len(TargetGroup)), metadata={"description": GROUPS})
    organiser_id = object_id(load_default=None, allow_none=True, metadata={"description": "A staff member of the library"})
    capacity = fields.Integer(strict=True, load_default=None, allow_none=True, validate=validate.Range(1, MAX_CAPACITY), metadata={"description": "Places (participants and companions); null: no limit"})
    public = fields.Boolean(load_default=False)
    registration_open = fields.Boolean(load_default=True)
    partner_tenant_ids = fields.List(object_id(), load_default=list, validate=validate.Length(max=50), metadata={"description": "Partner libraries of the library's projects taking part"})
    organisation_ids = fields.List(object_id(), load_default=list, validate=validate.Length(max=50), metadata={"description": "Co-organising organisations"})
    cross_border = fields.Boolean(dump_only=True, metadata={"description": "The libraries involved are in two countries"})
    cancelled_at = fields.DateTime(dump_only=True, allow_none=True)


class ProgrammeOutSchema(ProgrammeSchema):
    partner_tenant_ids = fields.Function(lambda programme: [partner.partner_tenant_id for partner in programme.partners], dump_only=True)
    organisation_ids = fields.Function(lambda programme: [row.organisation_id for row in programme.co_organisers], dump_only=True)


class ProgrammeSessionSchema(Schema):
    id = fields.Integer(dump_only=True)
    place = _choice(Place, required=True)
    first_date = Day(required=True, load_only=True)
    start_time = _time(required=True, load_only=True)
    end_time = _time(required=True, load_only=True)
    weeks = fields.Integer(strict=True, load_default=1, load_only=True, validate=validate.Range(1, MAX_WEEKS), metadata={"description": "1, or a weekly series of this many sessions"})
    room_id = object_id(load_default=None, allow_none=True)
    address = _text(1000, load_default="")
    organisation_id = object_id(load_default=None, allow_none=True)
    online_url = _text(1000, load_default="")
    starts_at = TenantDateTime(dump_only=True)
    ends_at = TenantDateTime(dump_only=True)
    occurrence_id = fields.Integer(dump_only=True, allow_none=True)
    cancelled_at = fields.DateTime(dump_only=True, allow_none=True)


class ProgrammeRegistrationSchema(Schema):
    id = fields.Integer(dump_only=True)
    status = fields.Enum(RegistrationStatus, by_value=True, dump_only=True)
    is_group = fields.Boolean(load_default=False)
    name = _text(1000, load_default="")
    phone = _text(1000, load_default="")
    email = _text(1000, load_default="")
    group_size = fields.Integer(strict=True, load_default=1, validate=validate.Range(1, MAX_GROUP_SIZE))
    companions = fields.Integer(strict=True, load_default=0, validate=validate.Range(0, MAX_COMPANIONS))
    places = fields.Integer(dump_only=True)
    needs = fields.List(fields.Enum(AccessNeed, by_value=True), load_default=list, load_only=True, validate=validate.Length(max=len(AccessNeed)), metadata={"description": "Counted for the programme, never stored on the registration"})
    locale = fields.String(load_default="lv", validate=validate.OneOf(LANGUAGES))
    referred_by_id = object_id(load_default=None, allow_none=True)
    erased_at = fields.DateTime(dump_only=True, allow_none=True)
    promoted_at = fields.DateTime(dump_only=True, allow_none=True)


class ProgrammeRegistrationArgs(PaginationArgs):
    status = fields.Enum(RegistrationStatus, by_value=True, load_default=None)


class CancelledProgrammeRegistrationSchema(Schema):
    cancelled = fields.Nested(ProgrammeRegistrationSchema, required=True)
    promoted = fields.List(fields.Nested(ProgrammeRegistrationSchema), required=True, metadata={"description": "Registrations moved up from the waitlist"})


class ProgrammeMarkSchema(Schema):
    registration_id = object_id(required=True)
    mark = fields.Enum(Mark, by_value=True, required=True)
    present = fields.Integer(strict=True, load_default=None, allow_none=True, validate=validate.Range(0, MAX_GROUP_SIZE), metadata={"description": "How many of a group came"})


class ProgrammeAttendanceSchema(Schema):
    marks = fields.List(fields.Nested(ProgrammeMarkSchema), load_default=list, validate=validate.Length(max=1000))
    attended = fields.Dict(
        keys=fields.String(validate=validate.OneOf([group.value for group in TargetGroup])),
        values=fields.Integer(strict=True, allow_none=True, validate=validate.Range(0, MAX_COUNT)),
        load_default=dict, metadata={"description": f"People who came per target group ({GROUPS}); null: not counted"},
    )


class ProgrammePlacesSchema(Schema):
    registered = fields.Integer()
    registered_places = fields.Integer()
    waitlisted = fields.Integer()
    waitlisted_places = fields.Integer()
    capacity = fields.Integer(allow_none=True)
    needs = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": "Access needs counted (how many, never who)"})


ProgrammePageSchema = page_of(ProgrammeOutSchema, "ProgrammePageSchema")
SessionPageSchema = page_of(ProgrammeSessionSchema, "ProgrammeSessionPageSchema")
RegistrationPageSchema = page_of(ProgrammeRegistrationSchema, "ProgrammeRegistrationPageSchema")
