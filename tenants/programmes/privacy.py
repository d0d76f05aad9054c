"""Erasing registrants: names, phone numbers and e-mail addresses are kept only while the programme needs them.

`PROGRAMME_REGISTRANT_RETENTION_DAYS` (default 90) after a programme's last session ended (or after it was
cancelled, when it had no session), its registrations lose name and contact (`erased_at`); the rows stay, so
places, marks and attendance keep counting. The audit log records the change without the values
(Registration.__audit_redacted__).
"""
from datetime import datetime, timedelta

from flask import current_app
import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.programmes.models import Programme, ProgrammeSession, Registration

DAYS_SETTING = "PROGRAMME_REGISTRANT_RETENTION_DAYS"


def erase_registrants(now: datetime | None = None) -> int:
    """Erase the registrants of every tenant's programmes past the retention period; returns how many."""
    now = now or utcnow()
    ended_before = now - timedelta(days=current_app.config[DAYS_SETTING])
    erased = 0
    # Every tenant, active or not: the retention promise does not end with a partner's participation.
    for tenant_id in db.session.scalars(sa.select(Tenant.id).order_by(Tenant.id)).all():
        with tenant_scope(tenant_id):
            erased += _erase(ended_before, now)
            db.session.commit()
    return erased


def _erase(ended_before: datetime, now: datetime) -> int:
    # The last session, whatever became of it (a cancelled one too); a programme without any counts from its cancelling.
    last_sessions = sa.select(ProgrammeSession.programme_id).group_by(ProgrammeSession.programme_id).having(sa.func.max(ProgrammeSession.ends_at) < ended_before)
    cancelled_without_sessions = sa.select(Programme.id).where(
        Programme.cancelled_at < ended_before, ~sa.exists().where(ProgrammeSession.programme_id == Programme.id)
    )
    registrations = db.session.scalars(
        sa.select(Registration).where(
            sa.or_(Registration.programme_id.in_(last_sessions), Registration.programme_id.in_(cancelled_without_sessions)), Registration.erased_at.is_(None)
        )
    ).all()
    for registration in registrations:
        registration.name = registration.phone = registration.email = ""
        registration.erased_at = now
    return len(registrations)
