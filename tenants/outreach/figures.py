"""The services at home and remote in figures: in the core's registry (`bibnet.figures`, so the usage pages, their
exports and the funding reports show them), per month for the log's figures page, and the reach per target group.

Held home visits (`bibnet.tenants.home_visits`) are services at home too: they count in the total of services and
in the people served per target group. Each figure is one grouped query per table, whatever the number of tenants,
months or rows. Counts are contacts: a person served twice counts twice.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet import figures as registry
from bibnet.extensions import db
from bibnet.figures import Figure, FigureSource
from bibnet.tenants.bookings.labels import VISITOR_LABELS
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.home_visits.models import HomeVisit, VisitStatus, count_column
from bibnet.tenants.outreach.labels import KIND_LABELS
from bibnet.tenants.outreach.models import NeedEstimate, OutreachService, ServiceKind, served_column
from bibnet.tenants.programmes.models import Programme, ProgrammeSession

SERVICES_TOTAL = "outreach.services_total"
SERVED_TOTAL = "outreach.served_total"


def services_key(kind: ServiceKind) -> str:
    return f"outreach.services.{kind.value}"


def served_key(group: TargetGroup) -> str:
    return f"outreach.served.{group.value}"


def _served_sums(model, column_of):
    return [sa.func.coalesce(sa.func.sum(getattr(model, column_of(group))), 0) for group in TargetGroup]


def _compute(tenants, first, last) -> dict[int, dict[str, int]]:
    """Services logged per kind and held home visits, with their people per target group: one query (UNION ALL)."""
    tenant_ids = [tenant.id for tenant in tenants]
    answer: dict[int, dict[str, int]] = {tenant_id: {} for tenant_id in tenant_ids}
    logged = (
        sa.select(OutreachService.tenant_id, sa.cast(OutreachService.kind, sa.String).label("kind"), sa.func.count(OutreachService.id), *_served_sums(OutreachService, served_column))
        .where(OutreachService.tenant_id.in_(tenant_ids), OutreachService.given_on.between(first, last))
        .group_by(OutreachService.tenant_id, OutreachService.kind)
    )
    visits = (
        sa.select(HomeVisit.tenant_id, sa.literal(HOME_VISIT, sa.String).label("kind"), sa.func.count(HomeVisit.id), *_served_sums(HomeVisit, count_column))
        .where(HomeVisit.tenant_id.in_(tenant_ids), HomeVisit.status == VisitStatus.HELD, HomeVisit.visit_on.between(first, last))
        .group_by(HomeVisit.tenant_id)
    )
    for tenant_id, kind, count, *served in db.session.execute(sa.union_all(logged, visits)).all():
        _add(answer[tenant_id], None if kind == HOME_VISIT else ServiceKind(kind), count, served)
    return answer


def _add(values: dict, kind: ServiceKind | None, count: int, served) -> None:
    if kind is not None:
        values[services_key(kind)] = values.get(services_key(kind), 0) + count
    values[SERVICES_TOTAL] = values.get(SERVICES_TOTAL, 0) + count
    for group, people in zip(TargetGroup, served, strict=True):
        values[served_key(group)] = values.get(served_key(group), 0) + int(people)
        values[SERVED_TOTAL] = values.get(SERVED_TOTAL, 0) + int(people)


SOURCE = FigureSource(
    name="outreach",
    figures=(
        *(Figure(services_key(kind), _l("Services at home and remote: %(kind)s", kind=label), _l("services"), order=43) for kind, label in KIND_LABELS.items()),
        Figure(SERVICES_TOTAL, _l("Services at home and remote in all, home visits held included"), _l("services"), order=44),
        *(Figure(served_key(group), _l("Served at home and remotely: %(group)s", group=VISITOR_LABELS[group.value]), _l("people"), order=45) for group in TargetGroup),
        Figure(SERVED_TOTAL, _l("Served at home and remotely in all target groups"), _l("people"), order=46),
    ),
    compute=_compute,
)


# --- the log's figures page: per month of a year ----------------------------------------------------------------


@dataclass
class MonthRow:
    month: date
    by_kind: dict[str, int]  # services per kind, and "home_visit" for the held visits
    served: dict[str, int]  # people served per target group

    @property
    def services(self) -> int:
        return sum(self.by_kind.values())

    @property
    def people(self) -> int:
        return sum(self.served.values())


HOME_VISIT = "home_visit"


def monthly(year: int) -> list[MonthRow]:
    """The current tenant's services and people served per month of `year`: two grouped queries."""
    rows = {month: MonthRow(date(year, month, 1), {}, {group.value: 0 for group in TargetGroup}) for month in range(1, 13)}
    first, last = date(year, 1, 1), date(year, 12, 31)
    month_of_service = sa.extract("month", OutreachService.given_on)
    for month, kind, count, *served in db.session.execute(
        sa.select(month_of_service, OutreachService.kind, sa.func.count(OutreachService.id), *_served_sums(OutreachService, served_column))
        .where(OutreachService.given_on.between(first, last)).group_by(month_of_service, OutreachService.kind)
    ).all():
        _add_month(rows[int(month)], ServiceKind(kind).value, count, served)
    month_of_visit = sa.extract("month", HomeVisit.visit_on)
    for month, count, *served in db.session.execute(
        sa.select(month_of_visit, sa.func.count(HomeVisit.id), *_served_sums(HomeVisit, count_column))
        .where(HomeVisit.status == VisitStatus.HELD, HomeVisit.visit_on.between(first, last)).group_by(month_of_visit)
    ).all():
        _add_month(rows[int(month)], HOME_VISIT, count, served)
    return list(rows.values())


