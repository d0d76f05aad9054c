"""Pages of a partner's budget: the version in force, its versions, the coordinator's draft with its lines,
and the project lead's approval. The rules are in `versions.py`; these pages read forms and show refusals.

The coordinator manages the tenant's own budget; the project lead and admins read every partner's by
visiting the partner's tenant, and approve its drafts.
"""
from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.access import allowed, require
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.models import Project
from bibnet.tenants.budgets import lookups, periods, spending, versions  # noqa: F401  (lookups: the URL's version or line)
from bibnet.tenants.budgets.forms import ApproveForm, line_form
from bibnet.tenants.budgets.labels import CATEGORY_LABELS, LEGAL_STATUS_LABELS
from bibnet.tenants.budgets.models import BudgetLine, BudgetVersion, CostCategory
from bibnet.tenants.budgets.services import setup_of, sources_of, version_in_force, version_plan
from bibnet.web import menu
from bibnet.web.forms import Outcome, has_errors, saving
from bibnet.web.projects import only_project_or_list

bp = Blueprint("budget", __name__, url_prefix="/t/<tenant_slug>/budget", template_folder="templates")
menu.register(_l("Budget"), "budget.index", "budget.view")


@bp.route("/")
@require("budget.view")
def index():
    return only_project_or_list("budget.show", "budgets/index.html")


def _version_page(project: Project, version: BudgetVersion | None, status: int = 200, approve_form=None, error=None):
    """A version with its lines by category, its totals per category and period, and its co-financing.

    A draft also shows what changed against the version in force, the categories whose reported spending
    exceeds the draft's budget (a warning), and, to the project lead, the approval form.
    """
    lines = {category: [] for category in CostCategory}
    if version is not None:
        for line in db.session.scalars(
            sa.select(BudgetLine).where(BudgetLine.version_id == version.id).order_by(BudgetLine.category, BudgetLine.id).options(selectinload(BudgetLine.periods))
        ):
            lines[line.category].append(line)
    plan, plan_error = _plan(project, version)
    in_force = version_in_force(project)
    is_draft = version is not None and version.approved_on is None
    comparison = warnings = None
    if is_draft and plan is not None:
        in_force_plan, _ = _plan(project, in_force)
        comparison = versions.changes(plan, in_force_plan) if in_force_plan is not None else None
        warnings = versions.overspent(plan, spending.reported(project))
    if is_draft and approve_form is None and allowed("budget.approve"):
        approve_form = ApproveForm()
    return render_template(
        "budgets/version.html",
        project=project,
        version=version,
        status=versions.status_of(version) if version is not None else None,
        lines=lines,
        plan=plan,
        plan_error=plan_error,
        setup=setup_of(project),
        sources=sources_of(project),
        all_versions=versions.versions_of(project),
        in_force=in_force,
        comparison=comparison,
        warnings=warnings,
        approve_form=approve_form,
        error=error,
        page_has_errors=bool(error) or (approve_form is not None and has_errors(approve_form)),
        can_manage=allowed("budget.manage"),
        category_labels=CATEGORY_LABELS,
        legal_status_labels=LEGAL_STATUS_LABELS,
    ), status


def _plan(project, version):
    """The version's plan, or None with the reason when the sources no longer fit it."""
    try:
        return version_plan(project, version), None
    except Refused as refusal:
        return None, refusal.summary()


@bp.route("/<int:project_id>/")
@require("budget.view")
def show(project):
    return _version_page(project, version_in_force(project) or versions.draft_of(project))


@bp.route("/<int:project_id>/versions/<int:version_number>/")
@require("budget.view")
def version(project, version):
    return _version_page(project, version)


@bp.route("/<int:project_id>/versions/", methods=["POST"])
@require("budget.manage")
def start_draft(project):
    in_force = version_in_force(project)
    if in_force is not None and request.form.get("confirmed") != "yes":  # a step that needs no JavaScript
        closed = sorted(periods.closed_periods(project))
        return render_template("budgets/confirm_modification.html", project=project, in_force=in_force, closed=closed)
    with saving() as outcome:
        draft = versions.start_draft(project)
    if outcome.refused:
        return _version_page(project, version_in_force(project), 422, error=outcome.error)
    flash(_("The draft is started. Change its lines, then ask the project lead to approve it."), "success")
    return redirect(url_for("budget.version", project_id=project.id, version_number=draft.number))


@bp.route("/<int:project_id>/versions/<int:version_number>/discard", methods=["POST"])
@require("budget.manage")
def discard_draft(project, version):
    with saving() as outcome:
        versions.discard_draft(version)
    if outcome.refused:
        return _version_page(project, version, 422, error=outcome.error)
    flash(_("The draft is deleted."), "success")
    return redirect(url_for("budget.show", project_id=project.id))


@bp.route("/<int:project_id>/versions/<int:version_number>/approve", methods=["POST"])
@require("budget.approve")
def approve(project, version):
    form = ApproveForm()
    if not form.validate_on_submit():
        return _version_page(project, version, 422, approve_form=form)
    with saving(form) as outcome:
        versions.approve(project, version, form.approved_on.data)
    if outcome.refused:
        return _version_page(project, version, 422, approve_form=form, error=outcome.error)
    flash(_("The budget version is approved and in force."), "success")
    return redirect(url_for("budget.show", project_id=project.id))


def _line_page(project, version, form, line=None, error=None):
    failed = bool(error) or has_errors(form)
    kept = versions.kept_periods(project, version, line)
    return render_template(
        "budgets/line_form.html", project=project, version=version, form=form, line=line, error=error, page_has_errors=failed, office_flat_rate=setup_of(project).office_flat_rate,
        kept=sorted(kept.items()),
    ), 422 if failed else 200


@bp.route("/<int:project_id>/versions/<int:version_number>/lines/new", methods=["GET", "POST"])
@require("budget.manage")
def new_line(project, version):
    draft = version
    form = line_form(project.reporting_periods, versions.closed_for(project, draft))
    outcome = Outcome()
    if form.validate_on_submit() and (typed := form.line_input()) is not None:
        with saving(form) as outcome:
            versions.add_line(project, draft, typed)
        if outcome.saved:
            flash(_("The budget line is added."), "success")
            return redirect(url_for("budget.version", project_id=project.id, version_number=draft.number))
    return _line_page(project, draft, form, error=outcome.error)


@bp.route("/<int:project_id>/lines/<int:line_id>/edit", methods=["GET", "POST"])
@require("budget.manage")
def edit_line(project, line):
    form = line_form(project.reporting_periods, versions.closed_for(project, line.version))
    if request.method == "GET":
        form.fill(line)
    outcome = Outcome()
    if form.validate_on_submit() and (typed := form.line_input()) is not None:
        with saving(form) as outcome:
            versions.change_line(project, line, typed)
        if outcome.saved:
            flash(_("The budget line is saved."), "success")
            return redirect(url_for("budget.version", project_id=project.id, version_number=line.version.number))
    return _line_page(project, line.version, form, line=line, error=outcome.error)


@bp.route("/<int:project_id>/lines/<int:line_id>/remove", methods=["POST"])
@require("budget.manage")
def remove_line(project, line):
    version = line.version
    with saving() as outcome:
        versions.remove_line(project, line)
    if outcome.refused:
        return _version_page(project, version, 422, error=outcome.error)
    flash(_("The budget line is removed."), "success")
    return redirect(url_for("budget.version", project_id=project.id, version_number=version.number))


def total_of(lines: list[BudgetLine]) -> Decimal:
    return sum((line.total for line in lines), Decimal("0.00"))


bp.add_app_template_filter(total_of, "budget_lines_total")
