"""A stock-take of one location (and the locations under it): which items were expected there when it started,
which were confirmed by a scan, and when it finished. A finished stock-take is the durability evidence that an
item was still owned and in place (`Item.last_stocktake_on`)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.db import Model, relationship, utcnow
from bibnet.storage.models import StoredFile
from bibnet.tenancy.mixins import TenantScopedMixin
from bibnet.tenants.inventory.models import Item, Location


class StockTake(TenantScopedMixin, Model):
    __tablename__ = "inventory_stocktake"
    __table_args__ = (sa.Index("ix_inventory_stocktake_tenant_started", "tenant_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_location.id", ondelete="RESTRICT"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    finished_at: Mapped[datetime | None]
    expected_count: Mapped[int] = mapped_column(default=0)

    location: Mapped[Location] = relationship()

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class StockTakeEntry(TenantScopedMixin, Model):
    """One item of a stock-take: expected there at the start (`expected`), confirmed by a scan (`found_at`), or
    both. A scanned item that was not expected was located elsewhere: it is misplaced."""

    __tablename__ = "inventory_stocktake_entry"
    __table_args__ = (sa.UniqueConstraint("stocktake_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stocktake_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_stocktake.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_item.id", ondelete="CASCADE"), index=True)
    expected: Mapped[bool] = mapped_column(default=False)
    found_at: Mapped[datetime | None]
    found_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    photo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_file.id", ondelete="SET NULL"))

    item: Mapped[Item] = relationship()
    photo: Mapped[StoredFile | None] = relationship()
