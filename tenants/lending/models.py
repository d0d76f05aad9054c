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

from bibnet.accounts.models import User
from bibnet.audit.models import Audited
from bibnet.db import Model, TimestampMixin, relationship, str_enum
from bibnet.storage.models import StoredFile
from bibnet.tenancy.mixins import TenantScopedMixin
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.inventory.models import Item


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

    # Personal data: the audit log records that it changed, never the values (which erasure must not leave behind).
    __audit_redacted__ = frozenset({"name", "phone", "email", "address", "contact_person", "contact_phone"})

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


class Delivery(enum.StrEnum):
    DESK = "desk"  # collected at the library
    STAFF = "staff"  # taken home by a member of staff (on their route)
    VOLUNTEER = "volunteer"  # taken home by a volunteer, named on the loan


class Loan(TenantScopedMixin, Audited, TimestampMixin, Model):
    """An item (a serialised item or a whole kit) lent to a borrower of record until `due_on`. Open while
    `returned_on` is empty; the database holds at most one open loan per item (the partial unique index).
    A returned item goes to cleaning; `checked_on` is set when the check after cleaning made it available again.
    The target group is a count category of the loan, not a fact about the person: it stays after erasure."""

    __tablename__ = "loan"
    __table_args__ = (
        sa.Index("ix_loan_one_open_per_item", "item_id", unique=True, sqlite_where=sa.text("returned_on IS NULL"), postgresql_where=sa.text("returned_on IS NULL")),
        sa.Index("ix_loan_tenant_due_on", "tenant_id", "due_on"),
        sa.CheckConstraint("due_on >= lent_on", name="due_after_lent"),
        sa.CheckConstraint("renewals >= 0", name="renewals_not_negative"),
        sa.CheckConstraint("delivery <> 'volunteer' OR volunteer_name <> ''", name="volunteer_named"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_item.id", ondelete="RESTRICT"))
    borrower_id: Mapped[int] = mapped_column(sa.ForeignKey("borrower.id", ondelete="RESTRICT"), index=True)
    lent_on: Mapped[date]
    due_on: Mapped[date]
    renewals: Mapped[int] = mapped_column(default=0)
    # The last sign of use: lending, a renewal or a home visit; the "use it or return it" flag counts from it.
    last_seen_on: Mapped[date]
    # The borrower's signed acceptance: on paper (the date it was signed) or as an uploaded scan.
    acceptance_signed_on: Mapped[date | None]
    acceptance_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_file.id", ondelete="SET NULL"))
    delivery: Mapped[Delivery] = mapped_column(str_enum(Delivery, 10), default=Delivery.DESK)
    volunteer_name: Mapped[str] = mapped_column(sa.String(200), default="")
    # Who lent it, and for home delivery by staff whose route it is on.
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    target_group: Mapped[TargetGroup] = mapped_column(str_enum(TargetGroup, 12))
    returned_on: Mapped[date | None]
    # The last overdue reminder about it (the daily digests remind of a loan once a week).
    reminded_on: Mapped[date | None]
    checked_on: Mapped[date | None]
    # The kit's parts that did not come back, as "tag name" lines (the parts themselves are LOST).
    missing_parts: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    item: Mapped[Item] = relationship()
    borrower: Mapped[Borrower] = relationship()
    staff: Mapped[User | None] = relationship()
    acceptance_file: Mapped[StoredFile | None] = relationship()

    @property
    def open(self) -> bool:
        return self.returned_on is None

    def overdue(self, today: date) -> bool:
        return self.open and self.due_on < today


class Reservation(TenantScopedMixin, Audited, TimestampMixin, Model):
    """An item held for future dates (`starts_on` to `ends_on`, both included), for a borrower or a purpose
    (a session in the sensory room). Active while `closed_at` is empty: a cancellation or the loan that consumed
    it closes it. On PostgreSQL an exclusion constraint refuses two active reservations of an item that overlap."""

    __tablename__ = "reservation"
    __table_args__ = (
        sa.Index("ix_reservation_item_starts_on", "item_id", "starts_on"),
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        sa.CheckConstraint("borrower_id IS NOT NULL OR purpose <> ''", name="for_someone_or_something"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_item.id", ondelete="CASCADE"))
    borrower_id: Mapped[int | None] = mapped_column(sa.ForeignKey("borrower.id", ondelete="SET NULL"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(200), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    made_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None]
    loan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("loan.id", ondelete="SET NULL"))

    item: Mapped[Item] = relationship()
    borrower: Mapped[Borrower | None] = relationship()
    made_by: Mapped[User | None] = relationship()
