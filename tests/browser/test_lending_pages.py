"""The lending pages in en, lv and lt have no axe-core WCAG 2.2 A/AA violation: the loans (open, overdue, idle, to
check), lending with its errors, a loan, the return desk, the check of a kit, borrowers, a borrower and the
borrower form with errors, and reservations. And a kit is lent and taken back through cleaning and its check with
the keyboard only."""
from datetime import timedelta
import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.models import Category, Item, ItemKind, ItemStatus
from bibnet.tenants.lending import services
from bibnet.tenants.lending.models import BorrowerKind, Loan

from .conftest import LANGUAGES
from .test_keyboard import Keyboard

pytestmark = pytest.mark.browser
LENDING = "/t/jelgava/lending"


def _item(category, name, **fields):
    return inventory.register(Item(name=name, category=category, **fields))


@pytest.fixture
def lending(browser_app, world) -> dict:
    """In Jelgava: a DAISY kit of four parts, a magnifier lent and overdue, a returned player waiting for its check,
    a person and a care home, a reservation."""
    with browser_app.app_context():
        with tenant_scope(world.jelgava_id):
            ensure_shared_categories()
            category = db.session.scalar(sa.select(Category).where(Category.shared_key == "reading_aids"))
            kit = _item(category, "DAISY lending kit 1", kind=ItemKind.KIT)
            for part in ("DAISY player", "Charger", "Headphones", "Manual"):
                _item(category, part, kit_id=kit.id)
            magnifier, player = _item(category, "Magnifier"), _item(category, "DAISY player 2")
            person = services.save_borrower(services.BorrowerInput(name="Anna Bērziņa", phone="+371 2000 1111", address="Lielā iela 5", consent_on=services.today()))
            services.save_borrower(services.BorrowerInput(name="Jelgavas pansionāts", kind=BorrowerKind.INSTITUTION, contact_person="Inga Kalniņa", phone="+371 6300 0000", consent_on=services.today()))
            lender = SimpleNamespace(id=world.staff_user_id)  # the services read the lender's id only
            overdue = services.lend(services.LoanInput(item_id=magnifier.id, borrower_id=person.id, due_on=services.today() + timedelta(days=1), target_group=TargetGroup.VISUAL, acceptance_signed_on=services.today()), by=lender)
            overdue.lent_on, overdue.due_on = services.today() - timedelta(days=40), services.today() - timedelta(days=3)
            returned = services.lend(services.LoanInput(item_id=player.id, borrower_id=person.id, due_on=services.today() + timedelta(days=5), target_group=TargetGroup.SENIORS, acceptance_signed_on=services.today()), by=lender)
            services.return_loan(returned)
            services.reserve(services.ReservationInput(item_id=magnifier.id, starts_on=services.today() + timedelta(days=30), ends_on=services.today() + timedelta(days=32), purpose="Sensory session"), by=lender)
            db.session.commit()
            ids = {"kit": kit.id, "kit_tag": kit.tag, "person": person.id, "overdue": overdue.id, "returned": returned.id}
        db.session.remove()
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_lending_pages(site, lending, language):
    site.log_in("staff@jelgava.example")
    site.switch_language(language)
    for show in ("open", "overdue", "idle", "check"):
        site.goto(f"{LENDING}/?show={show}", 200)
        site.scan(language, f"the loans: {show}")
    site.goto(f"{LENDING}/loans/{lending['overdue']}", 200)
    site.scan(language, "an overdue loan")
    site.goto(f"{LENDING}/lend", 200)
    site.scan(language, "the lending form")
    site.page.locator("#tag").fill("BN-99999")
    site.submit("#lend-submit", 422)
    site.scan(language, "the lending form with errors")
    site.goto(f"{LENDING}/return", 200)
    site.scan(language, "the return desk")
    site.goto(f"{LENDING}/loans/{lending['returned']}/check", 200)
    site.scan(language, "the check after cleaning")
    site.goto(f"{LENDING}/borrowers/", 200)
    site.scan(language, "the borrowers")
    site.goto(f"{LENDING}/borrowers/{lending['person']}", 200)
    site.scan(language, "a borrower")
    site.goto(f"{LENDING}/borrowers/new", 200)
    site.page.locator("#consent_on").fill("")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "the borrower form with errors")
    site.goto(f"{LENDING}/reservations/", 200)
    site.scan(language, "the reservations")
    site.check()


def test_lend_a_kit_and_take_it_back_with_the_keyboard_only(page, base_url, browser_app, world, lending):
    """From the library's menu: lend the DAISY kit to Anna, then take it back at the return desk and check it."""
    page.set_default_timeout(10_000)
    keys = Keyboard(page)
    keys.log_in("staff@jelgava.example", base_url)
    page.goto(f"{base_url}/t/jelgava/")
    keys.tab_to(lambda focus: focus["inNav"] and focus["href"].endswith("/t/jelgava/lending/"), "The Lending link of the library menu")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/t/jelgava/lending/$"))
    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["href"].endswith("/lending/lend"), "The Lend link")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/lending/lend$"))

    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["id"] == "tag", "The tag")
    page.keyboard.type(lending["kit_tag"])
    assert keys.press("Tab")["id"] == "borrower"
    page.keyboard.press("ArrowDown")  # the first borrower by name: Anna Bērziņa
    keys.tab_to(lambda focus: focus["id"] == "acceptance_on_paper", "The signed-on-paper box")
    page.keyboard.press("Space")
    keys.tab_to(lambda focus: focus["id"] == "lend-submit", "The Lend button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/lending/loans/\d+(#main)?$"))
    assert "Anna Bērziņa" in page.locator("main").inner_text()

    keys.tab_to(lambda focus: focus["href"].endswith("/lending/return"), "The Return link")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/lending/return$"))
    keys.tab_to(lambda focus: focus["id"] == "tag", "The tag")
    page.keyboard.type(lending["kit_tag"].lower())
    page.keyboard.press("Enter")  # sends the form, as Enter in a text field does
    page.wait_for_url(re.compile(r".*/lending/loans/\d+/check(#main)?$"))

    keys.tab_to(lambda focus: focus["id"] == "check-submit", "The Checked button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/lending/\?show=check(#main)?$"))
    keys.check()
    with browser_app.app_context():
        with tenant_scope(world.jelgava_id):
            assert db.session.scalar(sa.select(Item.status).where(Item.id == lending["kit"])) is ItemStatus.AVAILABLE
            assert db.session.scalar(sa.select(Loan.checked_on).where(Loan.item_id == lending["kit"])) is not None
        db.session.remove()
