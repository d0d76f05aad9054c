"""The lenders' task on their home: the overdue loans of each library where they lend (registered with the core's
`bibnet.tasks`), one grouped query over their libraries."""
from collections import Counter
from datetime import timedelta

from flask import url_for
from flask_babel import ngettext
import sqlalchemy as sa

from bibnet import tasks
from bibnet.accounts.models import Membership, Role
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tasks import Task, Urgency
from bibnet.tenancy.context import all_tenants
from bibnet.tenancy.models import Tenant
from bibnet.tenants.lending.models import Loan

LENDERS = (Role.COORDINATOR, Role.STAFF)


def overdue_loans(user) -> list[Task]:
    """Per library: open loans due before the library's today (counted per due day, so each library's own date decides).
    Platform admins lend nowhere (lenders are a library's coordinators and staff): their home runs no query for it."""
    if user.is_admin:
        return []
    with all_tenants(reason="overdue loans of the libraries where the user lends, for their home"):
        rows = db.session.execute(
            sa.select(Tenant.id, Tenant.slug, Tenant.name, Loan.due_on, sa.func.count(Loan.id))
            .join(Tenant, Tenant.id == Loan.tenant_id)
            .join(Membership, Membership.tenant_id == Loan.tenant_id)
            .where(
                Membership.user_id == user.id, Membership.role.in_(LENDERS), Membership.active, Tenant.active,
                Loan.returned_on.is_(None), Loan.due_on <= utcnow().date() + timedelta(days=1),
            )
            .group_by(Tenant.id, Tenant.slug, Tenant.name, Loan.due_on)
        ).all()
        tenants = {tenant.id: tenant for tenant in db.session.scalars(sa.select(Tenant).where(Tenant.id.in_({row[0] for row in rows})))} if rows else {}
    counts: Counter = Counter()
    names = {}
    for tenant_id, slug, name, due_on, count in rows:
        if due_on < tenants[tenant_id].today():
            counts[slug] += count
            names[slug] = name
    return [
        Task(
            label=ngettext("%(num)d loan is overdue in %(tenant)s", "%(num)d loans are overdue in %(tenant)s", count, tenant=names[slug]),
            count=count, url=url_for("lending.index", tenant_slug=slug, show="overdue"), urgency=Urgency.OVERDUE,
        )
        for slug, count in sorted(counts.items())
    ]


tasks.register("lending.overdue_loans", overdue_loans)
