"""Pages of a project's programme indicators, for its lead or an admin (`project.lead`): the table of a
reporting period (target, previously reported, this report, cumulative, % of target, evidence), adding the
common RCO/RCR indicators or the programme's own, changing and removing them, and per period the typed value of
an indicator measured by hand and its evidence files."""
from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from bibnet import figures
from bibnet.access import require
from bibnet.extensions import db
from bibnet.loading import register_loader
from bibnet.storage.backends import get_storage
from bibnet.tenancy.models import Project, ReportingPeriod
from bibnet.tenancy.projects import current_project
from bibnet.tenants.funding_reports.dashboards import chosen_period, project_zone
from bibnet.tenants.funding_reports.programme_indicators import services
from bibnet.tenants.funding_reports.programme_indicators.forms import CommonForm, ConfirmForm, EvidenceForm, IndicatorForm, ValueForm
from bibnet.tenants.funding_reports.programme_indicators.models import Measurement, ProgrammeIndicator
from bibnet.tenants.funding_reports.report import period_of
from bibnet.web import panels
from bibnet.web.forms import Outcome, has_errors, saving

bp = Blueprint("programme_indicators", __name__, url_prefix="/projects/<int:project_id>/indicators", template_folder="templates")
panels.register_project_link(_l("Programme indicators: targets, values and evidence"), "programme_indicators.index")


def indicator_of_project(indicator_id: int) -> ProgrammeIndicator | None:
    project = current_project()
    if project is None:
        return None
    indicator = db.session.get(ProgrammeIndicator, indicator_id)
    return indicator if indicator is not None and indicator.project_id == project.id and indicator.deleted_at is None else None


def evidence_of_project(evidence_id: int):
    project = current_project()
    return services.evidence_of(project, evidence_id) if project is not None else None


def period_of_project(number: int):
    project = current_project()
    return period_of(project, number) if project is not None else None


register_loader("indicator_id", "indicator", indicator_of_project)
register_loader("indicator_evidence_id", "evidence", evidence_of_project)
register_loader("indicator_period", "period", period_of_project)


def _page(template: str, forms: list, error: str | None = None, **context):
    failed = bool(error) or any(has_errors(form) for form in forms)
    return render_template(template, error=error, page_has_errors=failed, **context), 422 if failed else 200


@bp.route("/", methods=["GET"])
@require("project.lead")
def index(project: Project):
    number, error = chosen_period(project, project_zone(project))
    period = period_of(project, number)
    rows = services.rows_of(project, period) if period is not None else []
    present = {row.indicator.code for row in rows} if period is not None else {indicator.code for indicator in services.indicators_of(project)}
    common = [(code, name, unit) for code, (name, unit) in figures.PROGRAMME_INDICATORS.items() if code not in present]
    return _page(
        "programme_indicators/index.html", [], error, project=project, period=number, rows=rows, has_period=period is not None,
        common=common, common_form=CommonForm(), remove_form=ConfirmForm(),
    )


@bp.route("/common", methods=["POST"])
@require("project.lead")
def add_common(project: Project):
    form = CommonForm()
    if form.validate_on_submit():
        with saving(form) as outcome:
            added = services.add_common(project, form.codes.data or [])
        if outcome.saved:
            flash(ngettext("%(num)d indicator added. Set its target.", "%(num)d indicators added. Set their targets.", len(added)), "success")
        else:
            flash(outcome.error or _("Choose one or more indicators of the list."), "danger")
    return redirect(url_for("programme_indicators.index", project_id=project.id))


def _edit(project: Project, indicator: ProgrammeIndicator | None):
    form = IndicatorForm(obj=indicator) if request.method == "GET" and indicator is not None else IndicatorForm()
    if request.method == "GET" and indicator is not None:
        form.measurement.data = indicator.measurement.value
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            if indicator is None:
                services.add(project, form.data_input())
            else:
                services.change(project, indicator, form.data_input())
        if outcome.saved:
            flash(_("The indicator is saved."), "success")
            return redirect(url_for("programme_indicators.index", project_id=project.id))
    return _page("programme_indicators/edit.html", [form], outcome.error, project=project, indicator=indicator, form=form)


@bp.route("/new", methods=["GET", "POST"])
@require("project.lead")
def new(project: Project):
    return _edit(project, None)


@bp.route("/<int:indicator_id>/", methods=["GET", "POST"])
@require("project.lead")
def edit(project: Project, indicator: ProgrammeIndicator):
    return _edit(project, indicator)


@bp.route("/<int:indicator_id>/remove", methods=["POST"])
@require("project.lead")
def remove(project: Project, indicator: ProgrammeIndicator):
    form = ConfirmForm()
    if form.validate_on_submit():
        services.remove(indicator, current_user)
        db.session.commit()
        flash(_("%(code)s is removed. Its values and evidence stay in the audit log and the earlier reports.", code=indicator.code), "success")
    return redirect(url_for("programme_indicators.index", project_id=project.id))


@bp.route("/<int:indicator_id>/periods/<int:indicator_period>", methods=["GET", "POST"])
@require("project.lead")
def period_values(project: Project, indicator: ProgrammeIndicator, period):
    """The indicator in one reporting period: its typed value (measured by hand) and its evidence files."""
    value_form, evidence_form = ValueForm(prefix="value"), EvidenceForm(prefix="evidence")
    outcome = Outcome()
    here = url_for("programme_indicators.period_values", project_id=project.id, indicator_id=indicator.id, indicator_period=period.number)
    if request.method == "POST" and request.form.get("action") == "value" and value_form.validate_on_submit():
        with saving(value_form, rename={f"values.{indicator.code}": "value"}) as outcome:
            services.set_values(project, period, {indicator.code: value_form.value.data})
        if outcome.saved:
            flash(_("The value of period %(number)d is saved.", number=period.number), "success")
            return redirect(here)
    elif request.method == "POST" and request.form.get("action") == "evidence" and evidence_form.validate_on_submit():
        upload = evidence_form.file.data
        with saving(evidence_form) as outcome:
            services.attach_evidence(project, indicator, period, upload.read() if upload else b"", getattr(upload, "filename", "") or "", evidence_form.description.data or "", current_user)
        if outcome.saved:
            flash(_("The evidence is attached."), "success")
            return redirect(here)
    (row,) = services.rows_of(project, period, [indicator])
    if request.method == "GET" and indicator.measurement is Measurement.MANUAL and row.typed:
        value_form.value.data = row.this_report
    return _page(
        "programme_indicators/period.html", [value_form, evidence_form], outcome.error, project=project, indicator=indicator, period=period, row=row,
        value_form=value_form, evidence_form=evidence_form, remove_form=ConfirmForm(), keys=services.keys_of(indicator),
    )


@bp.route("/evidence/<int:indicator_evidence_id>", methods=["GET"])
@require("project.lead")
def evidence_file(project: Project, evidence):
    stream, stored = services.open_evidence(evidence)
    response = send_file(stream, mimetype=stored.content_type, as_attachment=True, download_name=stored.filename, max_age=0)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@bp.route("/evidence/<int:indicator_evidence_id>/remove", methods=["POST"])
@require("project.lead")
def remove_evidence(project: Project, evidence):
    form = ConfirmForm()
    period = db.session.get(ReportingPeriod, evidence.period_id)
    if form.validate_on_submit():
        key = services.remove_evidence(evidence)
        db.session.commit()
        get_storage().delete(key)
        flash(_("The evidence file is removed."), "success")
    return redirect(url_for("programme_indicators.period_values", project_id=project.id, indicator_id=evidence.indicator_id, indicator_period=period.number))
