"""Which reporting periods a budget modification may still change.

As in Jems, a modification re-plans only the periods that are not yet reported: a period is closed once its
last day is past (in the partner's time zone) or once the partner has reported spending in it (submitted or
verified items). The plan of a closed period stays as approved, so its "% used" never moves afterwards.
The original budget (version 0) plans every period: there is no approved plan to keep yet.
"""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bibnet.extensions import db
from bibnet.tenancy.context import current_tenant_id
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenants.budgets import spending


def partner_today() -> date:
    """The current partner's date, in its own time zone (a period ending today is still open)."""
    tenant = db.session.get(Tenant, current_tenant_id())
    return datetime.now(ZoneInfo(tenant.timezone)).date()


def closed_periods(project: Project) -> set[int]:
    """The numbers of the periods a modification of the current partner's budget leaves as they are."""
    today = partner_today()
    ended = {period.number for period in project.reporting_periods if period.ends_on < today}
    return ended | spending.reported_periods(project)


def open_periods(project: Project) -> list[int]:
    """The numbers of the periods a modification may still plan, in order."""
    closed = closed_periods(project)
    return [period.number for period in project.reporting_periods if period.number not in closed]
