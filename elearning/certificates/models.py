"""Certificates of completed courses, the courses a library requires for a gated action, and the expiry reminders
sent. All three are tenant rows (the guard and row-level security keep each library's to itself); the public
verification page reads a certificate by its code across tenants, through `all_tenants` with a reason.
"""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.accounts.models import User
from bibnet.audit.models import Audited
from bibnet.db import Model, relationship
from bibnet.elearning.models import Course, Enrolment
from bibnet.tenancy.mixins import TenantScopedMixin

CODE_LENGTH = 10
REASON_LENGTH = 500


class Certificate(TenantScopedMixin, Audited, Model):
    """Issued once per completed enrolment; a refresher is a new enrolment and so a new certificate, and the old
    one stays as the record of its day. Revoking keeps the row, with who revoked it, when and why (audited)."""

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored without its dash, in capitals; unique across every library, so a code names one certificate.
    code: Mapped[str] = mapped_column(sa.String(CODE_LENGTH), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"), unique=True)
    issued_at: Mapped[datetime]
    # The study time of the course's required lessons when it was completed.
    minutes: Mapped[int] = mapped_column(default=0)
    valid_until: Mapped[date | None] = mapped_column(index=True)  # the last valid day; None: valid for good
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    revocation_reason: Mapped[str | None] = mapped_column(sa.String(REASON_LENGTH))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()
    enrolment: Mapped[Enrolment] = relationship()


class CourseRequirement(TenantScopedMixin, Audited, Model):
    """The library requires a valid certificate of `course` for a gateable action (`bibnet.gates`)."""

    __tablename__ = "course_requirement"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "action", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(sa.String(100))
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"), index=True)

    course: Mapped[Course] = relationship()


class CertificateReminder(TenantScopedMixin, Model):
    """An expiry reminder sent: one per certificate and threshold (days before it expires), never twice."""

    __tablename__ = "certificate_reminder"
    __table_args__ = (sa.UniqueConstraint("certificate_id", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(sa.ForeignKey("certificate.id", ondelete="CASCADE"), index=True)
    days_before: Mapped[int]
    sent_at: Mapped[datetime]
