"""The only code that creates and changes programmes, their sessions and their rosters; pages, the API and the
demo call it. Registering and cancelling registrations (places, the waitlist) is `registrations`' alone.

Services check first and raise `Refused` (field errors named as in the API's request bodies); they never
commit. Sessions in a sensory room are booked through the bookings feature's services, so the room's rules
(opening hours, closures, no overlap) hold and refuse as they do for any booking.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from babel import dates as babel_dates
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.accounts.models import Membership
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.refusals import Refused, refuse_if_any
from bibnet.tenancy.context import current_tenant_id
from bibnet.tenancy.models import Partner, Tenant
from bibnet.tenants.bookings import services as bookings
from bibnet.tenants.bookings.conflicts import SlotTaken
from bibnet.tenants.bookings.models import OPEN, Activity, Occurrence, TargetGroup
from bibnet.tenants.bookings.recurrence import Frequency, Rule, to_utc
from bibnet.tenants.bookings.rules import BookingInput
from bibnet.tenants.organisations.models import Organisation
from bibnet.tenants.programmes import registrations
from bibnet.tenants.programmes.labels import LANGUAGES, text_in
from bibnet.tenants.programmes.models import (
    ADDRESS_LENGTH,
    URL_LENGTH,
    Attendance,
    Mark,
    Place,
    Programme,
    ProgrammeKind,
    ProgrammeOrganisation,
    ProgrammePartner,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
    attended_column,
)
from bibnet.tenants.rooms.models import Room
from bibnet.web.i18n import formatting_locale

TITLE_LENGTH, DESCRIPTION_LENGTH = 200, 5000
MAX_CAPACITY, MAX_WEEKS, MAX_COUNT = 10_000, 52, 1000
# The bookings' activity a programme's room sessions are booked as (what the room's calendar shows).
BOOKED_AS = {ProgrammeKind.CLUB: Activity.CLUB, ProgrammeKind.CLASS_SERIES: Activity.TRAINING, ProgrammeKind.WORKSHOP: Activity.TRAINING, ProgrammeKind.EVENT: Activity.EVENT}
BOOKING_TITLE_LENGTH = 120


@dataclass
class ProgrammeInput:
    kind: ProgrammeKind
    title: dict[str, str]
    description: dict[str, str] = field(default_factory=dict)
    target_groups: list[str] = field(default_factory=list)
    organiser_id: int | None = None
    capacity: int | None = None
    public: bool = False
    registration_open: bool = True
    partner_tenant_ids: list[int] = field(default_factory=list)
    organisation_ids: list[int] = field(default_factory=list)


@dataclass
class SessionInput:
    """One session, or a weekly series of `weeks` sessions on the first date's weekday, at local times."""

    place: Place
    first_date: date
    start_time: time
    end_time: time
    weeks: int = 1
    room_id: int | None = None
    address: str = ""
    organisation_id: int | None = None
    online_url: str = ""


@dataclass
class RosterInput:
    """A session's roster: a mark per registration (and how many of a group came), and the people who came
    counted per target group (None: not counted)."""

    marks: dict[int, Mark] = field(default_factory=dict)
    present: dict[int, int] = field(default_factory=dict)
    attended: dict[str, int | None] = field(default_factory=dict)


# --- who may take part -----------------------------------------------------------------------------------------


def partner_libraries() -> list[Tenant]:
    """The other libraries of the projects the current library is a partner of: who may be a programme's partner."""
    own = current_tenant_id()
    projects = sa.select(Partner.project_id).where(Partner.tenant_id == own)
    return list(db.session.scalars(
        sa.select(Tenant).where(Tenant.id.in_(sa.select(Partner.tenant_id).where(Partner.project_id.in_(projects))), Tenant.id != own).order_by(Tenant.name)
    ))


def active_organisations() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).where(Organisation.active).order_by(Organisation.name)))


def _staff_ids() -> set[int]:
    return set(db.session.scalars(sa.select(Membership.user_id).where(Membership.active)))


def is_cross_border(partner_tenant_ids) -> bool:
    """Organised by libraries of two countries: the organiser's and a partner's differ."""
    ids = {current_tenant_id(), *partner_tenant_ids}
    return len(set(db.session.scalars(sa.select(Tenant.country).where(Tenant.id.in_(ids))))) > 1


# --- programmes --------------------------------------------------------------------------------------------------


