"""Borrowers of record: people and institutions who borrow equipment without an account.

Only what lending needs is kept: a way to reach the borrower and whom to call besides, in the language and
channel they prefer, and when they consented. Never a diagnosis: loans are counted by target group on the
loan, not recorded on the person. Their personal data is erased a while after their last loan closes
(the lending feature's retention rule), keeping the counts.
"""
from datetime import date, datetime
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.audit.models import Audited
from bibnet.db import Model, TimestampMixin, str_enum
from bibnet.tenancy.mixins import TenantScopedMixin


class BorrowerKind(enum.StrEnum):
    PERSON = "person"
    INSTITUTION = "institution"  # a care home, a day centre: `name` is the institution, `contact_person` answers for it


class Channel(enum.StrEnum):
    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    POST = "post"
    VISIT = "visit"  # told in person, on the next home visit


class Borrower(TenantScopedMixin, Audited, TimestampMixin, Model):
    __tablename__ = "borrower"
    __table_args__ = (
        sa.CheckConstraint("erased_at IS NOT NULL OR phone <> '' OR address <> '' OR email <> ''", name="reachable"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[BorrowerKind] = mapped_column(str_enum(BorrowerKind, 12), default=BorrowerKind.PERSON)
    name: Mapped[str] = mapped_column(sa.String(200))
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    # A carer or relative to call (for a person), or the responsible person (for an institution).
    contact_person: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    preferred_locale: Mapped[str] = mapped_column(sa.String(5), default="lv")
    preferred_channel: Mapped[Channel] = mapped_column(str_enum(Channel, 8), default=Channel.PHONE)
    consent_on: Mapped[date]
    # Set when retention erased the personal fields above; the row stays so that past loans keep counting.
    erased_at: Mapped[datetime | None]

    @property
    def erased(self) -> bool:
        return self.erased_at is not None
