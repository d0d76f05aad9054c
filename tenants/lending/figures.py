"""Lending's figures in the core's figures registry (`bibnet.figures`): items on loan at the end of the period,
and loans made in the period per target group (counts only: the group is on the loan, never on the person).
One grouped query whatever the number of tenants."""
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.figures import Figure, FigureSource
from bibnet.tenants.bookings.labels import VISITOR_LABELS
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.lending.models import Loan

ITEMS_ON_LOAN = "lending.items_on_loan"
LOANS_TOTAL = "lending.loans_total"


def loans_key(group: TargetGroup) -> str:
    return f"lending.loans.{group.value}"


def _compute(tenants, first, last) -> dict[int, dict[str, int]]:
    ids = [tenant.id for tenant in tenants]
    found: dict[int, dict[str, int]] = {tenant_id: {} for tenant_id in ids}
    made_in_period = sa.func.sum(sa.case((Loan.lent_on >= first, 1), else_=0))
    out_at_the_end = sa.func.sum(sa.case((sa.or_(Loan.returned_on.is_(None), Loan.returned_on > last), 1), else_=0))
    rows = db.session.execute(
        sa.select(Loan.tenant_id, Loan.target_group, made_in_period, out_at_the_end)
        .where(Loan.tenant_id.in_(ids), Loan.lent_on <= last)
        .group_by(Loan.tenant_id, Loan.target_group)
    ).all()
    for tenant_id, group, made, out in rows:
        values = found[tenant_id]
        values[loans_key(TargetGroup(group))] = int(made or 0)
        values[LOANS_TOTAL] = values.get(LOANS_TOTAL, 0) + int(made or 0)
        values[ITEMS_ON_LOAN] = values.get(ITEMS_ON_LOAN, 0) + int(out or 0)
    return found


SOURCE = FigureSource(
    name="lending.loans",
    figures=(
        Figure(ITEMS_ON_LOAN, _l("Items on loan"), _l("items"), order=20),
        *(Figure(loans_key(group), _l("Loans: %(group)s", group=VISITOR_LABELS[group.value]), _l("loans"), order=21) for group in TargetGroup),
        Figure(LOANS_TOTAL, _l("Loans in all target groups"), _l("loans"), order=22),
    ),
    compute=_compute,
)