def _programme_problems(data: ProgrammeInput) -> dict[str, list]:
    problems: dict[str, list] = {}
    titles = {language: (data.title.get(language) or "").strip() for language in LANGUAGES}
    if not any(titles.values()):
        problems["title.en"] = [_l("Give the programme a title in at least one language.")]
    for language in LANGUAGES:
        if len(titles[language]) > TITLE_LENGTH:
            problems[f"title.{language}"] = [_l("At most %(count)s characters.", count=TITLE_LENGTH)]
        if len((data.description.get(language) or "").strip()) > DESCRIPTION_LENGTH:
            problems[f"description.{language}"] = [_l("At most %(count)s characters.", count=DESCRIPTION_LENGTH)]
    known_groups = {group.value for group in TargetGroup}
    if any(group not in known_groups for group in data.target_groups):
        problems["target_groups"] = [_l("Choose target groups from the list.")]
    if data.capacity is not None and not 1 <= data.capacity <= MAX_CAPACITY:
        problems["capacity"] = [_l("Enter from 1 to %(most)s places, or leave it empty for no limit.", most=MAX_CAPACITY)]
    if data.organiser_id is not None and data.organiser_id not in _staff_ids():
        problems["organiser_id"] = [_l("Choose a member of your library's staff.")]
    allowed_partners = {tenant.id for tenant in partner_libraries()}
    if any(tenant_id not in allowed_partners for tenant_id in data.partner_tenant_ids):
        problems["partner_tenant_ids"] = [_l("Choose partner libraries of your projects.")]
    allowed_organisations = {organisation.id for organisation in active_organisations()}
    if any(organisation_id not in allowed_organisations for organisation_id in data.organisation_ids):
        problems["organisation_ids"] = [_l("Choose organisations your library works with.")]
    return problems


def _texts(texts: dict[str, str]) -> dict[str, str]:
    return {language: texts[language].strip() for language in LANGUAGES if (texts.get(language) or "").strip()}


def save_programme(data: ProgrammeInput, programme: Programme | None = None) -> Programme:
    """Create a programme, or change one; its partner libraries and co-organisers are set to those given, and it
    is cross-border when the libraries involved are in two countries."""
    refuse_if_any(_programme_problems(data))
    new = programme is None
    if programme is None:
        programme = Programme()
        db.session.add(programme)
    elif programme.cancelled_at is not None:
        raise Refused(status=409, detail=_l("This programme is cancelled."))
    programme.kind = data.kind
    programme.title, programme.description = _texts(data.title), _texts(data.description)
    programme.target_groups = [group.value for group in TargetGroup if group.value in set(data.target_groups)]
    programme.organiser_id = data.organiser_id
    programme.capacity = data.capacity
    programme.public, programme.registration_open = data.public, data.registration_open
    programme.cross_border = is_cross_border(data.partner_tenant_ids)
    db.session.flush()  # a new programme gets its id
    _set_links(ProgrammePartner, ProgrammePartner.partner_tenant_id, programme, set(data.partner_tenant_ids))
    _set_links(ProgrammeOrganisation, ProgrammeOrganisation.organisation_id, programme, set(data.organisation_ids))
    db.session.flush()
    if not new:
        registrations.promote_waitlisted(programme)  # a larger capacity (or none) lets the waitlist in
    return programme


def _set_links(model, column, programme: Programme, wanted: set[int]) -> None:
    """Keep the programme's rows of `model` (partners, co-organisers) naming exactly the `wanted` ids."""
    existing = {getattr(row, column.key): row for row in db.session.scalars(sa.select(model).where(model.programme_id == programme.id))}
    for linked_id, row in existing.items():
        if linked_id not in wanted:
            db.session.delete(row)
    db.session.add_all([model(programme_id=programme.id, **{column.key: linked_id}) for linked_id in sorted(wanted - set(existing))])


def cancel_programme(programme: Programme, by=None, now: datetime | None = None) -> Programme:
    """Cancel the programme and its sessions still to come (the room bookings with them); registrations stay,
    for the record of who was told."""
    now = now or utcnow()
    if programme.cancelled_at is not None:
        raise Refused(status=409, detail=_l("This programme is cancelled already."))
    to_come = db.session.scalars(
        sa.select(ProgrammeSession).where(ProgrammeSession.programme_id == programme.id, ProgrammeSession.cancelled_at.is_(None), ProgrammeSession.starts_at > now)
    ).all()
    for session in to_come:
        _cancel_session(session, by, now)
    programme.cancelled_at = now
    programme.registration_open = False
    db.session.flush()
    return programme


# --- sessions ----------------------------------------------------------------------------------------------------


