"""The public side of programmes, at `/p/<library_slug>/…`, for anyone without logging in: a library's upcoming
public programmes, a programme's page with its sessions (schema.org Event markup) and its registration form, the
participant's own confirmation and cancel pages (at the registration's random token), and an iCal feed.

What is public is decided here, once: a programme the library marked public and did not cancel. Rows are read
under the library's tenant scope and only their public fields are copied into the dataclasses below, so that
the templates can reach nothing else: no staff member, no registrant, no meeting link, nothing of another library.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import Blueprint, abort, make_response, redirect, render_template, url_for
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
import sqlalchemy as sa
from wtforms import BooleanField, EmailField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from bibnet.access import public
from bibnet.db import utcnow
from bibnet.extensions import db, limiter
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings.labels import VISITOR_LABELS
from bibnet.tenants.bookings.models import Occurrence
from bibnet.tenants.organisations.models import Organisation
from bibnet.tenants.programmes import registrations
from bibnet.tenants.programmes.ical_feed import programmes_calendar
from bibnet.tenants.programmes.models import (
    EMAIL_LENGTH,
    NAME_LENGTH,
    PHONE_LENGTH,
    AccessNeed,
    Place,
    Programme,
    ProgrammeKind,
    ProgrammeSession,
    Registration,
)
from bibnet.tenants.rooms.models import Room
from bibnet.web.fields import CountField
from bibnet.web.forms import show_refusal
from bibnet.web.i18n import formatting_locale
from bibnet.web.public_forms import PublicForm

bp = Blueprint("programmes_public", __name__, url_prefix="/p/<library_slug>", template_folder="templates")

# The pages at a registration's token: enough for participants, too few to guess tokens (as an item's /i/ page).
TOKEN_PAGE_RATE_LIMIT = "30 per minute"
TOKEN_LENGTH = 32
LISTING_PER_PAGE = 20
# A programme page lists this many upcoming sessions (a weekly club for years would be a long page).
SESSIONS_SHOWN = 52
# The feed reaches this far back, so a calendar keeps the last weeks' sessions; everything ahead is included.
FEED_PAST = timedelta(days=30)
FEED_MOST_SESSIONS = 2000
FEED_CACHE_CONTROL = "public, max-age=300"
# A page with a form carries the visitor's CSRF token, and a token page a participant's registration: neither may
# be kept by a shared cache (nor shown from the browser's history to the next person at a library's computer).
PRIVATE = {"Cache-Control": "no-store"}

KIND_LABELS = {
    ProgrammeKind.CLUB: _l("Club"),
    ProgrammeKind.CLASS_SERIES: _l("Class series"),
    ProgrammeKind.WORKSHOP: _l("Workshop"),
    ProgrammeKind.EVENT: _l("Event"),
}
NEED_LABELS = {
    AccessNeed.WHEELCHAIR: _l("A place for a wheelchair"),
    AccessNeed.HEARING_LOOP: _l("A hearing loop"),
    AccessNeed.LARGE_PRINT: _l("Large print"),
    AccessNeed.COMPANION: _l("I come with a companion who helps me"),
}
ONLINE = _l("Online")


@dataclass(frozen=True)
class PublicSession:
    starts_at: datetime  # in the library's time zone
    ends_at: datetime
    date: str  # EU format in the page's language
    times: str
    online: bool
    place: str  # the room's name, the address or "Online"
    cancelled: bool


@dataclass(frozen=True)
class PublicProgramme:
    id: int
    kind: str
    title: str
    description: str
    target_groups: list[str]
    registration_open: bool
    free_places: int | None  # None: no limit
    sessions: list[PublicSession]
    next_session: PublicSession | None
    upcoming_sessions: int


@dataclass(frozen=True)
class PublicRegistration:
    """What the participant's own pages show of their registration: its state, never the details sent."""

    status: str  # a RegistrationStatus value
    title: str
    programme_id: int
    token: str


@dataclass(frozen=True)
class PublicLibrary:
    slug: str
    name: str
    timezone: str
    default_locale: str


def _library(slug: str) -> Tenant:
    if len(slug) > 40:
        abort(404)
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug, Tenant.active))
    if tenant is None:
        abort(404)
    return tenant


def _shown(tenant: Tenant) -> PublicLibrary:
    return PublicLibrary(slug=tenant.slug, name=tenant.name, timezone=tenant.timezone, default_locale=tenant.default_locale)


def text_in_language(texts: dict | None, library: PublicLibrary, locale: str | None = None) -> str:
    """The text in the page's language, else in the library's, English or whichever there is."""
    texts = {key: value for key, value in (texts or {}).items() if value}
    for language in (locale or str(get_locale()), library.default_locale, "en"):
        if language in texts:
            return texts[language]
    return next(iter(texts.values()), "")


