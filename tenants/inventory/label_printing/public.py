"""The public page an item's label opens, `/i/<public_token>`, to anyone without logging in: what the item is,
how to use it, whom to call (the library and its public contact) and, on funded items, the EU co-funding line.
Nothing personal, no loan or status, nothing of another library: the token is random, so nobody walks the
register by guessing, and the page is rate-limited like `/verify`."""
from dataclasses import dataclass

from flask import Blueprint, abort, render_template
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import public
from bibnet.extensions import db, limiter
from bibnet.tenancy.context import all_tenants
from bibnet.tenancy.models import Tenant
from bibnet.tenants.inventory.categories import label_of
from bibnet.tenants.inventory.label_printing.models import PublicContact
from bibnet.tenants.inventory.models import Item

bp = Blueprint("items_public", __name__, url_prefix="/i", template_folder="templates")

# As the certificates' /verify: enough for people scanning labels, too few to guess tokens.
PUBLIC_ITEM_RATE_LIMIT = "30 per minute"
TOKEN_LENGTH = 24


@dataclass(frozen=True)
class PublicItem:
    """What the public page shows: copied out of the rows, so the template can reach nothing else."""

    name: str
    category: str
    note: str
    funded: bool
    library: str
    phone: str
    email: str
    hours: str


def public_item(token: str) -> PublicItem | None:
    if len(token) > TOKEN_LENGTH:
        return None
    with all_tenants("the public page of an item, opened from its label's QR code"):
        item = db.session.scalar(sa.select(Item).where(Item.public_token == token).options(joinedload(Item.category)))
        if item is None:
            return None
        library = db.session.get(Tenant, item.tenant_id)
        contact = db.session.scalar(sa.select(PublicContact).where(PublicContact.tenant_id == item.tenant_id))
        return PublicItem(
            name=item.name, category=label_of(item.category), note=item.public_note, funded=item.expenditure_id is not None,
            library=library.name, phone=contact.phone if contact else "", email=contact.email if contact else "", hours=contact.hours if contact else "",
        )


@bp.route("/<public_token>")
@public
@limiter.limit(PUBLIC_ITEM_RATE_LIMIT)
def show(public_token):
    item = public_item(public_token)
    if item is None:
        abort(404)
    return render_template("inventory/labels/public_item.html", item=item)
