"""Project finance setup, each partner's contribution sources, and budget versions with their lines.

Money is NUMERIC(17, 2) and `Decimal` in Python, never a float.
"""
from datetime import date
from decimal import Decimal
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.audit.models import Audited
from bibnet.db import GlobalModel, Model, TimestampMixin, relationship, str_enum
from bibnet.tenancy.mixins import TenantScopedMixin

MONEY = sa.Numeric(17, 2)
RATE = sa.Numeric(5, 2)


class CostCategory(enum.StrEnum):
    """The six Interreg cost categories (Regulation (EU) 2021/1059, Articles 39–44), in Jems's order."""

    STAFF = "staff"
    OFFICE = "office"
    TRAVEL = "travel"
    EXTERNAL = "external"
    EQUIPMENT = "equipment"
    INFRASTRUCTURE = "infrastructure"


# Jems's English labels: funding reports use them as they are, so lines can be re-keyed into Jems.
JEMS_CATEGORY_LABELS = {
    CostCategory.STAFF: "Staff costs",
    CostCategory.OFFICE: "Office and administration",
    CostCategory.TRAVEL: "Travel and accommodation",
    CostCategory.EXTERNAL: "External expertise and services",
    CostCategory.EQUIPMENT: "Equipment",
    CostCategory.INFRASTRUCTURE: "Infrastructure and works",
}


class LegalStatus(enum.StrEnum):
    PUBLIC = "public"
    AUTOMATIC_PUBLIC = "automatic_public"
    PRIVATE = "private"


class SourceKind(enum.StrEnum):
    PERCENTAGE = "percentage"  # a percentage of the partner total
    AMOUNT = "amount"  # an amount of the budget in force
    REMAINDER = "remainder"  # the last source: what is left of the contribution


class FinanceSetup(GlobalModel, Audited, Model):
    """A project's fund (ERDF at 80 % by default) and optional flat rate, set by the project lead."""

    __tablename__ = "finance_setup"
    __table_args__ = (
        sa.CheckConstraint("fund_rate > 0 AND fund_rate <= 100", name="fund_rate_range"),
        sa.CheckConstraint("office_flat_rate IS NULL OR (office_flat_rate > 0 AND office_flat_rate <= 15)", name="office_rate_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"), unique=True)
    fund_name: Mapped[str] = mapped_column(sa.String(40), default="ERDF")
    fund_rate: Mapped[Decimal] = mapped_column(RATE, default=Decimal("80.00"))
    # Office and administration as a flat rate of staff costs (at most 15 %, Regulation (EU) 2021/1060 Art. 54).
    office_flat_rate: Mapped[Decimal | None] = mapped_column(RATE)


class ContributionSource(TenantScopedMixin, Audited, Model):
    """Where a partner's own contribution comes from (state budget, municipal budget, …), in order.

    Every source but the last is a percentage of the partner total or an amount; the last takes the
    remainder, so the sources always add up to the contribution to the cent (see cofinancing.py).
    """

    __tablename__ = "contribution_source"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "project_id", "position"),
        sa.CheckConstraint("(kind = 'remainder') = (value IS NULL)", name="value_unless_remainder"),
        sa.CheckConstraint("value IS NULL OR value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(120))
    legal_status: Mapped[LegalStatus] = mapped_column(str_enum(LegalStatus, 20))
    kind: Mapped[SourceKind] = mapped_column(str_enum(SourceKind, 12))
    value: Mapped[Decimal | None] = mapped_column(MONEY)


class BudgetVersion(TenantScopedMixin, Audited, TimestampMixin, Model):
    """The partner's budget as approved: the original, then each approved modification. One is in force."""

    __tablename__ = "budget_version"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "project_id", "number"),
        sa.Index("uq_budget_version_in_force", "tenant_id", "project_id", unique=True, sqlite_where=sa.text("in_force"), postgresql_where=sa.text("in_force")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]  # 0 = the original
    approved_on: Mapped[date | None]
    in_force: Mapped[bool] = mapped_column(default=False)

    # Read on one object at a time by the services; list pages load it with options (their query counts are tested).
    lines: Mapped[list["BudgetLine"]] = relationship(lazy="select", back_populates="version", order_by="(BudgetLine.category, BudgetLine.id)", cascade="all, delete-orphan")


class BudgetLine(TenantScopedMixin, Audited, Model):
    """Units × unit price, truncated to the cent, spread over the reporting periods."""

    __tablename__ = "budget_line"
    __table_args__ = (sa.CheckConstraint("units > 0", name="units_positive"), sa.CheckConstraint("unit_price >= 0", name="price_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("budget_version.id", ondelete="CASCADE"), index=True)
    category: Mapped[CostCategory] = mapped_column(str_enum(CostCategory, 20))
    description: Mapped[str] = mapped_column(sa.String(255))
    unit_type: Mapped[str] = mapped_column(sa.String(60), default="")
    units: Mapped[Decimal] = mapped_column(MONEY)
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    total: Mapped[Decimal] = mapped_column(MONEY)

    version: Mapped[BudgetVersion] = relationship(back_populates="lines")
    periods: Mapped[list["BudgetLinePeriod"]] = relationship(lazy="select", order_by="BudgetLinePeriod.period_number", cascade="all, delete-orphan")


class BudgetLinePeriod(TenantScopedMixin, Model):
    """The part of a line planned for one reporting period; the last period holds the remainder."""

    __tablename__ = "budget_line_period"
    __table_args__ = (sa.UniqueConstraint("line_id", "period_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(sa.ForeignKey("budget_line.id", ondelete="CASCADE"), index=True)
    period_number: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(MONEY)
