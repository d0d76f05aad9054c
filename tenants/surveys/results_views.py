"""Pages of the survey results: a library's runs and results, one run (with its before/after comparison), the runs
of one programme, room or course, a project's partners for its lead; and their downloads.

Who sees what: the library's coordinator and staff see its suppressed results (`surveys.results.view`); only the
coordinator downloads the anonymous answers themselves (`surveys.results.answers`, see `results_export`); the
project's lead sees the partners' suppressed results side by side, never a partner's answers or its own pages.
"""
from flask import Blueprint, abort, render_template
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.access import require
from bibnet.extensions import db
from bibnet.tenancy.context import partners_of
from bibnet.tenants.surveys import results, results_export
from bibnet.tenants.surveys.models import Outcome, Phase, SurveyRun
from bibnet.web import panels

bp = Blueprint("surveys_results", __name__, url_prefix="/t/<tenant_slug>/surveys/results", template_folder="templates")
project_bp = Blueprint("surveys_results_project", __name__, url_prefix="/projects/<int:project_id>/surveys", template_folder="templates")

panels.register_project_link(_l("Survey results of the partners"), "surveys_results_project.index")

OUTCOME_LABELS = {
    Outcome.KNOWLEDGE: _l("Knowledge"),
    Outcome.CONFIDENCE: _l("Confidence"),
    Outcome.APPLICATION: _l("Application"),
    Outcome.AWARENESS: _l("Awareness"),
    Outcome.WELLBEING: _l("Wellbeing"),
}
PHASE_LABELS = {Phase.SINGLE: _l("Single"), Phase.BEFORE: _l("Before"), Phase.AFTER: _l("After")}
SUBJECTS = {"programme": SurveyRun.programme_id, "room": SurveyRun.room_id, "course": SurveyRun.course_id}
SUBJECT_LABELS = {"programme": _l("Runs about one programme"), "room": _l("Runs about one room"), "course": _l("Runs about one course")}


# The run a URL names (`survey_run_id`) is loaded by the surveys' own loader (tenants/surveys/lookups.py).


def _labels() -> dict:
    return {"outcome_labels": OUTCOME_LABELS, "phase_labels": PHASE_LABELS}


def _runs(*conditions) -> list[SurveyRun]:
    return list(db.session.scalars(sa.select(SurveyRun).where(*conditions).order_by(SurveyRun.created_at, SurveyRun.id)))


@bp.route("/")
@require("surveys.results.view")
def index():
    """Every run of the library, with its responses, and the results across them (before runs left out)."""
    runs = _runs()
    shown = results.overview(runs, sa.true())
    return render_template("surveys/results/overview.html", overview=shown, subject=None, **_labels())


@bp.route("/<any(programme, room, course):subject>/<int:subject_id>")
@require("surveys.results.view")
def subject(subject, subject_id):
    """The runs about one programme, room or course, and the results across them."""
    condition = SUBJECTS[subject] == subject_id
    runs = _runs(condition)
    if not runs:
        abort(404)
    return render_template("surveys/results/overview.html", overview=results.overview(runs, condition), subject=SUBJECT_LABELS[subject], **_labels())


@bp.route("/runs/<int:survey_run_id>")
@require("surveys.results.view")
def run(run):
    return render_template("surveys/results/run.html", results=results.run_results(run), **_labels())


@bp.route("/runs/<int:survey_run_id>/results.<any(csv, xlsx):file_format>")
@require("surveys.results.view")
def run_results_file(run, file_format):
    header, rows = results_export.result_rows(results.run_results(run))
    return results_export.response(file_format, header, rows, f"survey-results-{run.code}", run.title)


@bp.route("/runs/<int:survey_run_id>/answers.<any(csv, xlsx):file_format>")
@require("surveys.results.answers")
def answers_file(run, file_format):
    header, rows = results_export.answer_rows(run)
    return results_export.response(file_format, header, rows, f"survey-answers-{run.code}", run.title)


def _partners(project) -> list[tuple[int, str, str]]:
    return [(partner.tenant_id, partner.code, partner.tenant.name) for partner in project.partners]


def project_results(project) -> results.ProjectResults:
    with partners_of(project, reason="survey results of the partners, suppressed, for the project's lead"):
        return results.project_results(_partners(project))


@project_bp.route("", endpoint="index")
@require("project.lead")
def project_index(project):
    return render_template("surveys/results/project.html", project=project, results=project_results(project), **_labels())


@project_bp.route("/results.<any(csv, xlsx):file_format>", endpoint="results_file")
@require("project.lead")
def project_results_file(project, file_format):
    header, rows = results_export.project_rows(project_results(project))
    return results_export.response(file_format, header, rows, f"survey-results-{project.acronym}", project.acronym)
