"""A request to dispose of a funded item before its durability ends, and the project lead's decision on it."""
from datetime import datetime
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.audit.models import Audited
from bibnet.db import Model, relationship, str_enum, utcnow
from bibnet.tenancy.mixins import TenantScopedMixin
from bibnet.tenants.inventory.models import Item


class Decision(enum.StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class DisposalRequest(TenantScopedMixin, Audited, Model):
    """Asked by the partner's coordinator, decided by the lead of the item's project. Pending while `decision` is
    None. An approved request lets the item be retired (or written off as lost) before its durability ends."""

    __tablename__ = "inventory_disposal_request"
    __table_args__ = (
        sa.Index("ix_inventory_disposal_request_item", "item_id"),
        sa.CheckConstraint("(decision IS NULL) = (decided_at IS NULL)", name="decided_with_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_item.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(sa.Text)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision: Mapped[Decision | None] = mapped_column(str_enum(Decision, 10))
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    item: Mapped[Item] = relationship()

    @property
    def pending(self) -> bool:
        return self.decision is None