def _is_public():
    return sa.and_(Programme.public.is_(True), Programme.cancelled_at.is_(None))


def _upcoming(now: datetime):
    return sa.and_(ProgrammeSession.ends_at >= now, ProgrammeSession.cancelled_at.is_(None))


def _public_session(session: ProgrammeSession, room_name: str | None, organisation: Organisation | None, zone: ZoneInfo, locale: str | None = None) -> PublicSession:
    starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    language = formatting_locale(locale)
    if session.place is Place.ROOM:
        place = room_name or ""
    elif session.place is Place.CARE_HOME:
        place = ", ".join(part for part in (organisation.name if organisation else "", session.address or (organisation.address if organisation else "")) if part)
    elif session.place is Place.ONLINE:
        place = str(ONLINE)
    else:
        place = session.address
    return PublicSession(
        starts_at=starts, ends_at=ends, date=babel_dates.format_date(starts.date(), "full", locale=language),
        times=f"{babel_dates.format_time(starts.time(), 'short', locale=language)}–{babel_dates.format_time(ends.time(), 'short', locale=language)}",
        online=session.place is Place.ONLINE, place=place, cancelled=session.cancelled_at is not None,
    )


# Where a session in a sensory room is: the room and its library's building ("Sensory room, Central library").
ROOM_PLACE = (Room.name + ", " + Room.library).label("room_place")


def _sessions_with_places(statement: sa.Select) -> list[tuple[ProgrammeSession, str | None, Organisation | None]]:
    """Sessions with the name of their room (through the booking's occurrence) and their care home, in one query."""
    rows = db.session.execute(
        statement.add_columns(ROOM_PLACE, Organisation)
        .outerjoin(Occurrence, Occurrence.id == ProgrammeSession.occurrence_id)
        .outerjoin(Room, Room.id == Occurrence.room_id)
        .outerjoin(Organisation, Organisation.id == ProgrammeSession.organisation_id)
    ).all()
    return [(session, room_name, organisation) for session, room_name, organisation in rows]


def upcoming_programmes(tenant: Tenant, page: int | None = None, per_page: int = LISTING_PER_PAGE, now: datetime | None = None):
    """The library's public programmes with a session ahead, soonest first: a page of them and the total, in
    three queries whatever the data size (the count, the programmes with their next start, their next sessions)."""
    from bibnet.web.pagination import paginate

    now = now or utcnow()
    library, zone = _shown(tenant), ZoneInfo(tenant.timezone)
    with tenant_scope(tenant, reason="the public listing of a library's programmes"):
        ahead = (
            sa.select(ProgrammeSession.programme_id, sa.func.min(ProgrammeSession.starts_at).label("next_start"), sa.func.count().label("sessions"))
            .where(_upcoming(now))
            .group_by(ProgrammeSession.programme_id)
            .subquery()
        )
        statement = (
            sa.select(Programme, ahead.c.next_start, ahead.c.sessions)
            .join(ahead, ahead.c.programme_id == Programme.id)
            .where(_is_public())
            .order_by(ahead.c.next_start, Programme.id)
        )
        found = paginate(statement, page=page, per_page=per_page, scalars=False)
        rows = list(found.items)
        next_sessions = {}
        if rows:
            starts = [sa.and_(ProgrammeSession.programme_id == programme.id, ProgrammeSession.starts_at == next_start) for programme, next_start, _ in rows]
            for session, room_name, organisation in _sessions_with_places(sa.select(ProgrammeSession).where(_upcoming(now), sa.or_(*starts)).order_by(ProgrammeSession.id)):
                next_sessions.setdefault(session.programme_id, _public_session(session, room_name, organisation, zone))
        found.items = [
            PublicProgramme(
                id=programme.id, kind=str(KIND_LABELS[programme.kind]), title=text_in_language(programme.title, library),
                description=text_in_language(programme.description, library), target_groups=[str(VISITOR_LABELS[group]) for group in programme.target_groups if group in VISITOR_LABELS],
                registration_open=programme.registration_open, free_places=None, sessions=[], next_session=next_sessions.get(programme.id),
                upcoming_sessions=count,
            )
            for programme, _next_start, count in rows
        ]
    return found


def _public_programme_row(programme_id: int) -> Programme | None:
    return db.session.scalar(sa.select(Programme).where(Programme.id == programme_id, _is_public()))


