"""Pages of the usage figures: the tenant's rooms (`usage`), a project's partners for its lead (`usage_project`),
their CSV and XLSX downloads, and the box on the tenant home.

The box and the dashboard link are registered here, when `init_app` imports this module: the core only
knows the hooks of `bibnet.web.panels`, never this package.
"""
from datetime import date

from flask import Blueprint, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from bibnet import figures as registry
from bibnet.access import require
from bibnet.db import utcnow
from bibnet.tenancy.context import partners_of
from bibnet.tenancy.models import Project
from bibnet.tenants.bookings.recurrence import to_local
from bibnet.tenants.usage import export, figures, report_figures
from bibnet.tenants.usage.figures import MEASURES, Period
from bibnet.web import menu, panels
from bibnet.web.fields import parse_whole_number

bp = Blueprint("usage", __name__, url_prefix="/t/<tenant_slug>/usage", template_folder="templates")
project_bp = Blueprint("usage_project", __name__, url_prefix="/projects/<int:project_id>/usage", template_folder="templates")

menu.register(_l("Usage"), "usage.index", "usage.view")
panels.register_project_link(_l("Usage of the sensory rooms"), "usage_project.index")


def this_year(zone: str) -> int:
    return to_local(utcnow(), zone).year


def year_choices(zone: str, *also: int) -> list[int]:
    """The years to choose from: this year, the given ones, and every year with a session in the current scope."""
    known = [this_year(zone), *also, *(figures.years_with_sessions(zone) or ())]
    return list(range(min(known), max(known) + 1))


def chosen_year(choices: list[int], default: int) -> tuple[int, str | None]:
    """The `?year=` of the request, or `default`; with a translated message when it is not one of `choices`."""
    raw = request.args.get("year", "").strip()
    if not raw:
        return default, None
    if parse_whole_number(raw) in choices:
        return int(raw), None
    return default, _("Choose a year from the list.")


def other_figures(table: registry.FigureTable, across_tenants: bool) -> list[dict]:
    """The figures other features register (equipment, lending, home visits, training...), one row each with its
    value per tenant of `table` and the total, as shown: counts read across tenants from 1 to 4 are "<5"."""
    own = {figure.key for figure in report_figures.SOURCE.figures}
    return [
        {
            "figure": figure,
            "values": [figure.shown(table.value(tenant_id, figure.key), across_tenants) for tenant_id in table.tenant_ids],
            "total": figure.shown(table.total(figure.key), across_tenants),
        }
        for figure in table.figures if figure.key not in own
    ]


# --- the tenant's rooms ---------------------------------------------------------------------------------------


def _tenant_year() -> tuple[int, list[int], str | None]:
    zone = g.tenant.timezone
    choices = year_choices(zone)
    year, error = chosen_year(choices, this_year(zone))
    return year, choices, error


def _tenant_page_refused(year: int, choices: list[int], error: str):
    return render_template("usage/index.html", year=year, years=choices, error=error, usage=None, page_has_errors=True), 422


@bp.route("/")
@require("usage.view")
def index():
    year, choices, error = _tenant_year()
    if error:
        return _tenant_page_refused(year, choices, error)
    usage = figures.tenant_usage(g.tenant, Period.year(year))
    others = other_figures(registry.compute(None, [g.tenant], date(year, 1, 1), date(year, 12, 31)), across_tenants=False)
    return render_template("usage/index.html", year=year, years=choices, error=None, usage=usage, measures=MEASURES, others=others, partners=None)


@bp.route("/export.<any(csv, xlsx):file_format>")
@require("usage.view")
def export_file(file_format):
    year, choices, error = _tenant_year()
    if error:
        return _tenant_page_refused(year, choices, error)
    others = other_figures(registry.compute(None, [g.tenant], date(year, 1, 1), date(year, 12, 31)), across_tenants=False)
    header, rows = export.tenant_rows(figures.tenant_usage(g.tenant, Period.year(year)), others, g.tenant.name)
    return export.response(file_format, header, rows, g.tenant.slug, str(year), f"{g.tenant.name} {year}")


def home_panel_data() -> dict:
    """This year's sessions and visitors of the tenant, for the box on the tenant home."""
    year = this_year(g.tenant.timezone)
    return {"year": year, "usage": figures.tenant_usage(g.tenant, Period.year(year))}


panels.register_home_panel("usage/_home_panel.html", home_panel_data, "usage.view")


# --- a project's partners, for the project lead ----------------------------------------------------------------


def project_zone(project: Project) -> str:
    """The time zone that decides "this year" for a project: its lead partner's (LP1)."""
    return project.partners[0].tenant.timezone if project.partners else "UTC"


def _project_year(project: Project) -> tuple[int, list[int], str | None]:
    zone = project_zone(project)
    with partners_of(project, reason="years with sessions, for the project's usage page"):
        choices = year_choices(zone, project.starts_on.year, project.ends_on.year)
    year, error = chosen_year(choices, this_year(zone))
    return year, choices, error


def _project_page_refused(project: Project, year: int, choices: list[int], error: str):
    return render_template("usage/project.html", project=project, year=year, years=choices, error=error, usage=None, page_has_errors=True), 422


@project_bp.route("", endpoint="index")
@require("project.lead")
def project_index(project):
    year, choices, error = _project_year(project)
    if error:
        return _project_page_refused(project, year, choices, error)
    usage = figures.project_usage(project, Period.year(year))
    others = other_figures(registry.of_project(project, None, date(year, 1, 1), date(year, 12, 31)), across_tenants=True)
    partners = [partner.code for partner in project.partners]
    return render_template("usage/project.html", project=project, year=year, years=choices, error=None, usage=usage, measures=MEASURES, others=others, partners=partners)


@project_bp.route("/export.<any(csv, xlsx):file_format>", endpoint="export_file")
@require("project.lead")
def export_file_of_project(project, file_format):
    year, choices, error = _project_year(project)
    if error:
        return _project_page_refused(project, year, choices, error)
    others = other_figures(registry.of_project(project, None, date(year, 1, 1), date(year, 12, 31)), across_tenants=True)
    header, rows = export.project_rows(figures.project_usage(project, Period.year(year)), others)
    return export.response(file_format, header, rows, project.acronym, str(year), f"{project.acronym} {year}")
