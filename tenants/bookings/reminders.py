"""The day-before reminder: organisers of confirmed sessions starting tomorrow (in the tenant's local date)."""
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings import notifications
from bibnet.tenants.bookings.models import Booking, Occurrence, Status
from bibnet.tenants.bookings.recurrence import to_local, to_utc


def send_reminders(now: datetime | None = None) -> int:
    """Queue a reminder in the outbox for every confirmed session of tomorrow not reminded yet, committed per
    tenant. `reminder_sent_at` makes a later run (the job is hourly) send nothing twice. Returns the count."""
    now = now or utcnow()
    sent = 0
    for tenant in db.session.scalars(sa.select(Tenant).where(Tenant.active).order_by(Tenant.id)).all():
        with tenant_scope(tenant):
            sent += _remind(tenant, now)
            db.session.commit()
    return sent


def _remind(tenant: Tenant, now: datetime) -> int:
    tomorrow = to_local(now, tenant.timezone).date() + timedelta(days=1)
    starts, ends = to_utc(tomorrow, time(), tenant.timezone), to_utc(tomorrow + timedelta(days=1), time(), tenant.timezone)
    due = db.session.scalars(
        sa.select(Occurrence)
        .join(Occurrence.booking)
        .where(
            Occurrence.status == Status.CONFIRMED,
            Occurrence.starts_at >= starts,
            Occurrence.starts_at < ends,
            Occurrence.reminder_sent_at.is_(None),
            Booking.organiser_contact.is_not(None),
        )
        .options(contains_eager(Occurrence.booking).joinedload(Booking.room))
        .order_by(Occurrence.starts_at)
    ).all()
    sent = 0
    for occurrence in due:
        if notifications.session_reminder(occurrence):
            occurrence.reminder_sent_at = now
            sent += 1
    return sent
