"""Programmes in the core's figures registry (`bibnet.figures`): sessions held, participants per target group,
and the programme indicators they feed: participations in cross-border programmes (RCO81) and cross-border
public events held (RCO115). The usage pages and the funding reports read them.

A session is held when its attendance was counted (the roster's per-target-group counts) and it was not
cancelled; it counts on its day in its library's calendar. Participants are the sum of those counts (how many,
never who), so they keep counting after retention erased the registrants. One grouped query for every tenant
asked about, whatever their number.
"""
from datetime import time, timedelta

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.figures import Figure, FigureSource
from bibnet.tenants.bookings.labels import VISITOR_LABELS
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.bookings.recurrence import to_utc
from bibnet.tenants.programmes.models import Programme, ProgrammeKind, ProgrammeSession, attended_column

SESSIONS_HELD = "programmes.sessions_held"
PARTICIPANTS_TOTAL = "programmes.participants_total"
CROSS_BORDER_PARTICIPATIONS = "programmes.cross_border_participations"
CROSS_BORDER_EVENTS = "programmes.cross_border_events"


def participants_key(group: TargetGroup) -> str:
    return f"programmes.participants.{group.value}"


def _in_period(tenants, first, last):
    """Sessions of the tenants starting within first..last, each tenant's days in its own time zone."""
    return sa.or_(*(
        sa.and_(
            ProgrammeSession.tenant_id == tenant.id,
            ProgrammeSession.starts_at >= to_utc(first, time(), tenant.timezone),
            ProgrammeSession.starts_at < to_utc(last + timedelta(days=1), time(), tenant.timezone),
        )
        for tenant in tenants
    ))


def _held():
    counted = sa.or_(*(getattr(ProgrammeSession, attended_column(group)).is_not(None) for group in TargetGroup))
    return sa.and_(ProgrammeSession.cancelled_at.is_(None), counted)


def _compute(tenants, first, last) -> dict[int, dict[str, int]]:
    if not tenants:
        return {}
    sums = [sa.func.coalesce(sa.func.sum(getattr(ProgrammeSession, attended_column(group))), 0) for group in TargetGroup]
    rows = db.session.execute(
        sa.select(
            ProgrammeSession.tenant_id, Programme.cross_border, Programme.kind, sa.func.count(ProgrammeSession.id), sa.func.count(sa.distinct(ProgrammeSession.programme_id)), *sums
        )
        .join(Programme, Programme.id == ProgrammeSession.programme_id)
        .where(_in_period(tenants, first, last), _held())
        .group_by(ProgrammeSession.tenant_id, Programme.cross_border, Programme.kind)
    ).all()
    answer: dict[int, dict[str, int]] = {}
    for tenant_id, cross_border, kind, held, programmes, *by_group in rows:
        values = answer.setdefault(tenant_id, {
            SESSIONS_HELD: 0, PARTICIPANTS_TOTAL: 0, CROSS_BORDER_PARTICIPATIONS: 0, CROSS_BORDER_EVENTS: 0, **{participants_key(group): 0 for group in TargetGroup},
        })
        values[SESSIONS_HELD] += held
        for group, count in zip(TargetGroup, by_group, strict=True):
            values[participants_key(group)] += int(count)
        values[PARTICIPANTS_TOTAL] += sum(int(count) for count in by_group)
        if cross_border:
            values[CROSS_BORDER_PARTICIPATIONS] += sum(int(count) for count in by_group)
            if kind is ProgrammeKind.EVENT:  # a programme has one kind: its group counts each event held once
                values[CROSS_BORDER_EVENTS] += programmes
    return answer


SOURCE = FigureSource(
    name="programmes",
    figures=(
        Figure(SESSIONS_HELD, _l("Programme sessions held"), _l("sessions"), order=30),
        *(Figure(participants_key(group), _l("Programme participants: %(group)s", group=VISITOR_LABELS[group.value]), _l("participants"), order=31) for group in TargetGroup),
        Figure(PARTICIPANTS_TOTAL, _l("Programme participants in all target groups"), _l("participants"), order=32),
        Figure(CROSS_BORDER_PARTICIPATIONS, _l("Participations in cross-border programmes"), _l("participations"), indicators=("RCO81",), order=33),
        Figure(CROSS_BORDER_EVENTS, _l("Cross-border public events held"), _l("events"), indicators=("RCO115",), order=34),
    ),
    compute=_compute,
)
