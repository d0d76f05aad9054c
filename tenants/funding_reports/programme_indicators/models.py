"""A project's programme indicators (Interreg RCO/RCR, or the programme's own), the values typed for the
indicators measured by hand, and the evidence attached per reporting period.

These rows belong to the project, not to one partner (like the finance setup): global rows that only the
project's pages reach (`project.lead`). An evidence file itself lives in the core storage under the lead
partner's tenant (a stored file is always a tenant's); its name and description are copied here so that the
project's pages and reports list the evidence without reading any tenant's rows.

Values are NUMERIC(14, 2), `Decimal` in Python: a count is a whole number (`whole_numbers`), other units
(hours, kilometres of a route) may have two decimals. An indicator is never deleted, since its values were
reported to the programme: removing it sets `deleted_at`, and the audit log keeps who did it.
"""
from datetime import datetime
from decimal import Decimal
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.audit.models import Audited
from bibnet.db import GlobalModel, Model, TimestampMixin, str_enum

AMOUNT = sa.Numeric(14, 2)


class Measurement(enum.StrEnum):
    FED = "fed"  # summed from registered figures over the project's partners
    MANUAL = "manual"  # typed per reporting period, with evidence


class ProgrammeIndicator(GlobalModel, Audited, TimestampMixin, Model):
    __tablename__ = "programme_indicator"
    __table_args__ = (
        sa.Index(
            "uq_programme_indicator_code", "project_id", "code", unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"), postgresql_where=sa.text("deleted_at IS NULL"),
        ),
        sa.CheckConstraint("target >= 0 AND baseline >= 0", name="not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[str] = mapped_column(sa.String(60))
    baseline: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal("0"))
    target: Mapped[Decimal] = mapped_column(AMOUNT)
    whole_numbers: Mapped[bool] = mapped_column(default=True)
    measurement: Mapped[Measurement] = mapped_column(str_enum(Measurement, 10))
    # The registered figure keys summed for a FED indicator; empty: the figures that name its code (read each time,
    # so a feature that registers a source later counts without editing the indicator).
    figure_keys: Mapped[list] = mapped_column(sa.JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))


class IndicatorValue(GlobalModel, Audited, TimestampMixin, Model):
    """The value of a MANUAL indicator in one reporting period."""

    __tablename__ = "programme_indicator_value"
    __table_args__ = (sa.UniqueConstraint("indicator_id", "period_id"), sa.CheckConstraint("value >= 0", name="not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("programme_indicator.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal] = mapped_column(AMOUNT)


class IndicatorEvidence(GlobalModel, Audited, TimestampMixin, Model):
    """A file proving an indicator's value in one reporting period (a signed attendance list, a programme)."""

    __tablename__ = "programme_indicator_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("programme_indicator.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(sa.String(300))
    # The stored file, in the storage of the tenant that holds it (the lead partner's).
    file_tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id", ondelete="CASCADE"))
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_file.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
