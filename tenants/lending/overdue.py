"""Overdue loans and the "use it or return it" flag, and the daily reminders.

Reminders are digests, never one mail per item: one per borrower who prefers e-mail (in their language), and
one per staff member with everything they must do about overdue loans: the borrowers to call, text, write to
or visit (those who prefer another channel than e-mail), and the home-delivery loans on their route to
collect. A borrower is reminded of a loan at most once every REMIND_EVERY days (`Loan.reminded_on`).

A loan is idle ("use it or return it") when nothing has been heard of it, neither lending, renewal nor visit
(`Loan.last_seen_on`), for IDLE_LOAN_MONTHS months (default 3): a device lent and unused should go to
somebody else.
"""
from collections import defaultdict
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet import mail
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.notifications import language_of
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.lending.models import Channel, Delivery, Loan

REMIND_EVERY = timedelta(days=7)


def idle_since(today: date) -> date:
    """Loans last seen on or before this day are idle: IDLE_LOAN_MONTHS calendar months before `today`."""
    months = current_app.config["IDLE_LOAN_MONTHS"]
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    for day in range(today.day, 0, -1):  # the 31st of a shorter month is its last day
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def is_idle(loan: Loan, today: date) -> bool:
    return loan.open and loan.last_seen_on <= idle_since(today)


def send_reminders(now: datetime | None = None) -> int:
    """Queue the day's digests in every active tenant, committed per tenant; returns how many mails."""
    now = now or utcnow()
    sent = 0
    for tenant in db.session.scalars(sa.select(Tenant).where(Tenant.active).order_by(Tenant.id)).all():
        with tenant_scope(tenant):
            sent += _remind(tenant, tenant.today(now))
            db.session.commit()
    return sent


def _remind(tenant: Tenant, today: date) -> int:
    due = db.session.scalars(
        sa.select(Loan)
        .where(Loan.returned_on.is_(None), Loan.due_on < today, sa.or_(Loan.reminded_on.is_(None), Loan.reminded_on <= today - REMIND_EVERY))
        .options(joinedload(Loan.item), joinedload(Loan.borrower), joinedload(Loan.staff))
        .order_by(Loan.borrower_id, Loan.due_on, Loan.id)
    ).all()
    by_borrower: dict = defaultdict(list)
    to_contact: dict = defaultdict(list)  # staff member → the loans of borrowers they must contact themselves
    on_route: dict = defaultdict(list)  # staff member → the overdue home-delivery loans to collect
    for loan in due:
        borrower = loan.borrower
        if borrower.preferred_channel is Channel.EMAIL and borrower.email:
            by_borrower[borrower].append(loan)
        elif loan.staff is not None:
            to_contact[loan.staff].append(loan)
        if loan.delivery is Delivery.STAFF and loan.staff is not None:
            on_route[loan.staff].append(loan)
        loan.reminded_on = today
    for borrower, loans in by_borrower.items():
        mail.send(borrower.email, _l("Please return what you borrowed from %(library)s", library=tenant.name), "lending/mail/borrower_digest.txt",
                  locale=borrower.preferred_locale, borrower=borrower, loans=loans, library=tenant.name)
    staff = set(to_contact) | set(on_route)
    for user in sorted(staff, key=lambda user: user.id):
        mail.send(user.email, _l("Overdue loans: your call list and route"), "lending/mail/staff_digest.txt", locale=language_of(user),
                  user=user, to_contact=to_contact.get(user, []), on_route=on_route.get(user, []), library=tenant.name)
    return len(by_borrower) + len(staff)
