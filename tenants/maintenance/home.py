"""What the maintenance adds to the homes: the coordinators' task (maintenance due, from `bibnet.tasks`), a small
panel on the tenant home linking to the due list (no menu entry), and the daily digest job: one mail per tenant's
coordinator listing what is due, never one mail per item."""
from datetime import datetime, timedelta

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
    """Per library the user coordinates: maintenance tasks due by the library's own today, or overdue, in one
    grouped count. A library's day is the UTC day or the next (the partners are east of Greenwich): the query
    counts both and each library keeps what its own day covers."""
    now = utcnow()
    utc_today = now.date()
    utc_tomorrow = utc_today + timedelta(days=1)
    with all_tenants(reason="maintenance due in the libraries the user coordinates, for their home"):
        due = db.session.execute(
            sa.select(
                Tenant,
                sa.func.count(MaintenanceTask.id).filter(MaintenanceTask.due_on <= utc_today),
                sa.func.count(MaintenanceTask.id).filter(MaintenanceTask.due_on == utc_tomorrow),
                sa.func.min(MaintenanceTask.due_on),
            )
            .join(Tenant, Tenant.id == MaintenanceTask.tenant_id)
            .join(Membership, Membership.tenant_id == MaintenanceTask.tenant_id)
            .where(Membership.user_id == user.id, Membership.role == Role.COORDINATOR, Membership.active, Tenant.active, MaintenanceTask.done_on.is_(None), MaintenanceTask.due_on <= utc_tomorrow)
            .group_by(Tenant.id)
            .order_by(Tenant.name)
        ).all()
    shown = []
    for tenant, by_utc_today, on_utc_tomorrow, earliest in due:
        today = tenant.today(now)
        count = by_utc_today + (on_utc_tomorrow if today >= utc_tomorrow else 0)
        if count:
            shown.append(Task(
                label=ngettext("%(num)d maintenance task due in %(tenant)s", "%(num)d maintenance tasks due in %(tenant)s", count, tenant=tenant.name),
                count=count,
                url=url_for("maintenance.index", tenant_slug=tenant.slug),
                urgency=Urgency.OVERDUE if earliest < today else Urgency.SOON,
            ))
    return shown


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
