"""Demo equipment of Pasvalys and Jelgava: each library's branch › sensory room › cupboard, the sensory room's
equipment, board games counted in stock, magnifiers, and five DAISY lending kits (player, charger, headphones,
manual). Lending, the funding link and stock-takes build their demo on these items, by the names below: keep
them stable. `load_demo()` is idempotent: a tenant that has items already is left as it is.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.inventory import services
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.models import Category, Condition, Item, ItemKind, Location, LocationKind
from bibnet.tenants.rooms.models import Room

DEMO_TENANTS = ("pasvalys", "jelgava")
CUPBOARD = "Sensory room cupboard"
DAISY_KITS = 5
DAISY_KIT_NAME = "DAISY lending kit {number}"
DAISY_PARTS = ("DAISY player {number}", "Charger of DAISY player {number}", "Headphones of DAISY player {number}", "Manual of DAISY player {number}")


@dataclass(frozen=True)
class DemoItem:
    name: str
    category: str  # a shared category's key
    cost: Decimal
    place: str  # "room" or "cupboard" or "branch"
    manufacturer: str = ""
    model: str = ""
    kind: ItemKind = ItemKind.SERIALISED
    quantity: int = 1


SENSORY_ROOM_EQUIPMENT = (
    DemoItem("Bubble tube", "sensory_equipment", Decimal("2400.00"), "room", "Rompa", "Bubble Tube 1.5 m"),
    DemoItem("Fibre-optic lights", "sensory_equipment", Decimal("890.00"), "room", "Rompa", "Fibre Optic Spray 200"),
    DemoItem("Projector", "computers", Decimal("649.00"), "room", "Epson", "EB-W49"),
    DemoItem("Weighted blanket 1", "sensory_equipment", Decimal("185.00"), "cupboard"),
    DemoItem("Weighted blanket 2", "sensory_equipment", Decimal("185.00"), "cupboard"),
    DemoItem("Board games", "games", Decimal("420.00"), "cupboard", kind=ItemKind.QUANTITY, quantity=12),
    DemoItem("Magnifier 1", "reading_aids", Decimal("239.00"), "branch", "Eschenbach", "visolux DIGITAL HD"),
    DemoItem("Magnifier 2", "reading_aids", Decimal("239.00"), "branch", "Eschenbach", "visolux DIGITAL HD"),
)
PLAYER_COST, ACCESSORY_COST = Decimal("289.00"), Decimal("12.00")


def _place(name: str, kind: LocationKind, parent: Location | None, room_id: int | None = None) -> Location:
    location = Location(name=name, kind=kind, parent=parent, room_id=room_id)
    db.session.add(location)
    db.session.flush()
    return location


def _load_tenant(tenant: Tenant) -> None:
    if db.session.scalar(sa.select(Item.id).limit(1)) is not None:
        return
    ensure_shared_categories()
    categories = {category.shared_key: category for category in db.session.scalars(sa.select(Category).where(Category.shared_key.is_not(None)))}
    room = db.session.scalar(sa.select(Room).order_by(Room.id).limit(1))
    branch = _place(room.library if room else tenant.name, LocationKind.BRANCH, None)
    sensory_room = _place(room.name if room else "Sensory room", LocationKind.ROOM, branch, room.id if room else None)
    places = {"branch": branch, "room": sensory_room, "cupboard": _place(CUPBOARD, LocationKind.STORAGE, sensory_room)}
    bought = date(2025, 5, 20)
    for spec in SENSORY_ROOM_EQUIPMENT:
        services.register(Item(
            name=spec.name, category=categories[spec.category], kind=spec.kind, quantity=spec.quantity, cost=spec.cost,
            manufacturer=spec.manufacturer, model=spec.model, supplier="UAB Sensorika", purchase_date=bought,
            location=places[spec.place], condition=Condition.NEW,
        ))
    for number in range(1, DAISY_KITS + 1):
        kit = services.register(Item(name=DAISY_KIT_NAME.format(number=number), category=categories["reading_aids"], kind=ItemKind.KIT, location=branch, purchase_date=bought))
        for index, part in enumerate(DAISY_PARTS):
            services.register(Item(
                name=part.format(number=number), category=categories["reading_aids"], kit_id=kit.id, location=branch, purchase_date=bought,
                cost=PLAYER_COST if index == 0 else ACCESSORY_COST, manufacturer="HumanWare" if index == 0 else "", model="Victor Reader Stream" if index == 0 else "",
                serial=f"VRS-{tenant.slug[:3].upper()}-{number:03d}" if index == 0 else "",
            ))


def load_demo() -> None:
    for slug in DEMO_TENANTS:
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            continue
        with tenant_scope(tenant):
            _load_tenant(tenant)
            db.session.commit()
