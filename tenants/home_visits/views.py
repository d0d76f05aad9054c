"""Pages of the home visits: the schedule (each visitor's route of upcoming visits), the logged visits, a visit,
scheduling one and logging it as held or missed. No menu entry: the tenant home's panel links here."""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import require
from bibnet.accounts.models import User
from bibnet.accounts.services import active_members
from bibnet.extensions import db
from bibnet.tenants.bookings.labels import VISITOR_LABELS
from bibnet.tenants.home_visits import lookups, services  # lookups: the URL's visit
from bibnet.tenants.home_visits.forms import LogForm, VisitForm
from bibnet.tenants.home_visits.labels import PART_OF_DAY_LABELS, STATUS_LABELS
from bibnet.tenants.home_visits.models import Direction, HomeVisit, PartOfDay, VisitStatus
from bibnet.tenants.lending.models import Borrower
from bibnet.web.fields import parse_whole_number
from bibnet.web.forms import saving
from bibnet.web.pagination import paginate

bp = Blueprint("home_visits", __name__, url_prefix="/t/<tenant_slug>/home-visits", template_folder="templates")

# Morning before afternoon before evening, in SQL.
PART_ORDER = sa.case({PartOfDay.MORNING.value: 0, PartOfDay.AFTERNOON.value: 1}, value=HomeVisit.part_of_day, else_=2)


@bp.app_context_processor
def _labels():
    return {"part_of_day_labels": PART_OF_DAY_LABELS, "visit_status_labels": STATUS_LABELS}


def _form_page(template: str, form, **context):
    return render_template(template, form=form, **context), 422 if form.errors else 200


@bp.route("/")
@require("home_visits.visit")
def index():
    """Upcoming visits and those still to be logged, per visitor: each staff member's route, day by day."""
    staff = active_members()
    chosen = parse_whole_number(request.args.get("staff"))
    query = (
        sa.select(HomeVisit)
        .outerjoin(User, User.id == HomeVisit.staff_id)
        .options(joinedload(HomeVisit.borrower), joinedload(HomeVisit.staff))
        .where(HomeVisit.status == VisitStatus.SCHEDULED)
        .order_by(sa.func.coalesce(User.name, HomeVisit.volunteer_name), HomeVisit.visit_on, PART_ORDER, HomeVisit.id)
    )
    if chosen is not None:
        query = query.where(HomeVisit.staff_id == chosen)
    return render_template("home_visits/index.html", page=paginate(query), staff=staff, chosen=chosen, today=g.tenant.today())


@bp.route("/logged")
@require("home_visits.visit")
def logged():
    page = paginate(
        sa.select(HomeVisit)
        .options(joinedload(HomeVisit.borrower), joinedload(HomeVisit.staff))
        .where(HomeVisit.status != VisitStatus.SCHEDULED)
        .order_by(HomeVisit.visit_on.desc(), HomeVisit.id.desc())
    )
    return render_template("home_visits/logged.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@require("home_visits.visit")
def new():
    borrowers = db.session.scalars(sa.select(Borrower).where(Borrower.erased_at.is_(None)).order_by(Borrower.name, Borrower.id)).all()
    form = VisitForm(borrowers=borrowers, staff=active_members())
    if request.method == "GET":
        form.borrower_id.data = parse_whole_number(request.args.get("borrower"))
    if form.validate_on_submit():
        with saving(form) as outcome:
            visit = services.schedule(services.VisitInput(
                borrower_id=form.borrower_id.data, visit_on=form.visit_on.data, part_of_day=PartOfDay(form.part_of_day.data),
                staff_id=form.staff_id.data, volunteer_name=form.volunteer_name.data or "",
            ))
        if outcome.saved:
            flash(_("The visit is scheduled."), "success")
            return redirect(url_for("home_visits.show", visit_id=visit.id))
        return _form_page("home_visits/form.html", form, error=outcome.error)
    return _form_page("home_visits/form.html", form, error=None)


@bp.route("/<int:visit_id>/")
@require("home_visits.visit")
def show(visit):
    return render_template(
        "home_visits/show.html", visit=visit, visitor_labels=VISITOR_LABELS,
        taken=[entry.item for entry in visit.items if entry.direction is Direction.OUT],
        returned=[entry.item for entry in visit.items if entry.direction is Direction.BACK],
    )


@bp.route("/<int:visit_id>/log", methods=["GET", "POST"])
@require("home_visits.visit")
def log(visit):
    if visit.status is not VisitStatus.SCHEDULED:
        flash(_("This visit is already logged."), "info")
        return redirect(url_for("home_visits.show", visit_id=visit.id))
    form = LogForm()
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.log(visit, form.visit_log())
        if outcome.saved:
            flash(_("The visit is logged."), "success")
            return redirect(url_for("home_visits.show", visit_id=visit.id))
        # The refusal dropped what the request wrote and the visit with it: read it again for the page.
        return _form_page("home_visits/log.html", form, visit=lookups.visible_visit(visit.id), error=outcome.error)
    return _form_page("home_visits/log.html", form, visit=visit, error=None)
