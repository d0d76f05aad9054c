"""Lending's part of the item page (`page_sections("inventory.item", item)`, a core page section): the item's open
loan and active reservations, and a Lend button when it can be lent. Two queries."""
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.extensions import db
from bibnet.tenants.inventory.models import Item, ItemKind, ItemStatus
from bibnet.tenants.lending import services
from bibnet.tenants.lending.models import Loan, Reservation
from bibnet.web import panels

RESERVATIONS_SHOWN = 10


def item_lending(item: Item) -> dict:
    loan = db.session.scalar(
        sa.select(Loan).where(Loan.item_id == item.id, Loan.returned_on.is_(None)).options(joinedload(Loan.borrower))
    )
    reservations = db.session.scalars(
        sa.select(Reservation).where(Reservation.item_id == item.id, Reservation.closed_at.is_(None), Reservation.ends_on >= services.today())
        .options(joinedload(Reservation.borrower)).order_by(Reservation.starts_on).limit(RESERVATIONS_SHOWN)
    ).all()
    lendable = item.kit_id is None and item.kind is not ItemKind.QUANTITY
    return {
        "item": item, "loan": loan, "reservations": reservations, "today": services.today(),
        "may_lend": lendable and loan is None and item.status in (ItemStatus.AVAILABLE, ItemStatus.RESERVED),
        "may_reserve": lendable and item.status not in (ItemStatus.LOST, ItemStatus.RETIRED),
    }


panels.register_page_section("inventory.item", "lending/_item_section.html", item_lending, "lending.lend", order=30)
