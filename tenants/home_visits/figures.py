"""Home visits in the core's figures registry (`bibnet.figures`): "services at home". Home visits held, and the
people they served per target group, counted on the visit (never on the person). Other services at home (books
delivered with a loan) will register their own keys under "<feature>.…"; these are the visits' alone.

One grouped query for every tenant asked about; a visit counts on its day, in the tenant's calendar (visits are
planned by the day), and keeps counting after its borrower's personal data is erased.
"""
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.figures import Figure, FigureSource
from bibnet.tenants.bookings.labels import VISITOR_LABELS
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.home_visits.models import HomeVisit, VisitStatus, count_column

HELD = "home_visits.held"
SERVED_TOTAL = "home_visits.served_total"


def served_key(group: TargetGroup) -> str:
    return f"home_visits.served.{group.value}"


def _compute(tenants, first, last) -> dict[int, dict[str, int]]:
    columns = [sa.func.coalesce(sa.func.sum(getattr(HomeVisit, count_column(group))), 0) for group in TargetGroup]
    rows = db.session.execute(
        sa.select(HomeVisit.tenant_id, sa.func.count(HomeVisit.id), *columns)
        .where(HomeVisit.tenant_id.in_([tenant.id for tenant in tenants]), HomeVisit.status == VisitStatus.HELD, HomeVisit.visit_on.between(first, last))
        .group_by(HomeVisit.tenant_id)
    ).all()
    answer = {}
    for tenant_id, held, *served in rows:
        by_group = {served_key(group): int(count) for group, count in zip(TargetGroup, served, strict=True)}
        answer[tenant_id] = {HELD: held, **by_group, SERVED_TOTAL: sum(by_group.values())}
    return answer


SOURCE = FigureSource(
    name="home_visits",
    figures=(
        Figure(HELD, _l("Services at home: home visits held"), _l("visits"), order=40),
        *(Figure(served_key(group), _l("Served at home: %(group)s", group=VISITOR_LABELS[group.value]), _l("people"), order=41) for group in TargetGroup),
        Figure(SERVED_TOTAL, _l("Served at home in all target groups"), _l("people"), order=42),
    ),
    compute=_compute,
)
