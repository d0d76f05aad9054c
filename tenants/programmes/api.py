"""API: programmes, their sessions, registrations (the waitlist's rules are `registrations`') and attendance.
Writes go through the services and are committed here on success; their refusals are the core's problem+json
(422 with field errors; 409 for a taken room, a cancelled programme or registration)."""
from flask_login import current_user
from flask_smorest import Blueprint
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.access import allowed, require
from bibnet.api.schemas import PaginationArgs
from bibnet.extensions import db
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.programmes import lookups, registrations, services  # noqa: F401  (lookups: the URL's programme, session, registration)
from bibnet.tenants.programmes.models import Mark, Programme, ProgrammeNeed, ProgrammeSession, Registration, attended_column
from bibnet.tenants.programmes.schemas import (
    CancelledProgrammeRegistrationSchema,
    ProgrammeAttendanceSchema,
    ProgrammeOutSchema,
    ProgrammePageSchema,
    ProgrammePlacesSchema,
    ProgrammeRegistrationArgs,
    ProgrammeRegistrationSchema,
    ProgrammeSchema,
    ProgrammeSessionSchema,
    RegistrationPageSchema,
    SessionPageSchema,
)
from bibnet.web.pagination import paginate

blp = Blueprint("api_programmes", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Programmes: clubs, class series, workshops, events; sessions, registrations, attendance")
CONFLICT = {"description": "Cancelled already, or the room is not free then"}


def _with_links(query):
    return query.options(selectinload(Programme.partners), selectinload(Programme.co_organisers))


def _programme(programme_id: int) -> Programme:
    return db.session.scalar(_with_links(sa.select(Programme).where(Programme.id == programme_id)))


@blp.route("/programmes")
@require("programmes.view")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, ProgrammePageSchema)
def list_programmes(page, per_page):
    """Programmes, the latest first"""
    return paginate(_with_links(sa.select(Programme)).order_by(Programme.created_at.desc(), Programme.id.desc()), page=page, per_page=per_page)


@blp.route("/programmes", methods=["POST"])
@require("programmes.manage")
@blp.arguments(ProgrammeSchema)
@blp.response(201, ProgrammeOutSchema)
def create_programme(data):
    """Create a programme: kind, title and description per language, target groups, organiser, capacity, partner libraries, co-organisers"""
    programme = services.save_programme(services.ProgrammeInput(**data))
    db.session.commit()
    return _programme(programme.id)


@blp.route("/programmes/<int:programme_id>")
@require("programmes.view")
@blp.response(200, ProgrammeOutSchema)
def get_programme(programme):
    """One programme"""
    return _programme(programme.id)


@blp.route("/programmes/<int:programme_id>", methods=["PUT"])
@require("programmes.manage")
@blp.arguments(ProgrammeSchema)
@blp.response(200, ProgrammeOutSchema)
@blp.alt_response(409, **CONFLICT)
def update_programme(data, programme):
    """Change a programme (all of it); a larger capacity moves the waitlist up"""
    services.save_programme(services.ProgrammeInput(**data), programme)
    db.session.commit()
    db.session.expire_all()
    return _programme(programme.id)


@blp.route("/programmes/<int:programme_id>/cancel", methods=["POST"])
@require("programmes.manage")
@blp.response(200, ProgrammeOutSchema)
@blp.alt_response(409, **CONFLICT)
def cancel_programme(programme):
    """Cancel a programme and its sessions still to come (room bookings with them)"""
    services.cancel_programme(programme, current_user)
    db.session.commit()
    return _programme(programme.id)


@blp.route("/programmes/<int:programme_id>/places")
@require("programmes.view")
@blp.response(200, ProgrammePlacesSchema)
def get_places(programme):
    """Places used of the capacity, the waitlist, and the access needs counted (never who)"""
    needs = {row.need.value: row.count for row in db.session.scalars(sa.select(ProgrammeNeed).where(ProgrammeNeed.programme_id == programme.id))}
    return {**services.registration_counts(programme), "capacity": programme.capacity, "needs": needs}


