"""Registering items and changing their status: the one way every feature (lending, maintenance, stock-takes,
the register's pages) moves an item from one status to another, so that listeners hear every change."""
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bibnet.extensions import db
from bibnet.tenants.inventory.models import Item, ItemKind, ItemStatus

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
    """Move `item` (and a kit's parts with it) to `status` if every check allows it, and tell the listeners."""
    old = item.status
    if old is status:
        return
    for check in _status_checks:
        check(item, status)
    item.status = status
    if item.kind is ItemKind.KIT:
        for part in item.parts:
            if part.status not in (ItemStatus.LOST, ItemStatus.RETIRED):
                part.status = status
    db.session.flush()
    for listener in _status_listeners:
        listener(item, old, status)


def by_tag(tag: str) -> Item | None:
    """The current tenant's item under `tag`, typed in any case and with or without the prefix's hyphen."""
    cleaned = "".join(tag.split()).upper()
    if cleaned.isdigit():
        return db.session.scalar(sa.select(Item).where(Item.tag_number == int(cleaned)))
    return db.session.scalar(sa.select(Item).where(Item.tag == cleaned))
