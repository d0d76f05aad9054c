"""The coordinator's workshop pages under /t/<slug>/elearning/workshops/: the list, recording one, one workshop,
and correcting who attended. Refusals come back next to their fields, with nothing written."""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import require
from bibnet.accounts.models import Membership, User
from bibnet.elearning.catalogue import published_for_current_tenant
from bibnet.elearning.languages import text
from bibnet.elearning.models import Course, CourseModule
from bibnet.elearning.workshops import (
    lookups,  # noqa: F401  (the URL's workshop)
    services,
)
from bibnet.elearning.workshops.forms import score_field_name, workshop_form
from bibnet.elearning.workshops.models import Workshop, WorkshopAttendee
from bibnet.extensions import db
from bibnet.web.forms import saving
from bibnet.web.pagination import paginate

bp = Blueprint("elearning_workshops", __name__, url_prefix="/t/<tenant_slug>/elearning/workshops")  # templates: elearning/templates, which the e-learning blueprint registers
SCORES_ON_ATTENDEES = {"scores": "attendees"}  # the quiz scores are asked for next to the attendees ticked


def _staff() -> list[tuple[int, str]]:
    """The library's active staff, who can be recorded as attendees."""
    rows = db.session.execute(
        sa.select(User.id, User.name).join(Membership, Membership.user_id == User.id).where(Membership.active).order_by(User.name, User.id)
    )
    return [(user_id, name) for user_id, name in rows]


def _attendance(form, people) -> tuple[services.Attendance, ...]:
    chosen = set(form.attendees.data or [])
    return tuple(services.Attendance(user_id, form[score_field_name(user_id)].data) for user_id, _name in people if user_id in chosen) + tuple(
        services.Attendance(user_id) for user_id in sorted(chosen - {user_id for user_id, _name in people})  # refused: not staff
    )


def _page(template: str, form, **context):
    return render_template(template, form=form, **context), 422 if form.errors else 200


@bp.route("/")
@require("elearning.manage")
def index():
    page = paginate(
        sa.select(Workshop).options(joinedload(Workshop.course), joinedload(Workshop.module)).order_by(Workshop.held_on.desc(), Workshop.id.desc())
    )
    counts = dict(db.session.execute(
        sa.select(WorkshopAttendee.workshop_id, sa.func.count()).where(WorkshopAttendee.workshop_id.in_([w.id for w in page.items] or [0])).group_by(WorkshopAttendee.workshop_id)
    ).all())
    return render_template("elearning/workshops/index.html", page=page, counts=counts)


@bp.route("/new", methods=["GET", "POST"])
@require("elearning.manage")
def new():
    courses = db.session.scalars(published_for_current_tenant().order_by(Course.id)).all()
    modules = db.session.execute(
        sa.select(CourseModule).where(CourseModule.course_id.in_([c.id for c in courses] or [0])).order_by(CourseModule.course_id, CourseModule.position, CourseModule.id)
    ).scalars().all()
    titles = {course.id: text(course.title) for course in courses}
    people = _staff()
    form = workshop_form(people, [(c.id, titles[c.id]) for c in courses], [(m.id, f"{titles[m.course_id]}: {text(m.title)}") for m in modules])
    if request.method == "GET" and request.args.get("course", "").isdigit():
        form.course.data = int(request.args["course"])
    if form.validate_on_submit():
        with saving(form, rename=SCORES_ON_ATTENDEES) as outcome:
            workshop = services.record(services.WorkshopInput(
                held_on=form.held_on.data, course_id=form.course.data, module_id=form.module.data or None,
                facilitator=form.facilitator.data or "", place=form.place.data or "", attendees=_attendance(form, people),
            ), g.tenant, current_user)
        if outcome.saved:
            flash(_("The workshop is recorded: its lessons are done for everyone who attended."), "success")
            return redirect(url_for("elearning_workshops.show", workshop_id=workshop.id))
    return _page("elearning/workshops/form.html", form, people=people)


@bp.route("/<int:workshop_id>/")
@require("elearning.manage")
def show(workshop):
    attendees = db.session.execute(
        sa.select(WorkshopAttendee, User.name).join(User, User.id == WorkshopAttendee.user_id).where(WorkshopAttendee.workshop_id == workshop.id).order_by(User.name, User.id)
    ).all()
    return render_template("elearning/workshops/show.html", workshop=workshop, attendees=attendees)


@bp.route("/<int:workshop_id>/attendees", methods=["GET", "POST"])
@require("elearning.manage")
def attendees(workshop):
    present = services.attendees_of(workshop)
    people = _staff()
    left = [attendee.user_id for attendee in present if attendee.user_id not in {user_id for user_id, _name in people}]
    if left:  # people who attended and have left the library since stay listed, so that keeping them is possible
        people += list(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(left)).order_by(User.name, User.id)).tuples())
    form = workshop_form(people)
    if request.method == "GET":
        form.attendees.data = [attendee.user_id for attendee in present]
        for attendee in present:
            if score_field_name(attendee.user_id) in form:
                form[score_field_name(attendee.user_id)].data = attendee.quiz_score
    elif form.validate_on_submit():
        with saving(form, rename=SCORES_ON_ATTENDEES) as outcome:
            added, removed = services.correct_attendees(workshop, _attendance(form, people), current_user)
        if outcome.saved:
            flash(_("The attendees are corrected: added %(added)d, removed %(removed)d.", added=added, removed=removed), "success")
            return redirect(url_for("elearning_workshops.show", workshop_id=workshop.id))
    return _page("elearning/workshops/attendees.html", form, people=people, workshop=workshop)