def _session_problems(programme: Programme, data: SessionInput) -> dict[str, list]:
    problems: dict[str, list] = {}
    if programme.cancelled_at is not None:
        problems["_schema"] = [_l("This programme is cancelled.")]
    if not 1 <= data.weeks <= MAX_WEEKS:
        problems["weeks"] = [_l("From 1 to %(most)s weekly sessions.", most=MAX_WEEKS)]
    if data.end_time <= data.start_time:
        problems["end_time"] = [_l("The session must end after it starts.")]
    if data.place is Place.ROOM and data.room_id is None:
        problems["room_id"] = [_l("Choose one of your library's rooms.")]
    if data.place is Place.ADDRESS and not data.address.strip():
        problems["address"] = [_l("Enter the address where the session takes place.")]
    if len(data.address.strip()) > ADDRESS_LENGTH:
        problems["address"] = [_l("At most %(count)s characters.", count=ADDRESS_LENGTH)]
    if data.place is Place.CARE_HOME and data.organisation_id not in {organisation.id for organisation in active_organisations()}:
        problems["organisation_id"] = [_l("Choose the care home or organisation where the session takes place.")]
    url = data.online_url.strip()
    if data.place is Place.ONLINE and not url.startswith(("https://", "http://")):
        problems["online_url"] = [_l("Enter the meeting's link, starting with https://.")]
    if len(url) > URL_LENGTH:
        problems["online_url"] = [_l("At most %(count)s characters.", count=URL_LENGTH)]
    return problems


def _taken_refusal(taken: SlotTaken) -> Refused:
    """The room's refusal as a field error of the first date, naming each time the room cannot be had."""
    locale = formatting_locale()
    times = ", ".join(babel_dates.format_date(unavailable.slot.day, "short", locale=locale) for unavailable in taken.unavailable)
    return Refused({"first_date": [_l("The room is not free on %(dates)s. Choose another time or another room.", dates=times)]}, status=409)


def _book_room(programme: Programme, data: SessionInput, by, may_approve: bool) -> list[Occurrence]:
    tenant = db.session.get(Tenant, current_tenant_id())
    title = text_in(programme.title, tenant.default_locale)[:BOOKING_TITLE_LENGTH]
    request = BookingInput(
        room_id=data.room_id, activity=BOOKED_AS[programme.kind], title=title, responsible_id=programme.organiser_id or getattr(by, "id", None),
        first_date=data.first_date, start_time=data.start_time, end_time=data.end_time,
        frequency=Frequency.WEEKLY if data.weeks > 1 else Frequency.ONCE, weekdays=frozenset({data.first_date.weekday()}), count=data.weeks if data.weeks > 1 else None,
        internal_note=f"programme {programme.id}",
    )
    room = db.session.scalar(sa.select(Room).where(Room.id == data.room_id))
    try:
        booking = bookings.create_booking(request, by, confirm=bookings.confirms_at_once(room, may_approve, by))
    except SlotTaken as taken:
        raise _taken_refusal(taken) from None
    except Refused as refusal:
        renamed = {{"count": "weeks", "until": "weeks", "interval": "weeks", "title": "_schema"}.get(path, path): messages for path, messages in refusal.errors.items()}
        raise Refused(renamed, status=refusal.status, detail=refusal.detail) from None
    return list(booking.occurrences)


def add_sessions(programme: Programme, data: SessionInput, by=None, may_approve: bool = True) -> list[ProgrammeSession]:
    """Add one session or a weekly series. In a room, each is the booking's occurrence (the room's rules refuse
    what it cannot have, and nothing is written then; a room that needs approval is only requested unless
    `may_approve`, the booker's role, lets it be held at once); elsewhere, at an address, a care home or online."""
    refuse_if_any(_session_problems(programme, data))
    tenant = db.session.get(Tenant, current_tenant_id())
    if data.place is Place.ROOM:
        sessions = [
            ProgrammeSession(programme_id=programme.id, starts_at=occurrence.starts_at, ends_at=occurrence.ends_at, place=Place.ROOM, occurrence_id=occurrence.id)
            for occurrence in _book_room(programme, data, by, may_approve)
        ]
    else:
        days = Rule(Frequency.WEEKLY, data.first_date, count=data.weeks).dates() if data.weeks > 1 else [data.first_date]
        sessions = [
            ProgrammeSession(
                programme_id=programme.id, starts_at=to_utc(day, data.start_time, tenant.timezone), ends_at=to_utc(day, data.end_time, tenant.timezone), place=data.place,
                address=data.address.strip() if data.place is Place.ADDRESS else "",
                organisation_id=data.organisation_id if data.place is Place.CARE_HOME else None,
                online_url=data.online_url.strip() if data.place is Place.ONLINE else "",
            )
            for day in days
        ]
    db.session.add_all(sessions)
    db.session.flush()
    return sessions


def _cancel_session(session: ProgrammeSession, by, now: datetime) -> None:
    if session.occurrence_id is not None:
        occurrence = db.session.get(Occurrence, session.occurrence_id)
        if occurrence is not None and occurrence.status in OPEN:
            bookings.cancel([occurrence], by, now=now)
    session.cancelled_at = now


