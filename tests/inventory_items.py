"""Items for tests of the inventory and the features built on it."""
from decimal import Decimal

import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenants.inventory import services
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.models import Category, Item, ItemKind


def shared_category(key: str = "reading_aids") -> Category:
    """The current tenant's shared category `key`, created with the others on first use."""
    ensure_shared_categories()
    return db.session.scalar(sa.select(Category).where(Category.shared_key == key))


def make_item(name: str = "DAISY player", category: Category | None = None, **fields) -> Item:
    """Register an item in the current tenant (commit it yourself)."""
    fields.setdefault("cost", Decimal("289.00"))
    return services.register(Item(name=name, category=category or shared_category(), **fields))


def make_kit(name: str = "DAISY lending kit", parts=("DAISY player", "Charger", "Headphones", "Manual")) -> Item:
    kit = make_item(name, kind=ItemKind.KIT, cost=None)
    for part in parts:
        make_item(part, kit_id=kit.id, cost=Decimal("10.00"))
    db.session.flush()
    db.session.refresh(kit)
    return kit
