"""Pages of the project's finance setup, for its lead or an admin: fund and rates, reporting periods, and each
partner's contribution sources. The rules are in `finance.py`; these pages read forms and show refusals."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from bibnet.access import require
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.budgets import finance
from bibnet.tenants.budgets.forms import SetupForm, periods_form, sources_form
from bibnet.tenants.budgets.labels import CATEGORY_LABELS, jems_label
from bibnet.tenants.budgets.services import setup_of, sources_of
from bibnet.web import panels
from bibnet.web.forms import Outcome, has_errors, saving

bp = Blueprint("finance_setup", __name__, url_prefix="/projects/<int:project_id>/finance", template_folder="templates")
panels.register_project_link(_l("Finance setup and partner budgets"), "finance_setup.index")


def _page(template: str, form, status_error: str | None = None, **context):
    """The page with its form; 422 when something was refused."""
    failed = bool(status_error) or has_errors(form)
    return render_template(template, form=form, error=status_error, page_has_errors=failed, **context), 422 if failed else 200


@bp.route("/", methods=["GET", "POST"])
@require("project.lead")
def index(project):
    setup = setup_of(project)
    form = SetupForm(obj=setup) if request.method == "GET" else SetupForm()
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            finance.save_setup(project, form.data_input())
        if outcome.saved:
            flash(_("The fund and the flat rate are saved."), "success")
            return redirect(url_for("finance_setup.index", project_id=project.id))
    return _page(
        "budgets/setup.html",
        form,
        outcome.error,
        project=project,
        setup=setup,
        categories=[(category, label, jems_label(category)) for category, label in CATEGORY_LABELS.items()],
        sources=finance.sources_by_tenant(project),
    )


@bp.route("/periods", methods=["GET", "POST"])
@require("project.lead")
def periods(project):
    form = periods_form(len(project.reporting_periods))
    if request.method == "GET":
        form.fill(project.reporting_periods)
    outcome = Outcome()
    if form.validate_on_submit() and (typed := form.periods()) is not None:
        with saving(form) as outcome:
            finance.save_periods(project, typed)
        if outcome.saved:
            flash(_("The reporting periods are saved."), "success")
            return redirect(url_for("finance_setup.index", project_id=project.id) + "#periods")
    return _page("budgets/setup_periods.html", form, outcome.error, project=project)


@bp.route("/partners/<int:partner_id>/sources", methods=["GET", "POST"])
@require("project.lead")
def sources(project, partner):
    with tenant_scope(partner.tenant_id, reason="finance setup: the partner's contribution sources"):
        current = sources_of(project)
    form = sources_form(len(current))
    if request.method == "GET":
        form.fill(current)
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form, rename=form.renumbering) as outcome:
            finance.save_sources(project, partner, form.sources())
        if outcome.saved:
            flash(_("The contribution sources of %(partner)s are saved.", partner=partner.tenant.name), "success")
            return redirect(url_for("finance_setup.index", project_id=project.id) + "#partners")
    return _page("budgets/setup_sources.html", form, outcome.error, project=project, partner=partner, setup=setup_of(project))
