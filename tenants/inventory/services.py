"""Registering items and changing their status: the one way every feature (lending, maintenance, stock-takes,
the register's pages) moves an item from one status to another, so that listeners hear every change."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenants.inventory.categories import attribute_value
from bibnet.tenants.inventory.models import GONE, Category, Condition, Item, ItemKind, ItemStatus, Location
from bibnet.web.fields import parse_whole_number

TAG_PREFIX = "BN"
_status_listeners: list[Callable[[Item, ItemStatus, ItemStatus], None]] = []
_status_checks: list[Callable[[Item, ItemStatus], None]] = []


def check_status_change(check: Callable[[Item, ItemStatus], None]) -> None:
    """Ask `check(item, new)` before every status change; it raises `Refused` to stop one (disposing of a
    funded item before its durability ends, for one), and nothing changes."""
    if check not in _status_checks:
        _status_checks.append(check)


def on_status_change(listener: Callable[[Item, ItemStatus, ItemStatus], None]) -> None:
    """Call `listener(item, old, new)` after every status change, in the changer's transaction."""
    if listener not in _status_listeners:
        _status_listeners.append(listener)


def format_tag(number: int) -> str:
    return f"{TAG_PREFIX}-{number:05d}"


def _next_number() -> int:
    return (db.session.scalar(sa.select(sa.func.max(Item.tag_number))) or 0) + 1


def register(item: Item, attempts: int = 5) -> Item:
    """Add `item` to the register under the tenant's next tag. Two registrations at once may pick the same
    number: the unique constraint refuses the second, which takes the next one."""
    if item.kind is not ItemKind.QUANTITY:
        item.quantity = 1
    for attempt in range(attempts):
        item.tag_number = _next_number()
        item.tag = format_tag(item.tag_number)
        try:
            with db.session.begin_nested():
                db.session.add(item)
                db.session.flush()
            return item
        except IntegrityError:  # the savepoint's rollback has taken `item` out of the session again
            if attempt == attempts - 1:
                raise
    return item


def change_status(item: Item, status: ItemStatus) -> None:
    """Move `item` to `status` if every check allows it, and tell the listeners. A kit's parts move with it (but
    lost or retired ones), and the listeners hear each part too: a part's cleaning after a return is due like any
    item's. The checks are asked about the kit only, which answers for its parts (a kit holding a funded part is
    disposed of with the lead's approval of the kit)."""
    if item.status is status:
        return
    for check in _status_checks:
        check(item, status)
    moved = [item, *(part for part in item.parts if part.status not in GONE and part.status is not status)] if item.kind is ItemKind.KIT else [item]
    olds = [(each, each.status) for each in moved]
    for each in moved:
        each.status = status
    db.session.flush()
    for each, old in olds:
        for listener in _status_listeners:
            listener(each, old, status)


def tag_condition(tag: str | None):
    """The WHERE condition of the item a typed tag names ("BN-00042", "bn-00042", " 42 "), or None when the text
    cannot be a tag: the one reading of a typed tag (pages, API, stock-take scans, home visits)."""
    cleaned = "".join((tag or "").split()).upper()
    if not cleaned or len(cleaned) > 20:
        return None
    if (number := parse_whole_number(cleaned)) is not None:
        return Item.tag_number == number
    return Item.tag == cleaned


def by_tag(tag: str | None) -> Item | None:
    """The current tenant's item under `tag` (see `tag_condition`)."""
    condition = tag_condition(tag)
    return None if condition is None else db.session.scalar(sa.select(Item).where(condition))


# Statuses a person sets by hand on the item's page (or the API); on loan and reserved belong to lending.
MANUAL_STATUSES = (ItemStatus.AVAILABLE, ItemStatus.MAINTENANCE, ItemStatus.CLEANING, ItemStatus.LOST, ItemStatus.RETIRED)
TEXT_LENGTHS = {"name": 200, "serial": 100, "manufacturer": 120, "model": 120, "supplier": 200}
MAX_QUANTITY = 100_000
MAX_COST = Decimal("9999999999.99")


@dataclass
class ItemInput:
    """What a person types about an item, from the form or the API, checked by `save_item` for both."""

    name: str
    category_id: int | None
    kind: ItemKind = ItemKind.SERIALISED
    quantity: int | None = 1
    serial: str = ""
    manufacturer: str = ""
    model: str = ""
    supplier: str = ""
    purchase_date: date | None = None
    cost: Decimal | None = None
    location_id: int | None = None
    condition: Condition = Condition.GOOD
    notes: str = ""
    public_note: str = ""
    attributes: dict = field(default_factory=dict)


