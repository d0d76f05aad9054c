"""Erasing borrowers: their personal data is kept only while they are served.

`LENDING_BORROWER_RETENTION_DAYS` (default 365) after a borrower was last served — the later of the day they
were registered, their last loan's return, and what other features report (`register_last_served`: a home
visit) — and when they have no open loan and no reservation still to come, their name becomes "Erased borrower
#id", every contact field and their loans' notes are emptied (`erased_at` is set) and the scans of their signed
acceptances are deleted.
The rows stay, so that their loans keep counting in the figures (by target group, which is on the loan). The
audit log records the change without the values (Borrower.__audit_redacted__).
"""
from collections.abc import Callable
from datetime import date, datetime, timedelta

from flask import current_app
import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.storage.backends import delete_stored_quietly
from bibnet.storage.models import StoredFile
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.lending.models import Borrower, Loan, Reservation

PERSONAL_FIELDS = ("phone", "email", "address", "contact_person", "contact_phone")
# Functions returning a SELECT of (borrower_id, last day served) rows, from the features that serve borrowers.
_last_served: list[Callable[[], sa.Select]] = []


def register_last_served(select: Callable[[], sa.Select]) -> None:
    """Let another feature say when it last served a borrower (home visits do), so that nobody it still serves is erased."""
    if select not in _last_served:
        _last_served.append(select)


def erase_borrowers(now: datetime | None = None) -> int:
    """Erase every tenant's borrowers past the retention period; returns how many."""
    now = now or utcnow()
    erased = 0
    # Every tenant, active or not: the retention promise does not end with a partner's participation.
    for tenant in db.session.scalars(sa.select(Tenant).order_by(Tenant.id)).all():
        with tenant_scope(tenant):
            kept = timedelta(days=current_app.config["LENDING_BORROWER_RETENTION_DAYS"])
            erased += _erase(tenant.today(now) - kept, now - kept, now)
            db.session.commit()
    return erased


def _erase(served_before: date, registered_before: datetime, now: datetime) -> int:
    open_loans = sa.select(Loan.borrower_id).where(Loan.returned_on.is_(None))
    held = sa.select(Reservation.borrower_id).where(Reservation.closed_at.is_(None), Reservation.borrower_id.is_not(None), Reservation.ends_on >= served_before)
    recently = [sa.select(Loan.borrower_id).where(Loan.returned_on >= served_before)]
    recently += [sa.select(served.c[0]).where(served.c[1] >= served_before) for served in (select().subquery() for select in _last_served)]
    borrowers = db.session.scalars(
        sa.select(Borrower).where(
            Borrower.erased_at.is_(None), Borrower.created_at < registered_before,
            Borrower.id.not_in(open_loans), Borrower.id.not_in(held), *(Borrower.id.not_in(query) for query in recently),
        )
    ).all()
    for borrower in borrowers:
        borrower.name = f"Erased borrower #{borrower.id}"
        for field in PERSONAL_FIELDS:
            setattr(borrower, field, "")
        borrower.erased_at = now
    loans = db.session.scalars(sa.select(Loan).where(Loan.borrower_id.in_([borrower.id for borrower in borrowers]))).all() if borrowers else []
    scans = db.session.scalars(sa.select(StoredFile).where(StoredFile.id.in_([loan.acceptance_file_id for loan in loans if loan.acceptance_file_id]))).all()
    for loan in loans:  # a loan's notes and its signed acceptance may name the person too
        loan.notes, loan.acceptance_file_id = "", None
    db.session.flush()
    keys = [scan.key for scan in scans]
    for scan in scans:
        db.session.delete(scan)
    db.session.flush()
    for key in keys:  # after the rows: a file left behind is harmless, a row without its file is not
        delete_stored_quietly(key)
    return len(borrowers)