def public_programme(tenant: Tenant, programme_id: int, now: datetime | None = None) -> PublicProgramme | None:
    """The programme's public page, or None when it is not public, cancelled, or not this library's."""
    now = now or utcnow()
    library, zone = _shown(tenant), ZoneInfo(tenant.timezone)
    with tenant_scope(tenant, reason="the public page of a library's programme"):
        programme = _public_programme_row(programme_id)
        if programme is None:
            return None
        rows = _sessions_with_places(
            sa.select(ProgrammeSession).where(ProgrammeSession.programme_id == programme.id, ProgrammeSession.ends_at >= now)
            .order_by(ProgrammeSession.starts_at, ProgrammeSession.id).limit(SESSIONS_SHOWN)
        )
        sessions = [_public_session(session, room_name, organisation, zone) for session, room_name, organisation in rows]
        upcoming = [session for session in sessions if not session.cancelled]
        return PublicProgramme(
            id=programme.id, kind=str(KIND_LABELS[programme.kind]), title=text_in_language(programme.title, library),
            description=text_in_language(programme.description, library),
            target_groups=[str(VISITOR_LABELS[group]) for group in programme.target_groups if group in VISITOR_LABELS],
            registration_open=programme.registration_open and bool(upcoming), free_places=registrations.free_places(programme),
            sessions=sessions, next_session=upcoming[0] if upcoming else None, upcoming_sessions=len(upcoming),
        )


# --- schema.org -------------------------------------------------------------------------------------------

def event_markup(library: PublicLibrary, programme: PublicProgramme) -> list[dict]:
    """One schema.org Event per session, for search engines and event sites (JSON-LD)."""
    page = url_for("programmes_public.programme", library_slug=library.slug, public_programme_id=programme.id, _external=True)
    organizer = {"@type": "Organization", "name": library.name, "url": url_for("programmes_public.index", library_slug=library.slug, _external=True)}
    events = []
    for session in programme.sessions:
        if session.online:
            location = {"@type": "VirtualLocation", "url": page}
        else:
            location = {"@type": "Place", "name": session.place or library.name, "address": session.place or library.name}
        event = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": programme.title,
            "startDate": session.starts_at.isoformat(),
            "endDate": session.ends_at.isoformat(),
            "eventStatus": "https://schema.org/EventCancelled" if session.cancelled else "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode" if session.online else "https://schema.org/OfflineEventAttendanceMode",
            "location": location,
            "organizer": organizer,
            "url": page,
            "isAccessibleForFree": True,
            "inLanguage": str(get_locale()),
        }
        if programme.description:
            event["description"] = programme.description
        events.append(event)
    return events


# --- The registration form --------------------------------------------------------------------------------

class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class RegistrationForm(PublicForm):
    name = StringField(_l("Your name"), validators=[DataRequired(message=_l("Enter your name.")), Length(max=NAME_LENGTH)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=PHONE_LENGTH)], description=_l("A phone number or an e-mail address, so that the library can tell you of changes."))
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(message=_l("Enter an e-mail address like name@example.com.")), Length(max=EMAIL_LENGTH)])
    companions = CountField(
        _l("Companions coming with you"), default=0,
        validators=[NumberRange(max=registrations.MAX_COMPANIONS, message=_l("From 0 to %(most)s companions.", most=registrations.MAX_COMPANIONS))],
        description=_l("Each companion takes a place too. Leave 0 if you come alone."),
        render_kw={"min": 0, "max": registrations.MAX_COMPANIONS, "inputmode": "numeric"},
    )
    needs = CheckboxesField(
        _l("Access needs (optional)"), choices=[SelectChoice(need.value, label) for need, label in NEED_LABELS.items()],
        description=_l("We only count how many people need each of these, to prepare the place. Your answer is not stored with your name."),
    )
    consent = BooleanField(
        _l("The library may contact me about this programme (changes, cancellations, a freed place)"),
        validators=[DataRequired(message=_l("Agree to be contacted about this programme, so that the library can tell you of changes."))],
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.phone.data or "").strip() and not (self.email.data or "").strip():
            self.phone.errors = [*self.phone.errors, _l("Enter a phone number or an e-mail address, so that we can tell the participant of changes.")]
            valid = False
        return valid

    def request(self) -> registrations.RegistrationRequest:
        return registrations.RegistrationRequest(
            name=self.name.data.strip(), phone=(self.phone.data or "").strip(), email=(self.email.data or "").strip(),
            companions=self.companions.data, needs=frozenset(AccessNeed(value) for value in self.needs.data or []), locale=str(get_locale()),
        )


class CancelForm(FlaskForm):
    pass


# --- Pages ------------------------------------------------------------------------------------------------

@bp.get("/programmes")
@public
def index(library_slug):
    tenant = _library(library_slug)
    found = upcoming_programmes(tenant)
    return render_template("programmes/public/index.html", library=_shown(tenant), page=found)


