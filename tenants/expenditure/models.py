"""Expenditure items (the Jems list-of-expenditure fields), their attachments, and the partner's settings."""
from datetime import date, datetime
from decimal import Decimal
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.audit.models import Audited
from bibnet.db import Model, TimestampMixin, relationship, str_enum
from bibnet.storage.models import StoredFile
from bibnet.tenancy.mixins import TenantScopedMixin
from bibnet.tenants.budgets.models import MONEY, CostCategory


class ExpenditureStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    REJECTED = "rejected"


# Items count as reported once the coordinator has submitted them; drafts, rejected and deleted ones do not.
REPORTED = (ExpenditureStatus.SUBMITTED, ExpenditureStatus.VERIFIED)
# Items the partner may still change: a rejected item is corrected and submitted again.
EDITABLE = (ExpenditureStatus.DRAFT, ExpenditureStatus.REJECTED)


class Expenditure(TenantScopedMixin, Audited, TimestampMixin, Model):
    """One cost item. Amounts are in `currency`; `declared_eur` is the declared amount converted half-up."""

    __tablename__ = "expenditure"
    __table_args__ = (
        # A duplicate invoice is the same supplier's same number in one partner's project, unless deleted.
        sa.Index(
            "uq_expenditure_invoice",
            "tenant_id", "project_id", "supplier_key", "invoice_number",
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL AND invoice_number IS NOT NULL"),
            postgresql_where=sa.text("deleted_at IS NULL AND invoice_number IS NOT NULL"),
        ),
        sa.Index("ix_expenditure_tenant_project_period", "tenant_id", "project_id", "period_number"),
        sa.CheckConstraint("conversion_rate IS NULL OR conversion_rate > 0", name="rate_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"), index=True)
    period_number: Mapped[int]
    category: Mapped[CostCategory] = mapped_column(str_enum(CostCategory, 20))
    internal_reference: Mapped[str] = mapped_column(sa.String(30), default="")
    invoice_number: Mapped[str | None] = mapped_column(sa.String(30))
    invoice_date: Mapped[date]
    payment_date: Mapped[date | None]
    supplier: Mapped[str] = mapped_column(sa.String(200))
    # The supplier's name folded (case and spaces), so that "SIA Gaisma" and "sia  gaisma" are one supplier.
    supplier_key: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.String(255))
    comment: Mapped[str] = mapped_column(sa.String(255), default="")
    invoice_total: Mapped[Decimal] = mapped_column(MONEY)
    vat: Mapped[Decimal | None] = mapped_column(MONEY)
    declared_amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    # Units of `currency` per euro (the Commission's InforEuro convention); none for EUR.
    conversion_rate: Mapped[Decimal | None] = mapped_column(sa.Numeric(15, 6))
    declared_eur: Mapped[Decimal] = mapped_column(MONEY)
    procurement_reference: Mapped[str] = mapped_column(sa.String(60), default="")
    status: Mapped[ExpenditureStatus] = mapped_column(str_enum(ExpenditureStatus, 12), default=ExpenditureStatus.DRAFT)
    status_comment: Mapped[str] = mapped_column(sa.String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    # Read on one object at a time by the services; list pages load it with options (their query counts are tested).
    attachments: Mapped[list["ExpenditureAttachment"]] = relationship(lazy="select", back_populates="expenditure", cascade="all, delete-orphan")

    @property
    def is_credit_note(self) -> bool:
        return self.invoice_total < 0

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE and self.deleted_at is None


class ExpenditureAttachment(TenantScopedMixin, Model):
    __tablename__ = "expenditure_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    expenditure_id: Mapped[int] = mapped_column(sa.ForeignKey("expenditure.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_file.id", ondelete="RESTRICT"))

    expenditure: Mapped[Expenditure] = relationship(back_populates="attachments")
    file: Mapped[StoredFile] = relationship()


class FinanceSettings(TenantScopedMixin, Audited, Model):
    """A partner's own finance settings: whether staff may draft expenditure, and the remembered
    column mapping of its accounting system's export."""

    __tablename__ = "finance_settings"
    __table_args__ = (sa.UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_may_draft: Mapped[bool] = mapped_column(default=False)
    import_mapping: Mapped[dict] = mapped_column(sa.JSON, default=dict)
