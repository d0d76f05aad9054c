"""Services given outside the room (home delivery of books, the talking-book service, consultations by phone,
e-mail or video, interlibrary loans) and estimates of how many people may need them.

Both hold counts only: the people served per target group on a service, the people who may need the services
per target group on an estimate. Neither names a person the library serves, nor their group or health: a note is
one line about the service ("12 books, 2 DAISY"), never about someone. So nothing here is personal data of the
people served, and nothing needs a retention entry; the staff member who gave a service is a user of BibNet.
"""
from datetime import date
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.accounts.models import User
from bibnet.audit.models import Audited
from bibnet.db import Model, TimestampMixin, relationship, str_enum
from bibnet.tenancy.mixins import TenantScopedMixin
from bibnet.tenants.bookings.models import TargetGroup

NOTE_LENGTH, SOURCE_LENGTH = 300, 200


class ServiceKind(enum.StrEnum):
    HOME_DELIVERY = "home_delivery"
    TALKING_BOOKS = "talking_books"
    PHONE = "phone"
    EMAIL = "email"
    VIDEO = "video"
    INTERLIBRARY_LOAN = "interlibrary_loan"


def served_column(group: TargetGroup) -> str:
    return f"served_{group.value}"


class OutreachService(TenantScopedMixin, Audited, TimestampMixin, Model):
    """One service given on a day by a staff member, with the people served counted per target group."""

    __tablename__ = "outreach_service"
    __table_args__ = (
        sa.Index("ix_outreach_service_tenant_given_on", "tenant_id", "given_on"),
        *(sa.CheckConstraint(f"{served_column(group)} >= 0", name=f"{served_column(group)}_not_negative") for group in TargetGroup),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ServiceKind] = mapped_column(str_enum(ServiceKind, 20))
    given_on: Mapped[date]
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    note: Mapped[str] = mapped_column(sa.String(NOTE_LENGTH), default="")
    served_seniors: Mapped[int] = mapped_column(default=0)
    served_physical: Mapped[int] = mapped_column(default=0)
    served_psychosocial: Mapped[int] = mapped_column(default=0)
    served_intellectual: Mapped[int] = mapped_column(default=0)
    served_visual: Mapped[int] = mapped_column(default=0)
    served_hearing: Mapped[int] = mapped_column(default=0)
    served_other: Mapped[int] = mapped_column(default=0)

    staff: Mapped[User | None] = relationship()

    @property
    def served(self) -> dict[str, int]:
        return {group.value: getattr(self, served_column(group)) for group in TargetGroup}

    @property
    def served_total(self) -> int:
        return sum(self.served.values())


class NeedEstimate(TenantScopedMixin, Audited, TimestampMixin, Model):
    """How many people in the municipality (the tenant) may need the services, in one target group, as a source
    (social services' list, the statistics office) said on a day. The latest per group is the one used."""

    __tablename__ = "outreach_need_estimate"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "target_group", "estimated_on"),
        sa.CheckConstraint("people >= 0", name="people_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_group: Mapped[TargetGroup] = mapped_column(str_enum(TargetGroup, 20))
    people: Mapped[int]
    source: Mapped[str] = mapped_column(sa.String(SOURCE_LENGTH))
    estimated_on: Mapped[date]
