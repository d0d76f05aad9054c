"""Lending's figures in the core's figures registry (`bibnet.figures`): items on loan at the end of the period,
and loans made in the period per target group (counts only: the group is on the loan, never on the person).
Two grouped queries whatever the number of tenants."""
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
    on_loan = db.session.execute(
        sa.select(Loan.tenant_id, sa.func.count(Loan.id))
        .where(Loan.tenant_id.in_(ids), Loan.lent_on <= last, sa.or_(Loan.returned_on.is_(None), Loan.returned_on > last))
        .group_by(Loan.tenant_id)
    ).all()
    for tenant_id, count in on_loan:
        found[tenant_id][ITEMS_ON_LOAN] = count
    made = db.session.execute(
        sa.select(Loan.tenant_id, Loan.target_group, sa.func.count(Loan.id))
        .where(Loan.tenant_id.in_(ids), Loan.lent_on >= first, Loan.lent_on <= last)
        .group_by(Loan.tenant_id, Loan.target_group)
    ).all()
    for tenant_id, group, count in made:
        found[tenant_id][loans_key(TargetGroup(group))] = count
        found[tenant_id][LOANS_TOTAL] = found[tenant_id].get(LOANS_TOTAL, 0) + count
    return found


SOURCE = FigureSource(
    name="lending.loans",
    figures=(
        Figure(ITEMS_ON_LOAN, _l("Items on loan"), _l("items"), order=60),
        *(Figure(loans_key(group), _l("Loans: %(group)s", group=VISITOR_LABELS[group.value]), _l("loans"), order=61) for group in TargetGroup),
        Figure(LOANS_TOTAL, _l("Loans in all target groups"), _l("loans"), order=62),
    ),
    compute=_compute,
)