def _add_month(row: MonthRow, kind: str, count: int, served) -> None:
    row.by_kind[kind] = row.by_kind.get(kind, 0) + count
    for group, people in zip(TargetGroup, served, strict=True):
        row.served[group.value] += int(people)


# --- reach: people served or participants / people who may need the services ----------------------------------


@dataclass
class Reach:
    group: TargetGroup
    estimate: NeedEstimate | None
    served: int  # people served at home and remotely in the year (contacts)
    participants: int  # programme participations counted on sessions in the year

    def share(self, count: int) -> float | None:
        """`count` as a share of the people who may need the services; None without an estimate above zero."""
        if self.estimate is None or not self.estimate.people:
            return None
        return count / self.estimate.people


def latest_estimates() -> dict[str, NeedEstimate]:
    """The latest estimate per target group of the current tenant: one query."""
    latest = sa.select(NeedEstimate.target_group, sa.func.max(NeedEstimate.estimated_on).label("day")).group_by(NeedEstimate.target_group).subquery()
    estimates = db.session.scalars(
        sa.select(NeedEstimate).join(latest, sa.and_(latest.c.target_group == NeedEstimate.target_group, latest.c.day == NeedEstimate.estimated_on))
    ).all()
    return {TargetGroup(estimate.target_group).value: estimate for estimate in estimates}


def reach(tenant, year: int) -> list[Reach]:
    """Per target group, in the current tenant and `year`: the latest estimate, the people served at home and
    remotely, and the programme participations, so each can be shown as a share. Four queries."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    served = registry.compute([served_key(group) for group in TargetGroup], [tenant], first, last)
    zone = ZoneInfo(tenant.timezone)
    starts, ends = datetime.combine(first, time(), zone), datetime.combine(last + timedelta(days=1), time(), zone)
    attended = db.session.execute(
        sa.select(*[sa.func.coalesce(sa.func.sum(getattr(ProgrammeSession, f"attended_{group.value}")), 0) for group in TargetGroup])
        .join(Programme, Programme.id == ProgrammeSession.programme_id)
        .where(ProgrammeSession.starts_at >= starts, ProgrammeSession.starts_at < ends, ProgrammeSession.cancelled_at.is_(None), Programme.cancelled_at.is_(None))
    ).one()
    estimates = latest_estimates()
    return [
        Reach(group, estimates.get(group.value), int(served.value(tenant.id, served_key(group))), int(participants))
        for group, participants in zip(TargetGroup, attended, strict=True)
    ]
