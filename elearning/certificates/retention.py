"""How long the certificates of people who left are kept (a retention entry, `elearning.certificates`).

A certificate is its holder's credential: a future employer may verify it at /verify/<code> long after the holder
left the library, and the PDF and the initials need the holder's name. So a certificate stays, linked to its
holder, while it can still be of use: until `ELEARNING_CERTIFICATE_RETENTION_DAYS` (1,825, five years, by
default) have passed after its last valid day, or after the day it was issued when it never expires. Then, once
the holder is no longer an active member of the issuing library (or their account is deactivated), the
certificate and its expiry reminders are deleted, and the public page answers for its code as for any unknown
code. The certificates of people still on the staff are never erased: they can still use them. The figures of
past reports do not read certificates, so they stay the same.
"""
from datetime import datetime, timedelta

from flask import current_app
import sqlalchemy as sa

from bibnet.elearning.certificates.models import Certificate, CertificateReminder
from bibnet.elearning.leavers import still_a_member
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant

DAYS_SETTING = "ELEARNING_CERTIFICATE_RETENTION_DAYS"


def erase_certificates(now: datetime) -> int:
    """Delete the certificates of leavers whose period has passed, one transaction per tenant; returns how many."""
    last_kept_day = (now - timedelta(days=current_app.config[DAYS_SETTING])).date()
    erased = 0
    for tenant_id in db.session.scalars(sa.select(Tenant.id).order_by(Tenant.id)).all():
        with tenant_scope(tenant_id, reason="erasing the certificates of people who left, past their period"):
            certificates = [
                certificate for certificate in db.session.scalars(
                    sa.select(Certificate).where(~still_a_member(Certificate.user_id, Certificate.tenant_id))
                ).all()
                if (certificate.valid_until or certificate.issued_at.date()) < last_kept_day
            ]
            if certificates:
                db.session.execute(sa.delete(CertificateReminder).where(CertificateReminder.certificate_id.in_([certificate.id for certificate in certificates])))
                for certificate in certificates:  # one by one: each deletion is audited
                    db.session.delete(certificate)
            erased += len(certificates)
            db.session.commit()
    return erased
