"""Erasing organiser contacts: names and phone numbers or e-mail addresses are kept only as long as needed.

`BOOKING_CONTACT_RETENTION_DAYS` (default 30) after a booking's last session ended, its organiser name and
contact are erased; the visitor counts and everything else stay for the usage figures. The audit log
records the change without the values (Booking.__audit_redacted__).
"""
from datetime import datetime, timedelta

from flask import current_app
import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings.models import Booking, Occurrence


def erase_contacts(now: datetime | None = None) -> int:
    """Erase the organiser data of every tenant's bookings past the retention period; returns how many."""
    now = now or utcnow()
    ended_before = now - timedelta(days=current_app.config["BOOKING_CONTACT_RETENTION_DAYS"])
    erased = 0
    # Every tenant, active or not: the retention promise does not end with a partner's participation.
    for tenant_id in db.session.scalars(sa.select(Tenant.id).order_by(Tenant.id)).all():
        with tenant_scope(tenant_id):
            erased += _erase(ended_before, now)
            db.session.commit()
    return erased


def _erase(ended_before: datetime, now: datetime) -> int:
    # The last session of the booking, whatever became of it: a moved, cancelled or rejected one counts too.
    finished = sa.select(Occurrence.booking_id).group_by(Occurrence.booking_id).having(sa.func.max(Occurrence.ends_at) < ended_before)
    bookings = db.session.scalars(
        sa.select(Booking).where(
            Booking.id.in_(finished),
            sa.or_(Booking.organiser_name.is_not(None), Booking.organiser_contact.is_not(None)),
        )
    ).all()
    for booking in bookings:
        booking.organiser_name = booking.organiser_contact = None
        booking.contact_erased_at = now
    return len(bookings)
