"""The staff's pages of the programmes: the list (upcoming first), a programme with its sessions and the counts
of its registrations and access needs, creating, changing and cancelling one, adding sessions (in a room
through its bookings, or elsewhere), registrations (registered and waitlisted, places used of the capacity),
and each session's roster, on screen with large targets and on paper (a PDF)."""
import re

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from bibnet.access import allowed, require
from bibnet.accounts.services import active_members
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings.labels import VISITOR_LABELS, VISITOR_SHORT_LABELS
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.programmes import lookups, registrations, services  # lookups: the URL's programme, session, registration
from bibnet.tenants.programmes.forms import ProgrammeForm, RegistrationForm, SessionForm, roster_form_class
from bibnet.tenants.programmes.labels import KIND_LABELS, MARK_LABELS, NEED_LABELS, PLACE_LABELS, STATUS_LABELS, text_in
from bibnet.tenants.programmes.models import (
    Mark,
    Programme,
    ProgrammeNeed,
    ProgrammeOrganisation,
    ProgrammePartner,
    ProgrammeSession,
    Registration,
    RegistrationStatus,
    attended_column,
)
from bibnet.tenants.rooms.models import Room
from bibnet.web import menu
from bibnet.web.downloads import file_chunks
from bibnet.web.forms import has_errors, saving
from bibnet.web.pagination import paginate

bp = Blueprint("programmes", __name__, url_prefix="/t/<tenant_slug>/programmes", template_folder="templates")
menu.register(_l("Programmes"), "programmes.index", "programmes.view", group=menu.OUTREACH)

STATUS_FILTERS = {"registered": RegistrationStatus.REGISTERED, "waitlisted": RegistrationStatus.WAITLISTED, "cancelled": RegistrationStatus.CANCELLED}


@bp.app_context_processor
def _labels():
    return {
        "programme_kind_labels": KIND_LABELS, "programme_place_labels": PLACE_LABELS, "registration_status_labels": STATUS_LABELS,
        "mark_labels": MARK_LABELS, "need_labels": NEED_LABELS, "programme_text": text_in,
    }


def _form_page(template: str, form, status: int | None = None, **context):
    error = context.get("error")
    return render_template(template, form=form, **context), status or (422 if (error or has_errors(form)) else 200)


def _programme_form(**kwargs) -> ProgrammeForm:
    return ProgrammeForm(staff=active_members(), partners=services.partner_libraries(), organisations=services.active_organisations(), **kwargs)


@bp.route("/")
@require("programmes.view")
def index():
    """Programmes with a session still to come first (the soonest first), then the others, the latest first."""
    now = utcnow()
    next_start = (
        sa.select(sa.func.min(ProgrammeSession.starts_at))
        .where(ProgrammeSession.programme_id == Programme.id, ProgrammeSession.starts_at >= now, ProgrammeSession.cancelled_at.is_(None))
        .correlate(Programme).scalar_subquery()
    )
    places = (
        sa.select(sa.func.coalesce(sa.func.sum(Registration.places), 0))
        .where(Registration.programme_id == Programme.id, Registration.status == RegistrationStatus.REGISTERED)
        .correlate(Programme).scalar_subquery()
    )
    query = sa.select(Programme, next_start.label("next_start"), places.label("places")).order_by(
        Programme.cancelled_at.is_not(None), next_start.is_(None), next_start, Programme.created_at.desc(), Programme.id.desc()
    )
    return render_template("programmes/index.html", page=paginate(query, scalars=False))


@bp.route("/new", methods=["GET", "POST"])
@require("programmes.manage")
def new():
    form = _programme_form()
    if request.method == "GET":
        form.organiser_id.data = current_user.id
    if form.validate_on_submit():
        with saving(form, rename=_text_paths) as outcome:
            programme = services.save_programme(form.programme_input())
        if outcome.saved:
            flash(_("The programme is created. Add its sessions now."), "success")
            return redirect(url_for("programmes.show", programme_id=programme.id))
        return _form_page("programmes/form.html", form, error=outcome.error, programme=None)
    return _form_page("programmes/form.html", form, programme=None)


def _text_paths(errors: dict) -> dict[str, str]:
    """The services name titles "title.en"; the form's fields are title_en."""
    return {path: path.replace(".", "_") for path in errors}


def _with_links(programme_id: int) -> Programme:
    """The programme with its organiser, partner libraries and co-organisers, which its pages show."""
    return db.session.scalar(
        sa.select(Programme).where(Programme.id == programme_id).options(
            joinedload(Programme.organiser), selectinload(Programme.partners), selectinload(Programme.co_organisers).joinedload(ProgrammeOrganisation.organisation),
        )
    )


