"""Maintenance of the equipment: schedules per item or per category, the tasks they make due, and the records
of what was done.

A schedule recurs every so many months (a safety test every 12, filters every month) or after each return
(cleaning: an item going to cleaning makes a task due that day). A task is one item's maintenance due on a day;
recording it done closes it and, for a recurring schedule, makes the next task due `interval_months` later.
"""
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.audit.models import Audited
from bibnet.db import Model, TimestampMixin, relationship
from bibnet.tenancy.mixins import TenantScopedMixin
from bibnet.tenants.budgets.models import MONEY
from bibnet.tenants.inventory.models import Category, Item

TITLE_LENGTH, SUPPLIER_LENGTH, WORK_LENGTH = 200, 200, 2000
MAX_INTERVAL_MONTHS = 120


class MaintenanceSchedule(TenantScopedMixin, Audited, TimestampMixin, Model):
    """What to do (`title`) for one item or for every item of a category, every `interval_months` months or,
    without an interval, after each return."""

    __tablename__ = "maintenance_schedule"
    __table_args__ = (
        sa.CheckConstraint("(item_id IS NULL) <> (category_id IS NULL)", name="item_or_category"),
        sa.CheckConstraint(f"interval_months IS NULL OR interval_months BETWEEN 1 AND {MAX_INTERVAL_MONTHS}", name="interval_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(TITLE_LENGTH))
    item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inventory_item.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inventory_category.id", ondelete="CASCADE"), index=True)
    # None: after each return (the item going to cleaning makes the task due).
    interval_months: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)

    item: Mapped[Item | None] = relationship()
    category: Mapped[Category | None] = relationship()

    @property
    def after_each_return(self) -> bool:
        return self.interval_months is None


class MaintenanceTask(TenantScopedMixin, Model):
    """One item's maintenance of one schedule, due on `due_on`; done when a record closes it."""

    __tablename__ = "maintenance_task"
    __table_args__ = (sa.Index("ix_maintenance_task_tenant_open", "tenant_id", "done_on", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(sa.ForeignKey("maintenance_schedule.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_item.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date]
    done_on: Mapped[date | None]

    schedule: Mapped[MaintenanceSchedule] = relationship()
    item: Mapped[Item] = relationship()


class MaintenanceRecord(TenantScopedMixin, Audited, TimestampMixin, Model):
    """What was done to an item, when, by whom (a supplier) and at what cost; `next_due_on` is the next task's day
    when the record closed a recurring task."""

    __tablename__ = "maintenance_record"
    __table_args__ = (sa.CheckConstraint("cost IS NULL OR cost >= 0", name="cost_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_item.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int | None] = mapped_column(sa.ForeignKey("maintenance_task.id", ondelete="SET NULL"), index=True)
    done_on: Mapped[date]
    work: Mapped[str] = mapped_column(sa.String(WORK_LENGTH))
    cost: Mapped[Decimal | None] = mapped_column(MONEY)
    supplier: Mapped[str] = mapped_column(sa.String(SUPPLIER_LENGTH), default="")
    next_due_on: Mapped[date | None]

    task: Mapped[MaintenanceTask | None] = relationship()
