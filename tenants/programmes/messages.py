"""What programmes tell their participants by e-mail, in the language each registered in: that a place freed for
them (the waitlist moved), and, the day before each session, a reminder (the hourly `programmes.reminders`
job). A participant registered with a phone only is called by the staff; a group without an e-mail is not mailed.
"""
from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet import mail
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings.recurrence import to_local, to_utc
from bibnet.tenants.programmes.labels import text_in
from bibnet.tenants.programmes.models import Programme, ProgrammeSession, Registration, RegistrationStatus


def _mailable(registration: Registration) -> bool:
    return bool(registration.email) and registration.erased_at is None


def tell_promoted(registration: Registration) -> None:
    """The `registrations.on_promotion` listener: a place freed, the participant now has it."""
    if not _mailable(registration):
        return
    programme = db.session.get(Programme, registration.programme_id)
    tenant = db.session.get(Tenant, programme.tenant_id)
    upcoming = db.session.scalars(
        sa.select(ProgrammeSession).where(ProgrammeSession.programme_id == programme.id, ProgrammeSession.cancelled_at.is_(None), ProgrammeSession.starts_at > utcnow())
        .order_by(ProgrammeSession.starts_at).limit(1)
    ).first()
    mail.send(
        registration.email, _l("A place is free for you: %(title)s", title=text_in(programme.title, registration.locale)), "programmes/mail/promoted.txt", registration.locale,
        name=registration.name, title=text_in(programme.title, registration.locale), tenant=tenant.name, next_starts=to_local(upcoming.starts_at, tenant.timezone) if upcoming else None,
        cancel_link=_cancel_link(tenant, registration),
    )


def _cancel_link(tenant: Tenant, registration: Registration) -> str:
    """The participant's own page to cancel, so that a place they cannot use goes to the next person waiting."""
    return mail.link("programmes_public.cancel", library_slug=tenant.slug, token=registration.token)


def send_reminders(now: datetime | None = None) -> int:
    """Mail every registered participant with an e-mail about each session of tomorrow (the library's day), once:
    `reminded_at` stamps the session, so the hourly job sends nothing twice. Committed per tenant; returns the mails."""
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
        sa.select(ProgrammeSession).join(ProgrammeSession.programme)
        .options(joinedload(ProgrammeSession.programme), joinedload(ProgrammeSession.organisation))
        .where(
            ProgrammeSession.starts_at >= starts, ProgrammeSession.starts_at < ends, ProgrammeSession.cancelled_at.is_(None),
            ProgrammeSession.reminded_at.is_(None), Programme.cancelled_at.is_(None),
        ).order_by(ProgrammeSession.starts_at)
    ).all()
    if not due:
        return 0
    participants = db.session.scalars(
        sa.select(Registration).where(
            Registration.programme_id.in_({session.programme_id for session in due}), Registration.status == RegistrationStatus.REGISTERED,
            Registration.email != "", Registration.erased_at.is_(None),
        ).order_by(Registration.id)
    ).all()
    sent = 0
    for session in due:
        for registration in (r for r in participants if r.programme_id == session.programme_id):
            title = text_in(session.programme.title, registration.locale)
            mail.send(
                registration.email, _l("Tomorrow: %(title)s", title=title), "programmes/mail/reminder.txt", registration.locale,
                name=registration.name, title=title, tenant=tenant.name, starts=to_local(session.starts_at, tenant.timezone), ends=to_local(session.ends_at, tenant.timezone),
                session=session, cancel_link=_cancel_link(tenant, registration),
            )
            sent += 1
        session.reminded_at = now
    return sent
