"""The equipment register's pages in every language and state (filled, with errors) have no axe-core WCAG 2.2
A/AA violation: the item list, an item's page (a kit with its parts and history), the item form, categories and
locations, and the room page's equipment section."""
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory import services
from bibnet.tenants.inventory.categories import ensure_shared_categories, save_category
from bibnet.tenants.inventory.locations import save_location
from bibnet.tenants.inventory.models import Category, Item, ItemKind, ItemStatus, Location, LocationKind

from .conftest import LANGUAGES
from .test_room_pages import seed_room

pytestmark = pytest.mark.browser

EQUIPMENT = "/t/jelgava/equipment"


def seed_equipment(app, world, room_id: int) -> dict:
    """A branch › sensory room (the bookings' room) › cupboard, a DAISY kit, a projector in maintenance, board games."""
    with app.app_context(), tenant_scope(world.jelgava_id):
        ensure_shared_categories()
        aids = db.session.scalar(sa.select(Category).where(Category.shared_key == "reading_aids"))
        tablets = save_category(Category(), name="Tablets", attribute_fields=[{"key": "screen", "label": "Screen size", "kind": "number"}, {"key": "charged", "label": "Charged", "kind": "yesno"}, {"key": "checked_on", "label": "Checked on", "kind": "date"}])
        branch = save_location(Location(), name="Jelgava central library", kind=LocationKind.BRANCH, parent_id=None, room_id=None)
        room = save_location(Location(), name="Sensory room", kind=LocationKind.ROOM, parent_id=branch.id, room_id=room_id)
        cupboard = save_location(Location(), name="Cupboard", kind=LocationKind.STORAGE, parent_id=room.id, room_id=None)
        kit = services.register(Item(name="DAISY lending kit 1", category=aids, kind=ItemKind.KIT, location_id=branch.id))
        for part in ("DAISY player 1", "Charger of DAISY player 1"):
            services.register(Item(name=part, category=aids, kit_id=kit.id, location_id=branch.id, cost=Decimal("289.00")))
        projector = services.register(Item(name="Projector", category=aids, location_id=room.id, cost=Decimal("649.00")))
        services.change_status(projector, ItemStatus.MAINTENANCE)
        services.register(Item(name="Board games", category=aids, kind=ItemKind.QUANTITY, quantity=12, location_id=cupboard.id))
        tablet = services.register(Item(name="Tablet", category=tablets, attributes={"screen": "10.5", "charged": True}))
        db.session.commit()
        ids = {"kit": kit.id, "tablet": tablet.id, "tablets": tablets.id, "room": room.id}
        db.session.remove()
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_equipment_pages(site, world, browser_app, language):
    room_id = seed_room(browser_app, world)
    ids = seed_equipment(browser_app, world, room_id)
    site.log_in("coordinator@jelgava.example")
    site.goto(f"{EQUIPMENT}/", 200)
    site.switch_language(language)
    site.scan(language)
    site.goto(f"{EQUIPMENT}/?status=maintenance&q=proj", 200)
    site.scan(language, "/equipment/ filtered")
    site.goto(f"{EQUIPMENT}/{ids['kit']}/", 200)
    site.scan(language, "/equipment/<kit>/")
    site.page.locator("#part").fill("BN-09999")
    site.submit("form[action$='/parts'] button[type=submit]", 422)
    site.scan(language, "/equipment/<kit>/ with errors")
    site.goto(f"{EQUIPMENT}/{ids['tablet']}/", 200)
    site.scan(language, "/equipment/<tablet>/")
    site.expect_no_sideways_scrolling()

    site.goto(f"{EQUIPMENT}/new", 200)
    site.scan(language)
    site.page.locator("#cost").fill("12,345")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/equipment/new with errors")
    site.goto(f"{EQUIPMENT}/{ids['tablet']}/edit", 200)
    site.scan(language, "/equipment/<tablet>/edit")

    site.goto(f"{EQUIPMENT}/categories/", 200)
    site.scan(language)
    site.goto(f"{EQUIPMENT}/categories/{ids['tablets']}/edit", 200)
    site.scan(language, "/equipment/categories/<id>/edit")
    site.page.locator("#attribute_fields_0_key").fill("Bad key!")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/equipment/categories/<id>/edit with errors")
    site.goto(f"{EQUIPMENT}/locations/", 200)
    site.scan(language)
    site.goto(f"{EQUIPMENT}/locations/new", 200)
    site.scan(language)
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/equipment/locations/new with errors")
    site.goto(f"{EQUIPMENT}/locations/{ids['room']}/edit", 200)
    site.scan(language, "/equipment/locations/<id>/edit")

    site.goto(f"/t/jelgava/rooms/{room_id}/", 200)
    site.scan(language, "/rooms/<id>/ with its equipment")
    site.check()
