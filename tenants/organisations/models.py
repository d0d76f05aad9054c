"""The organisations a library works with: social services, disability societies, care homes, schools.

An organisation is the library's own record of a partner institution (never a person): whom to call there, and
what it does with the library (cooperation agreements, referrals of people to programmes, co-organised
programmes). Its contact person is someone acting for the institution, not a person the library serves.
"""
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.audit.models import Audited
from bibnet.db import Model, TimestampMixin, str_enum
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
