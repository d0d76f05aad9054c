"""Borrowers and loans for the lending tests."""
from contextlib import contextmanager
from datetime import date, timedelta

from inventory_items import make_item, make_kit  # noqa: F401  (the lending tests' items)
import pytest

from bibnet.refusals import Refused
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.lending import services
from bibnet.tenants.lending.models import BorrowerKind, Channel, Delivery


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
