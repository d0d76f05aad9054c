"""The learner's task on every home (`bibnet.tasks`): their courses overdue, and those due within two weeks."""
from datetime import timedelta

from flask import url_for
from flask_babel import ngettext
import sqlalchemy as sa

from bibnet import tasks
from bibnet.accounts.models import Membership
from bibnet.db import utcnow
from bibnet.elearning.models import Enrolment
from bibnet.extensions import db
from bibnet.tasks import Task, Urgency
from bibnet.tenancy.context import all_tenants
from bibnet.tenancy.models import Tenant

DUE_SOON_DAYS = 14


def courses_due(user) -> list[Task]:
    """Per library the user belongs to: open enrolments overdue and due soon, in one grouped query."""
    today = utcnow().date()
    overdue = sa.case((Enrolment.due_on < today, 1), else_=0)
    with all_tenants(reason="the learner's own courses due, for their home"):
        rows = db.session.execute(
            sa.select(Tenant.slug, Tenant.name, sa.func.sum(overdue), sa.func.count(Enrolment.id))
            .join(Tenant, Tenant.id == Enrolment.tenant_id)
            .join(Membership, sa.and_(Membership.tenant_id == Enrolment.tenant_id, Membership.user_id == Enrolment.user_id))
            .where(
                Enrolment.user_id == user.id, Enrolment.completed_at.is_(None), Enrolment.due_on.is_not(None),
                Enrolment.due_on <= today + timedelta(days=DUE_SOON_DAYS), Membership.active, Tenant.active,
            )
            .group_by(Tenant.slug, Tenant.name)
            .order_by(Tenant.name)
        ).all()
    found = []
    for slug, name, late, due in rows:
        url = url_for("elearning.index", tenant_slug=slug)
        late = int(late or 0)
        if late:
            found.append(Task(ngettext("%(num)d course overdue in %(tenant)s", "%(num)d courses overdue in %(tenant)s", late, tenant=name), late, url, Urgency.OVERDUE))
        if due - late:
            found.append(Task(ngettext("%(num)d course due within two weeks in %(tenant)s", "%(num)d courses due within two weeks in %(tenant)s", due - late, tenant=name), due - late, url, Urgency.SOON))
    return found


tasks.register("elearning.courses_due", courses_due)