@bp.route("/<int:programme_id>/")
@require("programmes.view")
def show(programme):
    programme = _with_links(programme.id)
    sessions = db.session.scalars(
        sa.select(ProgrammeSession).options(joinedload(ProgrammeSession.organisation)).where(ProgrammeSession.programme_id == programme.id).order_by(ProgrammeSession.starts_at)
    ).all()
    partners = db.session.scalars(
        sa.select(Tenant).join(ProgrammePartner, ProgrammePartner.partner_tenant_id == Tenant.id).where(ProgrammePartner.programme_id == programme.id).order_by(Tenant.name)
    ).all()
    needs = db.session.scalars(sa.select(ProgrammeNeed).where(ProgrammeNeed.programme_id == programme.id, ProgrammeNeed.count > 0).order_by(ProgrammeNeed.need)).all()
    rooms = {room.id: room for room in db.session.scalars(sa.select(Room))} if any(session.occurrence_id for session in sessions) else {}
    return render_template(
        "programmes/show.html", programme=programme, sessions=sessions, partners=partners, needs=needs, counts=services.registration_counts(programme),
        may_manage=allowed("programmes.manage"), now=utcnow(), visitor_labels=VISITOR_LABELS, rooms=rooms,
    )


@bp.route("/<int:programme_id>/edit", methods=["GET", "POST"])
@require("programmes.manage")
def edit(programme):
    form = _programme_form()
    if request.method == "GET":
        form.fill_from(_with_links(programme.id))
    if programme.cancelled_at is not None:
        flash(_("This programme is cancelled."), "info")
        return redirect(url_for("programmes.show", programme_id=programme.id))
    if form.validate_on_submit():
        with saving(form, rename=_text_paths) as outcome:
            services.save_programme(form.programme_input(), programme)
        if outcome.saved:
            flash(_("The programme is saved."), "success")
            return redirect(url_for("programmes.show", programme_id=programme.id))
        return _form_page("programmes/form.html", form, error=outcome.error, programme=lookups.visible_programme(programme.id))
    return _form_page("programmes/form.html", form, programme=programme)


@bp.route("/<int:programme_id>/cancel", methods=["POST"])
@require("programmes.manage")
def cancel(programme):
    programme_id = programme.id
    with saving() as outcome:
        services.cancel_programme(programme, current_user)
    if outcome.saved:
        flash(_("The programme is cancelled, and its sessions still to come with it."), "success")
    else:
        flash(outcome.error or _("The programme could not be cancelled."), "danger")
    return redirect(url_for("programmes.show", programme_id=programme_id))


@bp.route("/<int:programme_id>/sessions/new", methods=["GET", "POST"])
@require("programmes.manage")
def new_session(programme):
    rooms = db.session.scalars(sa.select(Room).where(Room.active).order_by(Room.library, Room.name)).all()
    form = SessionForm(rooms=rooms, organisations=services.active_organisations())
    if programme.cancelled_at is not None:
        flash(_("This programme is cancelled."), "info")
        return redirect(url_for("programmes.show", programme_id=programme.id))
    if form.validate_on_submit():
        with saving(form) as outcome:
            added = services.add_sessions(programme, form.session_input(), current_user, may_approve=allowed("bookings.approve"))
        if outcome.saved:
            flash(ngettext("%(num)d session is added.", "%(num)d sessions are added.", len(added)), "success")
            return redirect(url_for("programmes.show", programme_id=programme.id))
        status = outcome.refusal.status if outcome.refusal is not None else None
        return _form_page("programmes/session_form.html", form, status=status, error=outcome.error, programme=lookups.visible_programme(programme.id))
    return _form_page("programmes/session_form.html", form, programme=programme)


@bp.route("/<int:programme_id>/sessions/<int:programme_session_id>/cancel", methods=["POST"])
@require("programmes.manage")
def cancel_session(programme, programme_session):
    with saving() as outcome:
        services.cancel_session(programme_session, current_user)
    if outcome.saved:
        flash(_("The session is cancelled."), "success")
    else:
        flash(outcome.error or _("The session could not be cancelled."), "danger")
    return redirect(url_for("programmes.show", programme_id=programme.id))


# --- registrations -----------------------------------------------------------------------------------------------


@bp.route("/<int:programme_id>/registrations/")
@require("programmes.manage")
def registrations_list(programme):
    chosen = request.args.get("status", "")
    query = sa.select(Registration).options(joinedload(Registration.referred_by)).where(Registration.programme_id == programme.id)
    if chosen in STATUS_FILTERS:
        query = query.where(Registration.status == STATUS_FILTERS[chosen])
    else:
        query = query.where(Registration.status != RegistrationStatus.CANCELLED)
    status_order = sa.case({RegistrationStatus.REGISTERED.value: 0, RegistrationStatus.WAITLISTED.value: 1}, value=Registration.status, else_=2)
    page = paginate(query.order_by(status_order, Registration.id))
    needs = db.session.scalars(sa.select(ProgrammeNeed).where(ProgrammeNeed.programme_id == programme.id, ProgrammeNeed.count > 0).order_by(ProgrammeNeed.need)).all()
    return render_template("programmes/registrations.html", programme=programme, page=page, chosen=chosen, counts=services.registration_counts(programme), needs=needs)


