"""Expiry reminders (the `certificates.expiry_reminders` job, daily): a certificate that runs out within
REMINDER_DAYS is announced to its holder and to their library's coordinators, each in their own language, through
the core's notifications. A `certificate_reminder` row per certificate and threshold, written in the transaction
that queues the mail, makes every later run send nothing again.
"""
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet import notifications
from bibnet.elearning.certificates import services
from bibnet.elearning.certificates.models import Certificate, CertificateReminder
from bibnet.elearning.languages import choose
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.web.i18n import format_date

REMINDER_DAYS = services.EXPIRING_DAYS
EVERY = timedelta(days=1)


def _due(today) -> list[Certificate]:
    reminded = sa.select(CertificateReminder.certificate_id).where(CertificateReminder.days_before == REMINDER_DAYS)
    return list(db.session.scalars(
        sa.select(Certificate)
        .where(
            Certificate.revoked_at.is_(None), Certificate.valid_until.is_not(None),
            Certificate.valid_until >= today, Certificate.valid_until <= today + timedelta(days=REMINDER_DAYS),
            Certificate.id.not_in(reminded),
        )
        .options(joinedload(Certificate.user), joinedload(Certificate.course))
        .order_by(Certificate.id)
    ))


def _tell(certificate: Certificate, recipients, tenant: Tenant) -> None:
    for recipient in recipients:
        locale = notifications.language_of(recipient)
        with force_locale(locale):
            course = choose(certificate.course.title, [locale, tenant.default_locale, *current_app.config["LOCALES"]]).text
            expires = format_date(certificate.valid_until, "long")
        own = recipient.id == certificate.user_id
        subject = _l("Your certificate expires on %(date)s", date=expires) if own else _l("A certificate of your staff expires on %(date)s", date=expires)
        notifications.notify(
            [recipient], "certificates.expiring", subject, "elearning/certificates/mail/expiring.txt",
            own=own, holder=certificate.user.name, course=course, expires=expires, code=services.shown(certificate.code),
        )


def send_reminders(now: datetime) -> int:
    """Queue the reminders due at `now`, committed per library. Returns how many certificates were announced."""
    today = now.date()
    sent = 0
    for tenant in db.session.scalars(sa.select(Tenant).order_by(Tenant.id)).all():
        with tenant_scope(tenant):
            due = _due(today)
            if not due:
                continue
            coordinators = notifications.coordinators()
            for certificate in due:
                recipients = [certificate.user, *(c for c in coordinators if c.id != certificate.user_id)]
                _tell(certificate, recipients, tenant)
                db.session.add(CertificateReminder(certificate_id=certificate.id, days_before=REMINDER_DAYS, sent_at=now))
                sent += 1
            db.session.commit()
    return sent
