"""The stock-take and label pages and the public item page in every language and state have no axe-core WCAG 2.2
A/AA violation, and a member of staff confirms an item on the scan page with the keyboard alone."""
import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.label_printing.models import PublicContact
from bibnet.tenants.inventory.models import Category, Item, Location
from bibnet.tenants.inventory.stocktakes import services

from .conftest import LANGUAGES
from .test_keyboard import Keyboard

pytestmark = pytest.mark.browser

STOCKTAKES = "/t/jelgava/equipment/stocktakes"
LABELS = "/t/jelgava/equipment/labels"


def seed(app, world) -> dict:
    """Jelgava's sensory room with two items and a store with one; one stock-take in progress, one finished."""
    with app.app_context(), tenant_scope(world.jelgava_id):
        ensure_shared_categories()
        category = db.session.scalar(sa.select(Category).where(Category.shared_key == "sensory_equipment"))
        room, store = Location(name="Sensory room"), Location(name="Store")
        db.session.add_all([room, store, PublicContact(phone="+371 630 00000", email="desk@jelgava.example")])
        db.session.flush()
        tube = inventory.register(Item(name="Bubble tube", category=category, location_id=room.id, public_note="Switch it on with the remote on the wall."))
        inventory.register(Item(name="Weighted blanket", category=category, location_id=room.id))
        inventory.register(Item(name="Projector", category=category, location_id=store.id))
        finished = services.start(room, None)
        services.scan(finished, "BN-00001", None)
        services.scan(finished, "BN-00003", None)
        services.finish(finished, db.session.get(Location, room.id).created_at.date())
        open_one = services.start(room, None)
        db.session.commit()
        ids = {"open": open_one.id, "finished": finished.id, "token": tube.public_token, "item": tube.id}
        db.session.remove()
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_stocktake_pages(site, world, browser_app, language):
    ids = seed(browser_app, world)
    site.log_in("coordinator@jelgava.example")
    site.goto(f"{STOCKTAKES}/", 200)
    site.switch_language(language)
    site.scan(language)
    site.goto(f"{STOCKTAKES}/{ids['open']}/", 200)
    site.scan(language, "/stocktakes/<id>/")
    site.page.locator("#code").fill("BN-99999")
    site.submit("#scan-form button[type=submit]", 422)
    site.scan(language, "/stocktakes/<id>/scan with errors")
    site.page.locator("#code").fill("BN-00003")
    site.submit("#scan-form button[type=submit]", 200)
    site.scan(language, "/stocktakes/<id>/ after a misplaced scan")
    site.goto(f"{STOCKTAKES}/{ids['finished']}/result", 200)
    site.scan(language, "/stocktakes/<id>/result")
    site.expect_no_sideways_scrolling()
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_label_pages(site, world, browser_app, language):
    ids = seed(browser_app, world)
    site.log_in("coordinator@jelgava.example")
    site.goto(f"{LABELS}/", 200)
    site.switch_language(language)
    site.scan(language)
    site.page.locator("#start").fill("99")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/labels/sheet.pdf with errors")
    site.goto(f"{LABELS}/?item={ids['item']}", 200)
    site.scan(language, "/labels/?item=<id>")
    site.goto(f"{LABELS}/contact", 200)
    site.scan(language, "/labels/contact")
    site.page.locator("#email").fill("not an address")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/labels/contact with errors")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_item_page(site, world, browser_app, language):
    ids = seed(browser_app, world)
    site.goto(f"/i/{ids['token']}", 200)
    site.switch_language(language)
    site.scan(language, "/i/<token>")
    site.expect_no_sideways_scrolling()
    site.goto("/i/no-such-token", 404)
    site.scan(language, "/i/<unknown token>")
    site.check()


def test_confirm_an_item_on_the_scan_page_with_the_keyboard_only(site, world, browser_app, base_url):
    ids = seed(browser_app, world)
    site.log_in("staff@jelgava.example")
    site.goto(f"{STOCKTAKES}/{ids['open']}/", 200)
    site.switch_language("en")  # the library's own language is Latvian; the texts checked below are English
    keys = Keyboard(site.page)
    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["id"] == "code", "the tag field")
    site.page.keyboard.type("bn-00002")
    with site.page.expect_navigation():
        site.page.keyboard.press("Enter")
    assert "Found: BN-00002 Weighted blanket." in site.page.locator(".flash-messages").inner_text()
    keys.skip_to_main()
    keys.tab_to(lambda focus: "Finish" in focus["name"], "the finish button")
    site.page.keyboard.press("Enter")
    site.page.wait_for_url(f"**/stocktakes/{ids['open']}/result")
    keys.check()
