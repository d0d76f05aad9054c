"""Organisations in the core's figures registry (`bibnet.figures`): the organisations cooperating with the library
in a period, those with a cooperation agreement in force on some day of it or co-organising a programme with a
session in it. A source of the programme indicator RCO87 (organisations cooperating). One grouped query."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.figures import Figure, FigureSource
from bibnet.tenants.organisations.models import Agreement
from bibnet.tenants.programmes.models import Programme, ProgrammeOrganisation, ProgrammeSession

COOPERATING = "organisations.cooperating"


def _utc_bounds(tenant, first, last) -> tuple[datetime, datetime]:
    """The start of the period's first day and of the day after its last, in the tenant's calendar."""
    zone = ZoneInfo(tenant.timezone)

    def at(day):
        return datetime.combine(day, time(), zone)

    return at(first), at(last + timedelta(days=1))


def _compute(tenants, first, last) -> dict[int, dict[str, int]]:
    if not tenants:
        return {}
    tenant_ids = [tenant.id for tenant in tenants]
    with_agreement = sa.select(Agreement.tenant_id, Agreement.organisation_id).where(
        Agreement.tenant_id.in_(tenant_ids), Agreement.signed_on <= last, sa.or_(Agreement.expires_on.is_(None), Agreement.expires_on >= first),
    )
    in_period = sa.or_(*(
        sa.and_(ProgrammeSession.tenant_id == tenant.id, ProgrammeSession.starts_at >= starts, ProgrammeSession.starts_at < ends)
        for tenant in tenants for starts, ends in [_utc_bounds(tenant, first, last)]
    ))
    co_organising = (
        sa.select(ProgrammeOrganisation.tenant_id, ProgrammeOrganisation.organisation_id)
        .join(Programme, Programme.id == ProgrammeOrganisation.programme_id)
        .join(ProgrammeSession, ProgrammeSession.programme_id == Programme.id)
        .where(Programme.cancelled_at.is_(None), ProgrammeSession.cancelled_at.is_(None), in_period)
    )
    cooperating = sa.union(with_agreement, co_organising).subquery()  # UNION: an organisation counts once
    rows = db.session.execute(sa.select(cooperating.c[0], sa.func.count()).group_by(cooperating.c[0])).all()
    return {tenant_id: {COOPERATING: count} for tenant_id, count in rows}


SOURCE = FigureSource(
    name="organisations",
    figures=(Figure(COOPERATING, _l("Organisations cooperating (an agreement in force or a programme co-organised)"), _l("organisations"), indicators=("RCO87",), order=47),),
    compute=_compute,
)
