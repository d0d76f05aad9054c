"""Demo: Pasvalys' sensory-room equipment with texts for the public pages of their labels, and one finished
stock-take of the sensory room. The register's own demo may have created the room's location and items; what is
missing here is created, so running the demo again adds nothing twice."""
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.label_printing.models import PublicContact
from bibnet.tenants.inventory.models import Category, Item, Location, LocationKind
from bibnet.tenants.inventory.stocktakes import services
from bibnet.tenants.inventory.stocktakes.models import StockTake

SENSORY_ROOM = "Sensory room"
# name, shared category, how to use it (shown on the public page its label opens)
EQUIPMENT = (
    ("Bubble tube", "sensory_equipment", "Switch it on with the remote on the wall. Touch the tube gently; do not climb on it."),
    ("Fibre-optic lights", "sensory_equipment", "Hold and stroke the strands; they stay cool. Do not pull or tie them."),
    ("Weighted blanket", "sensory_equipment", "Lay it over the legs or shoulders, never over the head. Ask the staff for the right weight."),
)


def load_demo() -> None:
    pasvalys = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "pasvalys"))
    if pasvalys is None:
        return
    with tenant_scope(pasvalys):
        _load()
        db.session.commit()


def _sensory_room() -> Location:
    """The location of the bookings' sensory room (the register's demo links it), else one of that name."""
    location = db.session.scalar(
        sa.select(Location).where(sa.or_(Location.room_id.is_not(None), Location.name == SENSORY_ROOM)).order_by(Location.room_id.is_(None), Location.id).limit(1)
    )
    if location is None:
        location = Location(name=SENSORY_ROOM, kind=LocationKind.ROOM)
        db.session.add(location)
        db.session.flush()
    return location


def _load() -> None:
    ensure_shared_categories()
    if db.session.scalar(sa.select(PublicContact)) is None:
        db.session.add(PublicContact(phone="+370 451 00000", email="biblioteka@pasvalys.example", hours="I–V 9:00–18:00"))
    room = _sensory_room()
    categories = {category.shared_key: category for category in db.session.scalars(sa.select(Category).where(Category.shared_key.is_not(None)))}
    for name, key, note in EQUIPMENT:
        # The register's demo numbers some of them ("Weighted blanket 1"): every one of that name gets the note.
        items = list(db.session.scalars(sa.select(Item).where(sa.or_(Item.name == name, Item.name.like(f"{name} %")))))
        if not items:
            items = [inventory.register(Item(name=name, category=categories[key], location_id=room.id, cost=Decimal("450.00")))]
        for item in items:
            item.public_note = item.public_note or note
    db.session.flush()
    if db.session.scalar(sa.select(StockTake.id).where(StockTake.location_id == room.id).limit(1)) is None:
        stocktake = services.start(room, None)
        stocktake.started_at -= timedelta(days=3)
        for item in db.session.scalars(sa.select(Item).where(Item.location_id == room.id).order_by(Item.tag_number)):
            services.scan(stocktake, item.tag, None)
        services.finish(stocktake, db.session.get(Tenant, room.tenant_id).today())
