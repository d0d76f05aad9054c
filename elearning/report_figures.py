"""E-learning's figures in the core's figures registry (`bibnet.figures`), for the funding reports' indicators:
the staff who completed a course in the period asked for. `init_app` registers `SOURCE`.

A person counts once per library however many courses they completed; a completion counts on the day it was
recorded, in the library's time zone. Online study only, until in-person workshops are recorded.
"""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.elearning.models import Enrolment
from bibnet.extensions import db
from bibnet.figures import ONLINE, Figure, FigureSource

STAFF_COMPLETED = "elearning.staff_completed"


def _local_midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(zone)).astimezone(UTC)


def _compute(tenants, first: date, last: date) -> dict[int, dict[str, int]]:
    """One grouped query over every tenant asked about, each with its own local day bounds."""
    if not tenants:
        return {}
    within = sa.or_(*(
        sa.and_(
            Enrolment.tenant_id == tenant.id,
            Enrolment.completed_at >= _local_midnight(first, tenant.timezone),
            Enrolment.completed_at < _local_midnight(last + timedelta(days=1), tenant.timezone),
        )
        for tenant in tenants
    ))
    rows = db.session.execute(
        sa.select(Enrolment.tenant_id, sa.func.count(sa.distinct(Enrolment.user_id))).where(within).group_by(Enrolment.tenant_id)
    )
    return {tenant_id: {STAFF_COMPLETED: count} for tenant_id, count in rows}


SOURCE = FigureSource(
    name="elearning.completions",
    figures=(Figure(STAFF_COMPLETED, _l("Staff who completed a course"), _l("participants"), mode=ONLINE, order=50),),
    compute=_compute,
)
