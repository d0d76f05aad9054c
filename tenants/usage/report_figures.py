"""The sensory rooms' figures in the core's figures registry (`bibnet.figures`): sessions held and visitors
per target group, for the funding reports' indicators, counted as the usage figures count them. `init_app`
registers `SOURCE`.

All of them come from one computation over every tenant asked about (four queries, whatever their number).
"""
from flask_babel import lazy_gettext as _l

from bibnet.figures import Figure, FigureSource
from bibnet.tenants.bookings.labels import VISITOR_LABELS
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.usage.figures import Period, totals_by_tenant

SESSIONS_HELD = "rooms.sessions_held"
VISITORS_TOTAL = "rooms.visitors_total"


def visitors_key(group: TargetGroup) -> str:
    return f"rooms.visitors.{group.value}"


def _compute(tenants, first, last) -> dict[int, dict[str, int]]:
    return {
        tenant_id: {
            SESSIONS_HELD: measures.sessions_held,
            **{visitors_key(group): measures.visitors[group.value] for group in TargetGroup},
            VISITORS_TOTAL: measures.visitors_total,
        }
        for tenant_id, measures in totals_by_tenant(Period(first, last), tenants).items()
    }


SOURCE = FigureSource(
    name="rooms.usage",
    figures=(
        Figure(SESSIONS_HELD, _l("Sessions held in the sensory rooms"), _l("sessions"), order=10),
        *(Figure(visitors_key(group), _l("Visitors: %(group)s", group=VISITOR_LABELS[group.value]), _l("visitors"), order=11) for group in TargetGroup),
        Figure(VISITORS_TOTAL, _l("Visitors in all target groups"), _l("visitors"), order=12),
    ),
    compute=_compute,
)
