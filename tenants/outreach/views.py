"""Pages of the services at home and remote: the log (filtered by month and kind, paginated), logging a service and
correcting it, the figures per month, and who needs the services with the reach as a share. In the menu's
Outreach group, beside the partners and the surveys."""
from datetime import date
import re

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import require
from bibnet.accounts.services import active_members
from bibnet.tenants.bookings.labels import VISITOR_LABELS, VISITOR_SHORT_LABELS
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.outreach import (
    figures,
    lookups,  # noqa: F401  (the URL's service)
    services,
)
from bibnet.tenants.outreach.forms import NeedForm, ServiceForm
from bibnet.tenants.outreach.labels import KIND_LABELS
from bibnet.tenants.outreach.models import NeedEstimate, OutreachService, ServiceKind
from bibnet.web import menu
from bibnet.web.fields import parse_whole_number
from bibnet.web.forms import saving
from bibnet.web.pagination import paginate

bp = Blueprint("outreach", __name__, url_prefix="/t/<tenant_slug>/outreach", template_folder="templates")
menu.register(_l("Services at home and remote"), "outreach.services", "outreach.log", group=menu.OUTREACH)
MONTH = re.compile(r"(\d{4})-(\d{2})")


@bp.app_context_processor
def _labels():
    return {"service_kind_labels": KIND_LABELS}


def _form_page(template: str, form, **context):
    return render_template(template, form=form, **context), 422 if form.errors or context.get("error") else 200


def parse_month(text: str) -> date | None:
    """A month as an <input type="month"> sends it (2026-11); anything else is None."""
    match = MONTH.fullmatch(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


def _year() -> tuple[int, str | None]:
    this_year = g.tenant.today().year
    raw = request.args.get("year", "").strip()
    if not raw:
        return this_year, None
    year = parse_whole_number(raw)
    if year is None or not 2000 <= year <= this_year + 1:
        return this_year, _("Choose a year from %(first)d to %(last)d.", first=2000, last=this_year + 1)
    return year, None


@bp.route("/", endpoint="services")
@require("outreach.log")
def service_log():
    """The log, the latest day first, filtered by month (`?month=2026-11`) and kind (`?kind=phone`)."""
    query = sa.select(OutreachService).options(joinedload(OutreachService.staff)).order_by(OutreachService.given_on.desc(), OutreachService.id.desc())
    errors = {}
    month_text, kind_text = request.args.get("month", "").strip(), request.args.get("kind", "").strip()
    month = parse_month(month_text) if month_text else None
    if month_text and month is None:
        errors["month"] = _("Choose a month, like %(example)s.", example=g.tenant.today().strftime("%Y-%m"))
    if month is not None:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        query = query.where(OutreachService.given_on >= month, OutreachService.given_on < following)
    kind = ServiceKind(kind_text) if kind_text in {kind.value for kind in ServiceKind} else None
    if kind_text and kind is None:
        errors["kind"] = _("Choose a service from the list.")
    if kind is not None:
        query = query.where(OutreachService.kind == kind)
    page = paginate(query)
    filters = {"month": month_text or None, "kind": kind_text or None}
    return render_template("outreach/services.html", page=page, errors=errors, filters=filters, page_has_errors=bool(errors)), 422 if errors else 200


def _staff_form(**kwargs) -> ServiceForm:
    return ServiceForm(staff=active_members(), **kwargs)


@bp.route("/new", methods=["GET", "POST"])
@require("outreach.log")
def new():
    form = _staff_form()
    if request.method == "GET":
        form.given_on.data = g.tenant.today()
        form.staff_id.data = current_user.id
        if kind := request.args.get("kind"):
            form.kind.data = kind if kind in {kind.value for kind in ServiceKind} else form.kind.data
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.log_service(form.service_input())
        if outcome.saved:
            flash(_("The service is logged."), "success")
            return redirect(url_for("outreach.services"))
        return _form_page("outreach/service_form.html", form, error=outcome.error, service=None)
    return _form_page("outreach/service_form.html", form, error=None, service=None)


@bp.route("/<int:outreach_service_id>/edit", methods=["GET", "POST"])
@require("outreach.log")
def edit(service):
    form = _staff_form(obj=service)
    if request.method == "GET":
        form.kind.data = service.kind.value
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.update_service(service, form.service_input())
        if outcome.saved:
            flash(_("The service is saved."), "success")
            return redirect(url_for("outreach.services"))
        return _form_page("outreach/service_form.html", form, error=outcome.error, service=service)
    return _form_page("outreach/service_form.html", form, error=None, service=service)


@bp.route("/figures")
@require("outreach.log")
def monthly():
    """Services per kind and people served per target group, per month of a year; held home visits included."""
    year, error = _year()
    rows = figures.monthly(year)
    kinds = [(kind.value, KIND_LABELS[kind]) for kind in ServiceKind] + [(figures.HOME_VISIT, _("Home visits held"))]
    return render_template(
        "outreach/figures.html", year=year, error=error, rows=rows, kinds=kinds, groups=[(group.value, VISITOR_SHORT_LABELS[group.value]) for group in TargetGroup], page_has_errors=bool(error),
    ), 422 if error else 200


@bp.route("/needs")
@require("outreach.log")
def needs():
    """Who needs the services: the latest estimate per target group and the year's reach as a share of it, then
    every estimate recorded (paginated)."""
    year, error = _year()
    page = paginate(sa.select(NeedEstimate).order_by(NeedEstimate.estimated_on.desc(), NeedEstimate.id.desc()))
    return render_template(
        "outreach/needs.html", year=year, error=error, reach=figures.reach(g.tenant, year), page=page, group_labels=VISITOR_LABELS, page_has_errors=bool(error),
        percent=lambda share: format_percent(share, "#,##0.0%"),
    ), 422 if error else 200


@bp.route("/needs/new", methods=["GET", "POST"])
@require("outreach.log")
def new_need():
    form = NeedForm()
    if request.method == "GET":
        form.estimated_on.data = g.tenant.today()
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.record_need(form.need_input())
        if outcome.saved:
            flash(_("The estimate is recorded."), "success")
            return redirect(url_for("outreach.needs"))
        return _form_page("outreach/need_form.html", form, error=outcome.error)
    return _form_page("outreach/need_form.html", form, error=None)
