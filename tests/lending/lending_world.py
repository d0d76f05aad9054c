"""Borrowers and loans for the lending tests."""
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.models import Category, Item, ItemKind
from bibnet.tenants.lending import services
from bibnet.tenants.lending.models import BorrowerKind, Channel, Delivery


def make_item(name: str = "Magnifier", **fields) -> Item:
    """Register an item in the current tenant, in the shared category of reading aids."""
    ensure_shared_categories()
    category = db.session.scalar(sa.select(Category).where(Category.shared_key == "reading_aids"))
    return inventory.register(Item(name=name, category=category, **fields))


def make_kit(name: str = "DAISY lending kit", parts=("DAISY player", "Charger", "Headphones", "Manual")) -> Item:
    kit = make_item(name, kind=ItemKind.KIT)
    for part in parts:
        make_item(part, kit_id=kit.id)
    db.session.flush()
    db.session.refresh(kit)
    return kit


def make_borrower(name: str = "Anna Bērziņa", **fields):
    fields.setdefault("phone", "+371 2000 1111")
    fields.setdefault("consent_on", date.today() - timedelta(days=3))
    return services.save_borrower(services.BorrowerInput(name=name, **fields))


def make_care_home():
    return make_borrower("Jelgavas pansionāts", kind=BorrowerKind.INSTITUTION, contact_person="Inga Kalniņa", preferred_channel=Channel.PHONE)


def lend(item, borrower, user, days: int = 28, **fields):
    fields.setdefault("target_group", TargetGroup.VISUAL)
    fields.setdefault("acceptance_signed_on", services.today())
    fields.setdefault("delivery", Delivery.DESK)
    return services.lend(services.LoanInput(item_id=item.id, borrower_id=borrower.id, due_on=services.today() + timedelta(days=days), **fields), by=user)


@contextmanager
def refused_saying(text: str, status: int | None = None):
    """The block is refused with a message containing `text` (and the given status)."""
    with pytest.raises(Refused) as caught:
        yield caught
    assert text in caught.value.summary(), caught.value.summary()
    if status is not None:
        assert caught.value.status == status
