"""Organisations in the core's figures registry (`bibnet.figures`), both from one grouped query:
- cooperating in a period: with a cooperation agreement in force on some day of it, or co-organising a
  programme with a session in it (a stock: the same organisation counts again in every period);
- began cooperating in a period: cooperating in it and in no earlier period (no agreement signed before it, no
  co-organised session before it). This one feeds the programme indicator RCO87 (organisations cooperating),
  because the indicator's periods are added up for "previously reported" and "cumulative": so each organisation
  counts once over the project, in the period it joined."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.figures import Figure, FigureSource
from bibnet.tenants.organisations.models import Agreement
from bibnet.tenants.programmes.models import Programme, ProgrammeOrganisation, ProgrammeSession

COOPERATING = "organisations.cooperating"
BEGAN_COOPERATING = "organisations.began_cooperating"


def _utc_bounds(tenant, first, last) -> tuple[datetime, datetime]:
    """The start of the period's first day and of the day after its last, in the tenant's calendar."""
    zone = ZoneInfo(tenant.timezone)

    def at(day):
        return datetime.combine(day, time(), zone)

    return at(first), at(last + timedelta(days=1))


def _flag(condition):
    return sa.case((condition, 1), else_=0)


def _compute(tenants, first, last) -> dict[int, dict[str, int]]:
    if not tenants:
        return {}
    bounds = {tenant.id: _utc_bounds(tenant, first, last) for tenant in tenants}
    agreement_in_force = sa.and_(Agreement.signed_on <= last, sa.or_(Agreement.expires_on.is_(None), Agreement.expires_on >= first))
    agreements = sa.select(
        Agreement.tenant_id, Agreement.organisation_id, _flag(agreement_in_force).label("in_period"), _flag(Agreement.signed_on < first).label("before"),
    ).where(Agreement.tenant_id.in_(list(bounds)), Agreement.signed_on <= last)
    session_in_period = sa.or_(*(
        sa.and_(ProgrammeSession.tenant_id == tenant_id, ProgrammeSession.starts_at >= starts, ProgrammeSession.starts_at < ends)
        for tenant_id, (starts, ends) in bounds.items()
    ))
    session_before = sa.or_(*(sa.and_(ProgrammeSession.tenant_id == tenant_id, ProgrammeSession.starts_at < starts) for tenant_id, (starts, _) in bounds.items()))
    co_organising = (
        sa.select(ProgrammeOrganisation.tenant_id, ProgrammeOrganisation.organisation_id, _flag(session_in_period), _flag(session_before))
        .join(Programme, Programme.id == ProgrammeOrganisation.programme_id)
        .join(ProgrammeSession, ProgrammeSession.programme_id == Programme.id)
        .where(Programme.cancelled_at.is_(None), ProgrammeSession.cancelled_at.is_(None), sa.or_(session_in_period, session_before))
    )
    events = sa.union_all(agreements, co_organising).subquery()
    per_organisation = (
        sa.select(events.c.tenant_id, sa.func.max(events.c.in_period).label("in_period"), sa.func.max(events.c.before).label("before"))
        .group_by(events.c.tenant_id, events.c.organisation_id)
        .subquery()
    )
    began = _flag(sa.and_(per_organisation.c.in_period == 1, per_organisation.c.before == 0))
    rows = db.session.execute(
        sa.select(per_organisation.c.tenant_id, sa.func.sum(per_organisation.c.in_period), sa.func.sum(began)).group_by(per_organisation.c.tenant_id)
    ).all()
    return {tenant_id: {COOPERATING: int(cooperating or 0), BEGAN_COOPERATING: int(joined or 0)} for tenant_id, cooperating, joined in rows}


SOURCE = FigureSource(
    name="organisations",
    figures=(
        Figure(COOPERATING, _l("Organisations cooperating (an agreement in force or a programme co-organised)"), _l("organisations"), order=47),
        Figure(BEGAN_COOPERATING, _l("Organisations that began cooperating (their first agreement or co-organised programme)"), _l("organisations"), indicators=("RCO87",), order=48),
    ),
    compute=_compute,
)
