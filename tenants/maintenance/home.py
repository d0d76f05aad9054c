"""What the maintenance adds to the homes: the coordinators' task (maintenance due, from `bibnet.tasks`), a small
panel on the tenant home linking to the due list (no menu entry), and the daily digest job: one mail per tenant's
coordinator listing what is due, never one mail per item."""
from datetime import datetime

from flask import g, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet import mail, tasks
from bibnet.accounts.models import Membership, Role
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.notifications import coordinators, language_of
from bibnet.tasks import Task, Urgency
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.maintenance.models import MaintenanceTask
from bibnet.web import panels

DIGEST_LISTS_AT_MOST = 50


def maintenance_due(user) -> list[Task]:
    """Per library the user coordinates: maintenance tasks due today or overdue, in one grouped count. Each
    tenant's day is near enough the UTC day for a count on the home; the due list itself uses the library's."""
    today = utcnow().date()
    with all_tenants(reason="maintenance due in the libraries the user coordinates, for their home"):
        due = db.session.execute(
            sa.select(Tenant.slug, Tenant.name, sa.func.count(MaintenanceTask.id), sa.func.min(MaintenanceTask.due_on))
            .join(Tenant, Tenant.id == MaintenanceTask.tenant_id)
            .join(Membership, Membership.tenant_id == MaintenanceTask.tenant_id)
            .where(Membership.user_id == user.id, Membership.role == Role.COORDINATOR, Membership.active, Tenant.active, MaintenanceTask.done_on.is_(None), MaintenanceTask.due_on <= today)
            .group_by(Tenant.slug, Tenant.name)
            .order_by(Tenant.name)
        ).all()
    return [
        Task(
            label=ngettext("%(num)d maintenance task due in %(tenant)s", "%(num)d maintenance tasks due in %(tenant)s", count, tenant=name),
            count=count,
            url=url_for("maintenance.index", tenant_slug=slug),
            urgency=Urgency.OVERDUE if earliest < today else Urgency.SOON,
        )
        for slug, name, count, earliest in due
    ]


tasks.register("maintenance.due", maintenance_due)


def home_panel_data() -> dict:
    today = g.tenant.today()
    overdue, due_today = db.session.execute(
        sa.select(
            sa.func.count(MaintenanceTask.id).filter(MaintenanceTask.due_on < today),
            sa.func.count(MaintenanceTask.id).filter(MaintenanceTask.due_on == today),
        ).where(MaintenanceTask.done_on.is_(None))
    ).one()
    return {"overdue": overdue, "due_today": due_today}


panels.register_home_panel("maintenance/_home_panel.html", home_panel_data, "inventory.view")


def send_digests(now: datetime | None = None) -> int:
    """Each morning, one mail per coordinator of each library with maintenance due (today or overdue, in the
    library's day), listing it. Committed per tenant. Returns the number of mails."""
    now = now or utcnow()
    sent = 0
    for tenant in db.session.scalars(sa.select(Tenant).where(Tenant.active).order_by(Tenant.id)).all():
        with tenant_scope(tenant):
            today = tenant.today(now)
            due = db.session.scalars(
                sa.select(MaintenanceTask)
                .options(joinedload(MaintenanceTask.item), joinedload(MaintenanceTask.schedule))
                .where(MaintenanceTask.done_on.is_(None), MaintenanceTask.due_on <= today)
                .order_by(MaintenanceTask.due_on, MaintenanceTask.id)
                .limit(DIGEST_LISTS_AT_MOST + 1)
            ).all()
            if due:
                total = db.session.scalar(sa.select(sa.func.count(MaintenanceTask.id)).where(MaintenanceTask.done_on.is_(None), MaintenanceTask.due_on <= today))
                for user in coordinators():
                    mail.send(user.email, _l("Maintenance due in %(tenant)s", tenant=tenant.name), "maintenance/mail/digest.txt", language_of(user),
                              tenant=tenant.name, tasks=due[:DIGEST_LISTS_AT_MOST], total=total, today=today, name=user.name)
                    sent += 1
            db.session.commit()
    return sent