def cancel_session(session: ProgrammeSession, by=None, now: datetime | None = None) -> ProgrammeSession:
    """Cancel a session still to come; in a room, its booked occurrence is cancelled through bookings."""
    now = now or utcnow()
    if session.cancelled_at is not None:
        raise Refused(status=409, detail=_l("This session is cancelled already."))
    if session.starts_at <= now:
        raise Refused(status=409, detail=_l("Only a session still to come can be cancelled."))
    _cancel_session(session, by, now)
    db.session.flush()
    return session


# --- rosters -----------------------------------------------------------------------------------------------------


def roster_registrations(programme: Programme) -> list[Registration]:
    """Who is on a session's roster: the registrations holding places, in the order they came."""
    return list(db.session.scalars(
        sa.select(Registration).where(Registration.programme_id == programme.id, Registration.status == RegistrationStatus.REGISTERED).order_by(Registration.id)
    ))


def marks_of(session: ProgrammeSession) -> dict[int, Attendance]:
    return {row.registration_id: row for row in db.session.scalars(sa.select(Attendance).where(Attendance.session_id == session.id))}


def why_no_roster(session: ProgrammeSession, now: datetime | None = None):
    """Why the roster of this session cannot be marked (yet), or None when it can."""
    if session.cancelled_at is not None:
        return _l("This session is cancelled.")
    if session.starts_at > (now or utcnow()) + timedelta(hours=1):
        return _l("The roster can be marked from an hour before the session starts.")
    return None


def record_roster(session: ProgrammeSession, data: RosterInput, by=None, now: datetime | None = None) -> ProgrammeSession:
    """Mark who came (present, excused, absent; for a group, how many came) and count the people per target group.
    Marks may be corrected; in a room, the booked occurrence's attendance is recorded too (the room's usage)."""
    if (reason := why_no_roster(session, now)) is not None:
        raise Refused(status=409, detail=reason)
    on_roster = {registration.id: registration for registration in roster_registrations(db.session.get(Programme, session.programme_id))}
    problems: dict[str, list] = {}
    for registration_id, mark in data.marks.items():
        registration = on_roster.get(registration_id)
        if registration is None:
            problems[f"marks.{registration_id}"] = [_l("This registration is not on the roster.")]
            continue
        came = data.present.get(registration_id)
        if came is not None and not 0 <= came <= registration.group_size:
            problems[f"present.{registration_id}"] = [_l("From 0 to %(most)s people.", most=registration.group_size)]
        if mark is not Mark.PRESENT and came:
            problems[f"present.{registration_id}"] = [_l("Only a present registration has people who came.")]
    for group, count in data.attended.items():
        if group not in {target.value for target in TargetGroup}:
            problems[f"attended.{group}"] = [_l("Choose target groups from the list.")]
        elif count is not None and not 0 <= count <= MAX_COUNT:
            problems[f"attended.{group}"] = [_l("Enter a number from 0 to %(most)s.", most=MAX_COUNT)]
    refuse_if_any(problems)
    existing = marks_of(session)
    for registration_id, mark in data.marks.items():
        registration = on_roster[registration_id]
        came = data.present.get(registration_id)
        present = (registration.group_size if came is None else came) if mark is Mark.PRESENT else 0
        row = existing.get(registration_id) or Attendance(session_id=session.id, registration_id=registration_id)
        row.mark, row.present = mark, present
        db.session.add(row)
    for group in TargetGroup:
        if group.value in data.attended:
            setattr(session, attended_column(group), data.attended[group.value])
    db.session.flush()
    _record_room_attendance(session, by, now)
    return session


def attended_total(session: ProgrammeSession) -> int | None:
    counts = [getattr(session, attended_column(group)) for group in TargetGroup]
    return None if all(count is None for count in counts) else sum(count or 0 for count in counts)


def _record_room_attendance(session: ProgrammeSession, by, now) -> None:
    """A session in a room counts in the room's usage as any booked session does: its visitors per target group."""
    if session.occurrence_id is None or not attended_total(session):
        return
    occurrence = db.session.get(Occurrence, session.occurrence_id)
    if occurrence is None or bookings.why_no_attendance(occurrence, now) is not None:
        return
    bookings.record_attendance(occurrence, {group.value: getattr(session, attended_column(group)) or 0 for group in TargetGroup}, by, now)


def registration_counts(programme: Programme) -> dict[str, int]:
    """Registrations and places per status of one programme, in one grouped query."""
    rows = db.session.execute(
        sa.select(Registration.status, sa.func.count(Registration.id), sa.func.coalesce(sa.func.sum(Registration.places), 0))
        .where(Registration.programme_id == programme.id).group_by(Registration.status)
    ).all()
    counts = {"registered": 0, "registered_places": 0, "waitlisted": 0, "waitlisted_places": 0}
    for status, number, places in rows:
        if status is not RegistrationStatus.CANCELLED:
            counts[status.value], counts[f"{status.value}_places"] = number, int(places)
    return counts