# `public_programme_id`, not `programme_id`: that one is loaded for staff (with its permission check).
@bp.route("/programmes/<int:public_programme_id>", methods=["GET", "POST"])
@public
def programme(library_slug, public_programme_id):
    tenant = _library(library_slug)
    shown = public_programme(tenant, public_programme_id)
    if shown is None:
        abort(404)
    library = _shown(tenant)
    form = RegistrationForm() if shown.registration_open else None
    if form is not None and form.validate_on_submit():
        with tenant_scope(tenant, reason="a registration sent through a programme's public form"):
            row = _public_programme_row(public_programme_id)
            try:
                registration = registrations.register(row, form.request())
            except Refused as refusal:
                problem = show_refusal(form, refusal)
                if problem:
                    form.form_errors.append(problem)
            else:
                token = registration.token
                db.session.commit()
                return redirect(url_for("programmes_public.registered", library_slug=library.slug, token=token), code=303)
    refused = form is not None and bool(form.errors or form.form_errors)
    page = render_template("programmes/public/programme.html", library=library, programme=shown, form=form, events=event_markup(library, shown))
    return page, form.refusal_status if refused else 200, {**(PRIVATE if form is not None else {}), **(form.refusal_headers if refused else {})}


def _registration(token: str) -> tuple[Registration, Programme] | None:
    """The registration of `token` and its programme, in the library's scope (another library's: None)."""
    if len(token) > TOKEN_LENGTH:
        return None
    row = db.session.execute(
        sa.select(Registration, Programme).join(Programme, Programme.id == Registration.programme_id)
        .where(Registration.token == token, Registration.erased_at.is_(None), Programme.public.is_(True))
    ).one_or_none()
    return None if row is None else (row[0], row[1])


@bp.get("/registrations/<token>")
@public
@limiter.limit(TOKEN_PAGE_RATE_LIMIT)
def registered(library_slug, token):
    """The confirmation: registered or on the waitlist, and the participant's own link to cancel."""
    tenant = _library(library_slug)
    library = _shown(tenant)
    with tenant_scope(tenant, reason="a participant's confirmation of their registration, at its token"):
        found = _registration(token)
        if found is None:
            abort(404)
        registration, programme = found
        shown = PublicRegistration(registration.status.value, text_in_language(programme.title, library), programme.id, registration.token)
    return render_template("programmes/public/registered.html", library=library, registration=shown), 200, PRIVATE


@bp.route("/cancel/<token>", methods=["GET", "POST"])
@public
@limiter.limit(TOKEN_PAGE_RATE_LIMIT)
def cancel(library_slug, token):
    """The participant's own cancel link: a page to confirm, then the cancellation (which frees places)."""
    tenant = _library(library_slug)
    library = _shown(tenant)
    form = CancelForm()
    refusal_message = None
    with tenant_scope(tenant, reason="a participant cancels their registration at its token"):
        found = _registration(token)
        if found is None:
            abort(404)
        registration, programme = found
        if form.validate_on_submit():
            try:
                registrations.cancel(registration)
            except Refused as refusal:
                db.session.rollback()
                refusal_message = refusal.summary()
            else:
                db.session.commit()
        shown = PublicRegistration(registration.status.value, text_in_language(programme.title, library), programme.id, registration.token)
    status = 409 if refusal_message else 200
    return render_template("programmes/public/cancel.html", library=library, registration=shown, form=form, refusal_message=refusal_message), status, PRIVATE


@bp.get("/programmes.ics")
@public
def feed(library_slug):
    tenant = _library(library_slug)
    library, now = _shown(tenant), utcnow()
    with force_locale(library.default_locale):  # "Online" in the library's language, as the titles
        sessions = feed_sessions(tenant, now)
    response = make_response(programmes_calendar(library, sessions, now).to_ical())
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = FEED_CACHE_CONTROL
    return response


@dataclass(frozen=True)
class FeedSession:
    programme_id: int
    session_id: int
    title: str  # in the library's language: a feed has no page language
    session: PublicSession


def feed_sessions(tenant: Tenant, now: datetime) -> list[FeedSession]:
    """The sessions of the library's public programmes from `FEED_PAST` ago on, for the iCal feed."""
    library, zone = _shown(tenant), ZoneInfo(tenant.timezone)
    with tenant_scope(tenant, reason="the public iCal feed of a library's programmes"):
        rows = db.session.execute(
            sa.select(ProgrammeSession, Programme, ROOM_PLACE, Organisation)
            .join(Programme, Programme.id == ProgrammeSession.programme_id)
            .outerjoin(Occurrence, Occurrence.id == ProgrammeSession.occurrence_id)
            .outerjoin(Room, Room.id == Occurrence.room_id)
            .outerjoin(Organisation, Organisation.id == ProgrammeSession.organisation_id)
            .where(_is_public(), ProgrammeSession.ends_at >= now - FEED_PAST)
            .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
            .limit(FEED_MOST_SESSIONS)
        ).all()
        return [
            FeedSession(
                programme_id=programme.id, session_id=session.id, title=text_in_language(programme.title, library, library.default_locale),
                session=_public_session(session, room_name, organisation, zone, library.default_locale),
            )
            for session, programme, room_name, organisation in rows
        ]
