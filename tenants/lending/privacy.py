"""Erasing borrowers: their personal data is kept only while they borrow.

`LENDING_BORROWER_RETENTION_DAYS` (default 365) after a borrower's last loan closed, and when they have no open
loan and no active reservation, their name becomes "Erased borrower #id" and every contact field is emptied
(`erased_at` is set). The row stays, so that their loans keep counting in the figures (by target group, which
is on the loan). The audit log records the change without the values (Borrower.__audit_redacted__).
"""
from datetime import datetime, timedelta

from flask import current_app
import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.lending.models import Borrower, Loan, Reservation

PERSONAL_FIELDS = ("phone", "email", "address", "contact_person", "contact_phone")


def erase_borrowers(now: datetime | None = None) -> int:
    """Erase every tenant's borrowers past the retention period; returns how many."""
    now = now or utcnow()
    erased = 0
    # Every tenant, active or not: the retention promise does not end with a partner's participation.
    for tenant in db.session.scalars(sa.select(Tenant).order_by(Tenant.id)).all():
        with tenant_scope(tenant):
            erased += _erase(tenant.today(now) - timedelta(days=current_app.config["LENDING_BORROWER_RETENTION_DAYS"]), now)
            db.session.commit()
    return erased


def _erase(closed_before, now: datetime) -> int:
    last_closed = sa.select(Loan.borrower_id).group_by(Loan.borrower_id).having(
        sa.func.max(Loan.returned_on) < closed_before, sa.func.count(Loan.id) == sa.func.count(Loan.returned_on)
    )
    held = sa.select(Reservation.borrower_id).where(Reservation.closed_at.is_(None), Reservation.borrower_id.is_not(None))
    borrowers = db.session.scalars(
        sa.select(Borrower).where(Borrower.erased_at.is_(None), Borrower.id.in_(last_closed), Borrower.id.not_in(held))
    ).all()
    for borrower in borrowers:
        borrower.name = f"Erased borrower #{borrower.id}"
        for field in PERSONAL_FIELDS:
            setattr(borrower, field, "")
        borrower.erased_at = now
    return len(borrowers)
