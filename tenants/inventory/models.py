"""The equipment a library owns: where it is (a tree of locations), what kind of thing it is (categories) and
each item of the register with its status. Lending, maintenance, stock-takes and the funding link build on
these rows; every change to them is in the audit log, which is the item's history.
"""
from datetime import date
from decimal import Decimal
import enum
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.audit.models import Audited
from bibnet.db import Model, TimestampMixin, relationship, str_enum
from bibnet.storage.models import StoredFile
from bibnet.tenancy.mixins import TenantScopedMixin
from bibnet.tenants.budgets.models import MONEY


class LocationKind(enum.StrEnum):
    BRANCH = "branch"
    ROOM = "room"
    STORAGE = "storage"  # a cupboard, shelf or store room
    OTHER = "other"


class Location(TenantScopedMixin, Audited, TimestampMixin, Model):
    """A place in the tree branch › room › cupboard. A sensory room of the bookings feature is a location
    (`room_id`), so the room's page can list what is in it."""

    __tablename__ = "inventory_location"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "parent_id", "name"),
        sa.UniqueConstraint("room_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inventory_location.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[LocationKind] = mapped_column(str_enum(LocationKind, 10), default=LocationKind.OTHER)
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped["Location | None"] = relationship(remote_side=[id])


class Category(TenantScopedMixin, Audited, Model):
    """A kind of equipment. `shared_key` marks one of the project-wide categories (`categories.SHARED`), which
    every partner has under the same key so that figures add up across partners; the others are the tenant's own.
    `attribute_fields` are the custom attributes its items carry: [{"key", "label", "kind"}]."""

    __tablename__ = "inventory_category"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "name"),
        sa.UniqueConstraint("tenant_id", "shared_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    shared_key: Mapped[str | None] = mapped_column(sa.String(40))
    attribute_fields: Mapped[list] = mapped_column(sa.JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)


class ItemKind(enum.StrEnum):
    SERIALISED = "serialised"  # one physical thing with its own tag (a projector, a DAISY player)
    QUANTITY = "quantity"  # counted in stock (board games, large-print books): `quantity` units under one tag
    KIT = "kit"  # lent and returned as one; its parts are items whose `kit_id` names it


class ItemStatus(enum.StrEnum):
    AVAILABLE = "available"
    ON_LOAN = "on_loan"
    RESERVED = "reserved"
    MAINTENANCE = "maintenance"
    CLEANING = "cleaning"  # cleaning or quarantine after a return, then checked before it is available again
    LOST = "lost"
    RETIRED = "retired"


# Items in these states cannot be used by visitors: a room that holds one shows it as unavailable.
OUT_OF_USE = (ItemStatus.MAINTENANCE, ItemStatus.CLEANING, ItemStatus.LOST, ItemStatus.RETIRED)
# States that end an item's life in the register; the item stays listed (history, durability) but is not counted in stock.
GONE = (ItemStatus.LOST, ItemStatus.RETIRED)


class Condition(enum.StrEnum):
    NEW = "new"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    BROKEN = "broken"


def new_public_token() -> str:
    return secrets.token_urlsafe(12)


class Item(TenantScopedMixin, Audited, TimestampMixin, Model):
    """One entry of the asset register, under a tag unique in the tenant (`tags.next_tag`)."""

    __tablename__ = "inventory_item"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "tag_number"),
        sa.UniqueConstraint("tenant_id", "tag"),
        sa.Index("ix_inventory_item_tenant_status", "tenant_id", "status"),
        sa.Index("ix_inventory_item_tenant_category", "tenant_id", "category_id"),
        sa.CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        sa.CheckConstraint("kind = 'quantity' OR quantity = 1", name="one_unless_counted"),
        sa.CheckConstraint("cost IS NULL OR cost >= 0", name="cost_not_negative"),
        sa.CheckConstraint("kit_id IS NULL OR kit_id <> id", name="not_its_own_part"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tag_number: Mapped[int]
    tag: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_category.id", ondelete="RESTRICT"))
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind, 12), default=ItemKind.SERIALISED)
    quantity: Mapped[int] = mapped_column(default=1)
    serial: Mapped[str] = mapped_column(sa.String(100), default="")
    manufacturer: Mapped[str] = mapped_column(sa.String(120), default="")
    model: Mapped[str] = mapped_column(sa.String(120), default="")
    supplier: Mapped[str] = mapped_column(sa.String(200), default="")
    purchase_date: Mapped[date | None]
    # What the item cost in euro, VAT included as invoiced (for a quantity item: all its units together).
    cost: Mapped[Decimal | None] = mapped_column(MONEY)
    location_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inventory_location.id", ondelete="SET NULL"), index=True)
    status: Mapped[ItemStatus] = mapped_column(str_enum(ItemStatus, 12), default=ItemStatus.AVAILABLE)
    condition: Mapped[Condition] = mapped_column(str_enum(Condition, 8), default=Condition.GOOD)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    attributes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    kit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("inventory_item.id", ondelete="SET NULL"), index=True)
    photo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_file.id", ondelete="SET NULL"))
    # How to use it and whom to call: shown on the public page its label's QR code opens (never personal data).
    public_note: Mapped[str] = mapped_column(sa.Text, default="")
    # The invoice it was bought on: the funding link to cost category, project and co-financing.
    expenditure_id: Mapped[int | None] = mapped_column(sa.ForeignKey("expenditure.id", ondelete="SET NULL"), index=True)
    last_stocktake_on: Mapped[date | None]
    # The item's QR code opens /i/<public_token>: random, so that nobody walks the register by counting tags.
    public_token: Mapped[str] = mapped_column(sa.String(24), unique=True, default=new_public_token)

    category: Mapped[Category] = relationship()
    location: Mapped[Location | None] = relationship()
    photo: Mapped[StoredFile | None] = relationship()
    kit: Mapped["Item | None"] = relationship(remote_side=[id], back_populates="parts")
    # Read on one kit at a time (its status moves its parts); lists load it with options.
    parts: Mapped[list["Item"]] = relationship(lazy="select", back_populates="kit", order_by="Item.tag_number")

    @property
    def in_use(self) -> bool:
        return self.status not in OUT_OF_USE


class ItemDocument(TenantScopedMixin, Model):
    """A photo, manual, warranty or invoice scan kept with an item, from the core storage."""

    __tablename__ = "inventory_item_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("inventory_item.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_file.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(sa.String(200), default="")

    file: Mapped[StoredFile] = relationship()
