"""Agreements about to expire: the coordinators are told 60 and 14 days before (each reminder once, by the daily
job), and a task on the home of those who keep the register lists, per library, the agreements expiring soon."""
from collections import Counter
from datetime import datetime, timedelta

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet import mail, notifications, tasks
from bibnet.accounts.models import Membership, Role
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tasks import Task, Urgency
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.organisations.models import Agreement

# Days before expiry when the coordinators are told, the earliest first.
REMINDER_DAYS = (60, 14)
KEEPERS = (Role.COORDINATOR, Role.STAFF)


def reminder_due(days_left: int, reminded_days: int | None) -> int | None:
    """The reminder (in days before expiry) due for an agreement `days_left` days from expiry, if it has not been
    sent: the nearest threshold reached, once; a late start sends only the nearest, not every one missed."""
    reached = [days for days in REMINDER_DAYS if days_left <= days]
    if days_left < 0 or not reached:
        return None
    nearest = min(reached)
    return nearest if reminded_days is None or nearest < reminded_days else None


def send_reminders(now: datetime | None = None) -> int:
    """The daily job: tell each library's coordinators of its agreements reaching a reminder day. Committed per
    tenant; returns how many agreements were reminded of."""
    now = now or utcnow()
    reminded = 0
    for tenant in db.session.scalars(sa.select(Tenant).where(Tenant.active).order_by(Tenant.id)).all():
        with tenant_scope(tenant):
            reminded += _remind(tenant, tenant.today(now))
            db.session.commit()
    return reminded


def _remind(tenant: Tenant, today) -> int:
    agreements = db.session.scalars(
        sa.select(Agreement).options(joinedload(Agreement.organisation))
        .where(Agreement.expires_on.between(today, today + timedelta(days=max(REMINDER_DAYS))))
        .order_by(Agreement.expires_on, Agreement.id)
    ).all()
    due = [(agreement, days) for agreement in agreements if (days := reminder_due((agreement.expires_on - today).days, agreement.reminded_days)) is not None]
    if not due:
        return 0
    coordinators = notifications.coordinators()
    for agreement, days in due:
        link = mail.link("organisations.show", tenant_slug=tenant.slug, organisation_id=agreement.organisation_id)
        notifications.notify(
            coordinators, "organisations.agreement_expiring",
            _l("An agreement expires soon: %(organisation)s", organisation=agreement.organisation.name),
            "organisations/mail/expiring.txt", link,
            organisation=agreement.organisation.name, parties=agreement.parties, expires_on=agreement.expires_on, days=(agreement.expires_on - today).days, tenant=tenant.name,
        )
        agreement.reminded_days = days
    db.session.flush()
    return len(due)


def expiring_agreements(user) -> list[Task]:
    """Per library where the user keeps the register: its agreements expiring within the first reminder window.
    One grouped query over the user's libraries (days are compared loosely here, then in each library's calendar)."""
    if user.is_admin:
        return []
    horizon = utcnow().date() + timedelta(days=max(REMINDER_DAYS) + 1)
    with all_tenants(reason="agreements expiring soon in the libraries where the user keeps the partners' register, for their home"):
        rows = db.session.execute(
            sa.select(Tenant.id, Agreement.expires_on, sa.func.count(Agreement.id))
            .join(Tenant, Tenant.id == Agreement.tenant_id)
            .join(Membership, Membership.tenant_id == Agreement.tenant_id)
            .where(Membership.user_id == user.id, Membership.role.in_(KEEPERS), Membership.active, Tenant.active, Agreement.expires_on <= horizon, Agreement.expires_on >= utcnow().date() - timedelta(days=1))
            .group_by(Tenant.id, Agreement.expires_on)
        ).all()
        tenants = {tenant.id: tenant for tenant in db.session.scalars(sa.select(Tenant).where(Tenant.id.in_({row[0] for row in rows})))} if rows else {}
    counts: Counter = Counter()
    for tenant_id, expires_on, count in rows:
        today = tenants[tenant_id].today()
        if today <= expires_on <= today + timedelta(days=max(REMINDER_DAYS)):
            counts[tenant_id] += count
    return [
        Task(
            label=ngettext("%(num)d partner agreement expires soon in %(tenant)s", "%(num)d partner agreements expire soon in %(tenant)s", count, tenant=tenants[tenant_id].name),
            count=count, url=url_for("organisations.index", tenant_slug=tenants[tenant_id].slug, _anchor="expiring"), urgency=Urgency.SOON,
        )
        for tenant_id, count in sorted(counts.items())
    ]


tasks.register("organisations.expiring_agreements", expiring_agreements)