def _checked(data: ItemInput, item: Item) -> tuple[Category, dict]:
    errors: dict[str, list] = {}
    for name, length in TEXT_LENGTHS.items():
        if len(getattr(data, name) or "") > length:
            errors[name] = [_l("Use at most %(max)d characters.", max=length)]
    if not (data.name or "").strip():
        errors["name"] = [_l("Enter the item's name.")]
    category = db.session.scalar(sa.select(Category).where(Category.id == data.category_id)) if data.category_id else None
    if category is None or (not category.active and category.id != item.category_id):
        errors["category_id"] = [_l("Choose a category from the list.")]
    if data.location_id is not None and db.session.scalar(sa.select(Location.id).where(Location.id == data.location_id)) is None:
        errors["location_id"] = [_l("Choose a location from the list.")]
    if data.kind is ItemKind.QUANTITY and not (data.quantity is not None and 0 <= data.quantity <= MAX_QUANTITY):
        errors["quantity"] = [_l("Enter how many there are, a whole number from 0 to %(max)d.", max=MAX_QUANTITY)]
    if data.cost is not None and not (0 <= data.cost <= MAX_COST and data.cost == data.cost.quantize(Decimal("0.01"))):
        errors["cost"] = [_l("Enter a cost of 0 or more with at most two decimals.")]
    if item.id is not None and item.kind is ItemKind.KIT and data.kind is not ItemKind.KIT and item.parts:
        errors["kind"] = [_l("Take the parts out of the kit before it becomes another kind of item.")]
    if item.id is not None and item.kit_id is not None and data.kind is ItemKind.KIT:
        errors["kind"] = [_l("A part of a kit cannot be a kit itself.")]
    attributes = {}
    for attribute in category.attribute_fields if category is not None else ():
        try:
            value = attribute_value(attribute, data.attributes.get(attribute["key"]))
        except (ValueError, ArithmeticError):
            errors[f"attributes.{attribute['key']}"] = [_l("Enter a value that fits “%(label)s”.", label=attribute["label"])]
            continue
        if value is not None:
            attributes[attribute["key"]] = value
    if errors:
        raise Refused(errors)
    return category, attributes


def save_item(item: Item, data: ItemInput) -> Item:
    """Check `data` and write it to `item`; a new item is registered under the tenant's next tag. Refused:
    nothing is written."""
    category, attributes = _checked(data, item)
    item.name = data.name.strip()
    item.category = category
    item.kind = data.kind
    item.quantity = data.quantity if data.kind is ItemKind.QUANTITY else 1
    for name in ("serial", "manufacturer", "model", "supplier", "notes", "public_note"):
        setattr(item, name, (getattr(data, name) or "").strip())
    item.purchase_date, item.cost, item.location_id, item.condition = data.purchase_date, data.cost, data.location_id, data.condition
    item.attributes = attributes
    if item.id is None:
        return register(item)
    db.session.flush()
    return item


def add_part(kit: Item, part: Item) -> None:
    """Put `part` into `kit`: a kit takes single items that are in no other kit and are no kits themselves."""
    if kit.kind is not ItemKind.KIT:
        raise Refused({"part": [_l("Only a kit has parts.")]})
    if part.id == kit.id or part.kind is ItemKind.KIT:
        raise Refused({"part": [_l("A kit cannot be a part of a kit.")]})
    if part.kit_id is not None:
        raise Refused({"part": [_l("%(tag)s is a part of another kit already.", tag=part.tag)]})
    part.kit_id = kit.id
    db.session.flush()


def remove_part(kit: Item, part: Item) -> None:
    if part.kit_id != kit.id:
        raise Refused({"part": [_l("%(tag)s is no part of this kit.", tag=part.tag)]})
    part.kit_id = None
    db.session.flush()


def change_status_by_hand(item: Item, status: ItemStatus) -> None:
    """A person's move of an item: only to the manual statuses, and not while the item is on loan or reserved
    (lending ends those); the status checks may refuse it too."""
    if status not in MANUAL_STATUSES:
        raise Refused({"status": [_l("Choose a status from the list.")]})
    if item.status in (ItemStatus.ON_LOAN, ItemStatus.RESERVED) and status is not item.status:
        raise Refused({"status": [_l("The item is on loan or reserved: end that in lending first.")]})
    if item.kit_id is not None:
        raise Refused({"status": [_l("A part moves with its kit: change the kit's status.")]})
    change_status(item, status)
