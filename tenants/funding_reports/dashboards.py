"""Dashboards of the funding figures: a partner's own (`funding`), every partner of a project side by side for
its lead (`funding_project`), and a box on the tenant home. The menu entry, the box and the lead's link are
registered here, when `init_app` imports this module.

Each page shows one reporting period, chosen with `?period=N`; by default the period that contains today (in the
tenant's time zone, the lead partner's for a project), else the last one before today, else the first.

**Behind plan.** A partner is behind plan in period N when what it has reported up to the end of period N is less
than 85 % of what its budget in force plans for periods 1 to N (the per-period amounts of `PartnerPlan.periods`).
A partner that plans nothing up to period N is never behind. The lead's page says so in words, not only by colour.
"""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Blueprint, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from bibnet.access import require
from bibnet.refusals import Refused
from bibnet.tenancy.models import Partner, Project, ReportingPeriod
from bibnet.tenancy.queries import projects_of_current_tenant
from bibnet.tenants.budgets.labels import CATEGORY_LABELS
from bibnet.tenants.funding_reports import figures
from bibnet.tenants.funding_reports.figures import ZERO, percent_used
from bibnet.tenants.funding_reports.programme_indicators import services as programme_indicators
from bibnet.web import menu, panels
from bibnet.web.fields import parse_whole_number
from bibnet.web.projects import only_project_or_list

bp = Blueprint("funding", __name__, url_prefix="/t/<tenant_slug>/funding", template_folder="templates")
project_bp = Blueprint("funding_project", __name__, url_prefix="/projects/<int:project_id>/funding", template_folder="templates")

menu.register(_l("Funding"), "funding.index", "funding.view")
panels.register_project_link(_l("Funding: the partners side by side"), "funding_project.index")

BEHIND_PLAN_BELOW = Decimal(85)  # per cent of the plan up to the period: see the module's docstring

# The figures' own rounding of percentages (half up, none when nothing is planned), for the templates' cells.
bp.add_app_template_global(percent_used, "percent_used")


def is_behind_plan(planned_to_date: Decimal, reported_to_date: Decimal) -> bool:
    return planned_to_date > 0 and reported_to_date * 100 < BEHIND_PLAN_BELOW * planned_to_date


def today_in(zone: str) -> date:
    return datetime.now(ZoneInfo(zone)).date()


def default_period(periods: list[ReportingPeriod], today: date) -> int:
    """The period that contains `today`, else the last one ended before it, else the first (1 without periods)."""
    for period in periods:
        if period.starts_on <= today <= period.ends_on:
            return period.number
    ended = [period for period in periods if period.ends_on < today]
    if ended:
        return max(ended, key=lambda period: period.ends_on).number
    return periods[0].number if periods else 1


def chosen_period(project: Project, zone: str) -> tuple[int, str | None]:
    """The `?period=` of the request, or the default; with a translated message when it is not a period of the project."""
    choices = figures.period_numbers(project)
    default = default_period(list(project.reporting_periods), today_in(zone))
    raw = request.args.get("period", "").strip()
    if not raw:
        return default, None
    if parse_whole_number(raw) in choices:
        return int(raw), None
    return default, _("Choose a reporting period from the list.")


# --- a partner's own figures ------------------------------------------------------------------------------------


@bp.route("/")
@require("funding.view")
def index():
    """The tenant's only project's dashboard, or the list of its projects."""
    return only_project_or_list("funding.dashboard", "funding_reports/index.html")


@bp.route("/<int:project_id>/")
@require("funding.view")
def dashboard(project):
    period, error = chosen_period(project, g.tenant.timezone)
    page = {"project": project, "period": period, "error": error, "overview": None, "problem": None}
    if error:
        return render_template("funding_reports/dashboard.html", **page, page_has_errors=True), 422
    try:
        overview = figures.partner_overview(project, period)
    except Refused as refusal:
        return render_template("funding_reports/dashboard.html", **page | {"problem": refusal.summary()})
    progress = overview.progress(period)
    return render_template(
        "funding_reports/dashboard.html",
        **page | {"overview": overview, "category_labels": CATEGORY_LABELS, "periods": _periods_by_number(project)},
        behind_plan=is_behind_plan(progress.planned_to_date, progress.reported_to_date),
        behind_plan_below=BEHIND_PLAN_BELOW,
    )


def _periods_by_number(project: Project) -> dict[int, ReportingPeriod]:
    return {period.number: period for period in project.reporting_periods}


def home_panel_data() -> dict:
    """The tenant's planned and reported totals per project, for the box on the tenant home."""
    return {"spending": figures.spending_of_current_tenant(projects_of_current_tenant())}


panels.register_home_panel("funding_reports/_home_panel.html", home_panel_data, "funding.view")


# --- every partner of a project, for its lead ----------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerRow:
    """One line of the lead's table; the project's line is the sum of the partners' lines."""

    label: str  # the partner's code and name
    tenant_slug: str
    planned: Decimal
    this_period: Decimal
    cumulative: Decimal
    fund: Decimal  # the fund's share of the cumulative amount
    contribution: Decimal
    planned_to_date: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.cumulative

    @property
    def used(self) -> Decimal | None:
        return percent_used(self.cumulative, self.planned)

    @property
    def behind_plan(self) -> bool:
        return is_behind_plan(self.planned_to_date, self.cumulative)


def project_row(rows: list[PartnerRow]) -> PartnerRow:
    """The project's line: each column the sum of the partners' column, never recomputed."""

    def column(name: str) -> Decimal:
        return sum((getattr(row, name) for row in rows), ZERO)

    names = ("planned", "this_period", "cumulative", "fund", "contribution", "planned_to_date")
    return PartnerRow(_("Project total"), "", **{name: column(name) for name in names})


def partner_row(partner: Partner, overview: figures.Overview, period: int) -> PartnerRow:
    totals = overview.figures
    return PartnerRow(
        f"{partner.code} {partner.tenant.name}", partner.tenant.slug, totals.planned_split.total, totals.this_period_split.total, totals.cumulative_split.total,
        totals.cumulative_split.fund, totals.cumulative_split.contribution, overview.progress(period).planned_to_date,
    )


def project_zone(project: Project) -> str:
    """The time zone that decides "today" for a project: its lead partner's (LP1)."""
    return project.partners[0].tenant.timezone if project.partners else "UTC"


@project_bp.route("/", endpoint="index")
@require("project.lead")
def project_dashboard(project):
    period, error = chosen_period(project, project_zone(project))
    page = {"project": project, "period": period, "error": error, "rows": None, "problem": None, "behind_plan_below": BEHIND_PLAN_BELOW}
    if error:
        return render_template("funding_reports/project.html", **page, page_has_errors=True), 422
    try:
        overviews = figures.project_overview(project, period)
    except Refused as refusal:
        return render_template("funding_reports/project.html", **page | {"problem": refusal.summary()})
    rows = [partner_row(partner, overviews[partner.tenant_id], period) for partner in project.partners]
    total = project_row(rows)
    profile = figures.sum_profiles(figures.period_numbers(project), (overview.profile for overview in overviews.values()))
    fund_name = next(iter(overviews.values())).fund_name if overviews else "ERDF"
    periods = _periods_by_number(project)
    indicator_rows = programme_indicators.rows_of(project, periods[period]) if period in periods else []
    return render_template(
        "funding_reports/project.html",
        **page | {"rows": rows, "total": total, "profile": profile, "fund_name": fund_name, "periods": periods, "indicator_rows": indicator_rows},
    )