@bp.route("/<int:programme_id>/registrations/new", methods=["GET", "POST"])
@require("programmes.manage")
def new_registration(programme):
    form = RegistrationForm(organisations=services.active_organisations())
    if request.method == "GET":
        form.locale.data = db.session.get(Tenant, programme.tenant_id).default_locale
    if form.validate_on_submit():
        with saving(form) as outcome:
            registration = registrations.register(programme, form.registration_request())
        if outcome.saved:
            if registration.status is RegistrationStatus.WAITLISTED:
                flash(_("The programme is full: the registration is on the waitlist, and moves up when places free."), "warning")
            else:
                flash(_("Registered."), "success")
            return redirect(url_for("programmes.registrations_list", programme_id=programme.id))
        return _form_page("programmes/registration_form.html", form, error=outcome.error, programme=lookups.visible_programme(programme.id))
    return _form_page("programmes/registration_form.html", form, programme=programme)


@bp.route("/<int:programme_id>/registrations/<int:programme_registration_id>/cancel", methods=["POST"])
@require("programmes.manage")
def cancel_registration(programme, registration):
    with saving() as outcome:
        promoted = registrations.cancel(registration)
    if outcome.saved:
        flash(ngettext(
            "The registration is cancelled. %(num)d registration moved up from the waitlist.", "The registration is cancelled. %(num)d registrations moved up from the waitlist.", len(promoted)
        ) if promoted else _("The registration is cancelled."), "success")
    else:
        flash(outcome.error or _("The registration could not be cancelled."), "danger")
    return redirect(url_for("programmes.registrations_list", programme_id=programme.id))


# --- rosters -----------------------------------------------------------------------------------------------------


def _roster_page(programme, session, form, on_roster, error=None, status=None):
    reason = services.why_no_roster(session)
    return render_template(
        "programmes/roster.html", programme=programme, session=session, form=form, on_roster=on_roster, error=error, reason=reason,
        groups=[group.value for group in TargetGroup], short_labels=VISITOR_SHORT_LABELS,
    ), status or (422 if (error or has_errors(form)) else 200)


@bp.route("/<int:programme_id>/sessions/<int:programme_session_id>/roster", methods=["GET", "POST"])
@require("programmes.manage")
def roster(programme, programme_session):
    on_roster = services.roster_registrations(programme)
    form = roster_form_class(on_roster)()
    if request.method == "GET":
        for registration_id, row in services.marks_of(programme_session).items():
            if f"mark_{registration_id}" in form._fields:
                form[f"mark_{registration_id}"].data = row.mark.value
                if f"present_{registration_id}" in form._fields:
                    form[f"present_{registration_id}"].data = row.present
        for group in TargetGroup:
            form[f"attended_{group.value}"].data = getattr(programme_session, attended_column(group))
    if form.validate_on_submit():
        session_id = programme_session.id
        with saving(form, rename=_roster_paths) as outcome:
            services.record_roster(programme_session, _roster_input(form, on_roster), current_user)
        if outcome.saved:
            flash(_("The roster is saved."), "success")
            return redirect(url_for("programmes.roster", programme_id=programme.id, programme_session_id=session_id))
        session = db.session.get(ProgrammeSession, session_id)
        return _roster_page(lookups.visible_programme(programme.id), session, form, services.roster_registrations(session.programme), outcome.error, outcome.refusal.status)
    return _roster_page(programme, programme_session, form, on_roster)


def _roster_paths(errors: dict) -> dict[str, str]:
    return {path: re.sub(r"^(marks|present|attended)\.", lambda m: {"marks": "mark_", "present": "present_", "attended": "attended_"}[m.group(1)], path) for path in errors}


def _roster_input(form, on_roster) -> services.RosterInput:
    marks, present = {}, {}
    for registration in on_roster:
        value = form[f"mark_{registration.id}"].data
        if value in {mark.value for mark in Mark}:
            marks[registration.id] = Mark(value)
            if registration.is_group:
                present[registration.id] = form[f"present_{registration.id}"].data
    return services.RosterInput(marks=marks, present=present, attended={group.value: form[f"attended_{group.value}"].data for group in TargetGroup})


@bp.route("/<int:programme_id>/sessions/<int:programme_session_id>/roster.pdf")
@require("programmes.manage")
def roster_pdf(programme, programme_session):
    from bibnet.tenants.programmes import roster_pdf as document

    name = f"roster-{programme.id}-{programme_session.starts_at:%Y%m%d}.pdf"
    return Response(file_chunks(document.render(programme, programme_session)), mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})

