"""Home visits to borrowers of record: planned for a day and a part of it, made by a staff member or a
volunteer, then logged as held or missed with what went out and came back.

The people served are counted on the visit per target group (how many, never who), so a visit keeps counting
after retention has erased its borrower's personal data (the borrower row stays, with `erased_at`).
"""
from datetime import date, datetime
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.accounts.models import User
from bibnet.audit.models import Audited
from bibnet.db import Model, TimestampMixin, relationship, str_enum
from bibnet.tenancy.mixins import TenantScopedMixin
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.inventory.models import Item
from bibnet.tenants.lending.models import Borrower

OUTCOME_LENGTH, VOLUNTEER_LENGTH, NOTE_LENGTH = 300, 200, 500


class PartOfDay(enum.StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


class VisitStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    MISSED = "missed"  # nobody at home, or the visit fell through: logged, never counted as a service


class Direction(enum.StrEnum):
    OUT = "out"  # taken to the borrower
    BACK = "back"  # brought back to the library


def count_column(group: TargetGroup) -> str:
    return f"served_{group.value}"


class HomeVisit(TenantScopedMixin, Audited, TimestampMixin, Model):
    __tablename__ = "home_visit"
    __table_args__ = (
        sa.Index("ix_home_visit_tenant_day", "tenant_id", "visit_on"),
        sa.CheckConstraint("staff_id IS NOT NULL OR volunteer_name <> ''", name="someone_visits"),
        *(sa.CheckConstraint(f"{count_column(group)} >= 0", name=f"{count_column(group)}_not_negative") for group in TargetGroup),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    borrower_id: Mapped[int] = mapped_column(sa.ForeignKey("borrower.id", ondelete="RESTRICT"), index=True)
    visit_on: Mapped[date]
    part_of_day: Mapped[PartOfDay] = mapped_column(str_enum(PartOfDay, 10))
    # A member of the library's staff, or else a volunteer without an account, named as they sign.
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    volunteer_name: Mapped[str] = mapped_column(sa.String(VOLUNTEER_LENGTH), default="")
    status: Mapped[VisitStatus] = mapped_column(str_enum(VisitStatus, 10), default=VisitStatus.SCHEDULED)
    # What went out and came back besides tagged items (books, leaflets), in a line each.
    taken_note: Mapped[str] = mapped_column(sa.String(NOTE_LENGTH), default="")
    returned_note: Mapped[str] = mapped_column(sa.String(NOTE_LENGTH), default="")
    device_checked: Mapped[bool | None]
    outcome: Mapped[str] = mapped_column(sa.String(OUTCOME_LENGTH), default="")
    logged_at: Mapped[datetime | None]
    served_seniors: Mapped[int] = mapped_column(default=0)
    served_physical: Mapped[int] = mapped_column(default=0)
    served_psychosocial: Mapped[int] = mapped_column(default=0)
    served_intellectual: Mapped[int] = mapped_column(default=0)
    served_visual: Mapped[int] = mapped_column(default=0)
    served_hearing: Mapped[int] = mapped_column(default=0)
    served_other: Mapped[int] = mapped_column(default=0)

    borrower: Mapped[Borrower] = relationship()
    staff: Mapped[User | None] = relationship()
    items: Mapped[list["HomeVisitItem"]] = relationship(cascade="all, delete-orphan", order_by="HomeVisitItem.id")

    @property
    def served(self) -> dict[str, int]:
        return {group.value: getattr(self, count_column(group)) for group in TargetGroup}

    @property
    def visitor(self) -> str:
        return self.staff.name if self.staff is not None else self.volunteer_name


class HomeVisitItem(TenantScopedMixin, Model):
    """An item of the register taken to the borrower or brought back on a visit."""

    __tablename__ = "home_visit_item"
    __table_args__ = (sa.UniqueConstraint("visit_id", "item_id", "direction"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("home_visit.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_item.id", ondelete="RESTRICT"), index=True)
    direction: Mapped[Direction] = mapped_column(str_enum(Direction, 4))

    item: Mapped[Item] = relationship()