@blp.route("/programmes/<int:programme_id>/sessions")
@require("programmes.view")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, SessionPageSchema)
def list_sessions(page, per_page, programme):
    """A programme's sessions, the earliest first"""
    return paginate(sa.select(ProgrammeSession).where(ProgrammeSession.programme_id == programme.id).order_by(ProgrammeSession.starts_at, ProgrammeSession.id), page=page, per_page=per_page)


@blp.route("/programmes/<int:programme_id>/sessions", methods=["POST"])
@require("programmes.manage")
@blp.arguments(ProgrammeSessionSchema)
@blp.response(201, ProgrammeSessionSchema(many=True))
@blp.alt_response(409, **CONFLICT)
def add_sessions(data, programme):
    """Add a session or a weekly series: in a room (booked through its calendar), at an address, a care home or online"""
    added = services.add_sessions(programme, services.SessionInput(**data), current_user, may_approve=allowed("bookings.approve"))
    db.session.commit()
    return added


@blp.route("/programmes/<int:programme_id>/sessions/<int:programme_session_id>/cancel", methods=["POST"])
@require("programmes.manage")
@blp.response(200, ProgrammeSessionSchema)
@blp.alt_response(409, **CONFLICT)
def cancel_session(programme, programme_session):
    """Cancel a session still to come (its room booking with it)"""
    services.cancel_session(programme_session, current_user)
    db.session.commit()
    return programme_session


@blp.route("/programmes/<int:programme_id>/registrations")
@require("programmes.manage")
@blp.arguments(ProgrammeRegistrationArgs, location="query", as_kwargs=True)
@blp.response(200, RegistrationPageSchema)
def list_registrations(page, per_page, status, programme):
    """A programme's registrations in the order they came; filter status"""
    query = sa.select(Registration).where(Registration.programme_id == programme.id).order_by(Registration.id)
    if status is not None:
        query = query.where(Registration.status == status)
    return paginate(query, page=page, per_page=per_page)


@blp.route("/programmes/<int:programme_id>/registrations", methods=["POST"])
@require("programmes.manage")
@blp.arguments(ProgrammeRegistrationSchema)
@blp.response(201, ProgrammeRegistrationSchema)
def register(data, programme):
    """Register a person (name and a phone or e-mail) or a counted group for the whole programme: registered while places are free, else waitlisted"""
    registration = registrations.register(programme, registrations.RegistrationRequest(**{**data, "needs": frozenset(data["needs"])}))
    db.session.commit()
    return registration


@blp.route("/programmes/<int:programme_id>/registrations/<int:programme_registration_id>/cancel", methods=["POST"])
@require("programmes.manage")
@blp.response(200, CancelledProgrammeRegistrationSchema)
@blp.alt_response(409, **CONFLICT)
def cancel_registration(programme, registration):
    """Cancel a registration; the earliest waiting registrations that fit move up"""
    promoted = registrations.cancel(registration)
    db.session.commit()
    return {"cancelled": registration, "promoted": promoted}


@blp.route("/programmes/<int:programme_id>/sessions/<int:programme_session_id>/attendance")
@require("programmes.manage")
@blp.response(200, ProgrammeAttendanceSchema)
def get_attendance(programme, programme_session):
    """A session's roster marks and the people who came per target group"""
    return _attendance(programme_session)


@blp.route("/programmes/<int:programme_id>/sessions/<int:programme_session_id>/attendance", methods=["PUT"])
@require("programmes.manage")
@blp.arguments(ProgrammeAttendanceSchema)
@blp.response(200, ProgrammeAttendanceSchema)
@blp.alt_response(409, **CONFLICT)
def record_attendance(data, programme, programme_session):
    """Mark registrations present, excused or absent (and how many of a group came), and count who came per target group"""
    marks = {row["registration_id"]: Mark(row["mark"]) for row in data["marks"]}
    present = {row["registration_id"]: row["present"] for row in data["marks"] if row["present"] is not None}
    services.record_roster(programme_session, services.RosterInput(marks=marks, present=present, attended=data["attended"]), current_user)
    db.session.commit()
    return _attendance(programme_session)


def _attendance(session: ProgrammeSession) -> dict:
    marks = [{"registration_id": registration_id, "mark": row.mark, "present": row.present} for registration_id, row in sorted(services.marks_of(session).items())]
    return {"marks": marks, "attended": {group.value: getattr(session, attended_column(group)) for group in TargetGroup}}

