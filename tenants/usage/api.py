"""API: usage figures of a tenant's sensory rooms, and of a project's partners for the project lead."""
from flask import g
from flask_smorest import Blueprint

from bibnet.access import require
from bibnet.tenants.bookings.models import VISITOR_KINDS
from bibnet.tenants.usage import figures
from bibnet.tenants.usage.figures import MEASURES, Measures, MonthFigures, Period
from bibnet.tenants.usage.schemas import ProjectUsageSchema, TenantUsageSchema, YearArgs
from bibnet.tenants.usage.views import project_zone, this_year

blp = Blueprint("api_usage", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Usage figures of the sensory rooms")
project_blp = Blueprint(
    "api_usage_project", __name__, url_prefix="/api/v1/projects", description="Usage figures of a project's partners, for its lead"
)


def _measures(measures: Measures, across_tenants: bool) -> dict:
    shown = {measure.key: measures.shown(measure, across_tenants) for measure in MEASURES}
    return {
        **{key: value for key, value in shown.items() if key not in VISITOR_KINDS},
        "visitors": {kind: shown[kind] for kind in VISITOR_KINDS},
    }


def _month(month: MonthFigures, across_tenants: bool) -> dict:
    return {
        "month": month.month.strftime("%Y-%m"),
        "first_day": month.first,
        "last_day": month.last,
        **_measures(month.measures, across_tenants),
    }


@blp.route("/usage")
@require("usage.view")
@blp.arguments(YearArgs, location="query", as_kwargs=True)
@blp.response(200, TenantUsageSchema)
def tenant_usage(year):
    """The tenant's rooms, month by month: sessions, hours booked against open hours, no-shows, visitors"""
    year = year or this_year(g.tenant.timezone)
    usage = figures.tenant_usage(g.tenant, Period.year(year))
    return {
        "year": year,
        "rooms": [
            {
                "id": room.room_id,
                "name": room.name,
                "library": room.library,
                "months": [_month(month, False) for month in room.months],
                "total": _measures(room.total, False),
            }
            for room in usage.rooms
        ],
        "months": [_month(month, False) for month in usage.months],
        "total": _measures(usage.total, False),
    }


@project_blp.route("/<int:project_id>/usage")
@require("project.lead")
@project_blp.arguments(YearArgs, location="query", as_kwargs=True)
@project_blp.response(200, ProjectUsageSchema)
def project_usage(project, year):
    """Every partner's rooms summed per month, for the project's lead or an admin; counts from 1 to 4 are "<5"."""
    year = year or this_year(project_zone(project))
    usage = figures.project_usage(project, Period.year(year))
    return {
        "project": project.acronym,
        "year": year,
        "partners": [
            {
                "code": partner.code,
                "tenant": partner.tenant_name,
                "months": [_month(month, True) for month in partner.months],
                "total": _measures(partner.total, True),
            }
            for partner in usage.partners
        ],
        "total": _measures(usage.total, True),
    }
