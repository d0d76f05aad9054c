"""The organisations a library works with: social services, disability societies, care homes, schools.

An organisation is the library's own record of a partner institution (never a person): whom to call there, and
what it does with the library (cooperation agreements, referrals of people to programmes, co-organised
programmes). Its contact person is someone acting for the institution, not a person the library serves: kept
while the organisation is active, erased a while after it is deactivated (a retention entry).

A cooperation agreement is between institutions: its parties, dates, scope and signed document name no person the
library serves (the people served are only ever counted, in `bibnet.tenants.outreach`).
"""
from datetime import date, datetime
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.audit.models import Audited
from bibnet.db import Model, TimestampMixin, relationship, str_enum
from bibnet.storage.models import StoredFile
from bibnet.tenancy.mixins import TenantScopedMixin


class OrganisationKind(enum.StrEnum):
    SOCIAL_SERVICES = "social_services"
    DISABILITY_SOCIETY = "disability_society"
    CARE_HOME = "care_home"
    SCHOOL = "school"
    HEALTH_CARE = "health_care"
    NGO = "ngo"
    OTHER = "other"


class Organisation(TenantScopedMixin, Audited, TimestampMixin, Model):
    __tablename__ = "organisation"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind, 20))
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    contact_person: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    # No longer worked with: kept for the history of agreements and programmes, left out of choices.
    active: Mapped[bool] = mapped_column(default=True)
    # When it was deactivated: its contact person is erased a retention period later.
    deactivated_at: Mapped[datetime | None]

    agreements: Mapped[list["Agreement"]] = relationship(back_populates="organisation", order_by="Agreement.signed_on.desc()")


PARTIES_LENGTH, SCOPE_LENGTH = 500, 2000


class Agreement(TenantScopedMixin, Audited, TimestampMixin, Model):
    """A cooperation agreement with an organisation: signed on a day, in force until its expiry (or open-ended)."""

    __tablename__ = "organisation_agreement"
    __table_args__ = (
        sa.CheckConstraint("expires_on IS NULL OR expires_on >= signed_on", name="expires_after_signing"),
        sa.Index("ix_organisation_agreement_tenant_expires_on", "tenant_id", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    parties: Mapped[str] = mapped_column(sa.String(PARTIES_LENGTH))
    signed_on: Mapped[date]
    expires_on: Mapped[date | None]
    scope: Mapped[str] = mapped_column(sa.String(SCOPE_LENGTH), default="")
    document_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_file.id", ondelete="SET NULL"))
    # The reminder already sent, in days before expiry (60, then 14): each is sent once; a new expiry day clears it.
    reminded_days: Mapped[int | None]

    organisation: Mapped[Organisation] = relationship(back_populates="agreements")
    document: Mapped[StoredFile | None] = relationship()

    def in_force_on(self, day: date) -> bool:
        return self.signed_on <= day and (self.expires_on is None or day <= self.expires_on)
