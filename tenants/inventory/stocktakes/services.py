"""Starting a stock-take, confirming items by a scan of their label (or their typed tag), and finishing it.

A scan is one indexed look-up of the item (by tag, or by the public token its QR code holds) and one of its
entry in the stock-take, so that it answers at once on a phone in a store room.
"""
from dataclasses import dataclass
from datetime import date
import enum
import re

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.models import GONE, Item, Location
from bibnet.tenants.inventory.stocktakes.models import StockTake, StockTakeEntry

UNKNOWN_CODE = _l("No item of this library has this tag or label. Check the tag printed under the QR code and type it, for example BN-00042.")
ALREADY_FINISHED = _l("This stock-take is finished: start a new one to check the location again.")
# The QR code holds the item's public address, …/i/<public_token>; tokens are URL-safe base64.
_TOKEN_URL = re.compile(r"/i/([A-Za-z0-9_-]{8,24})/?(?:[?#].*)?$")


class ScanOutcome(enum.StrEnum):
    FOUND = "found"  # expected here and now confirmed
    MISPLACED = "misplaced"  # confirmed here, but registered at another location
    AGAIN = "again"  # confirmed before: nothing changes


@dataclass(frozen=True)
class Scan:
    item: Item
    outcome: ScanOutcome


def locations_under(location: Location) -> list[int]:
    """The ids of `location` and every location below it, from one read of the tenant's (small) tree."""
    children: dict[int | None, list[int]] = {}
    for location_id, parent_id in db.session.execute(sa.select(Location.id, Location.parent_id)):
        children.setdefault(parent_id, []).append(location_id)
    found, waiting = [], [location.id]
    while waiting:
        current = waiting.pop()
        found.append(current)
        waiting.extend(children.get(current, ()))
    return found


def start(location: Location, user) -> StockTake:
    """A stock-take of `location` and the locations under it, expecting what is located there now (lost and
    retired items are not looked for)."""
    stocktake = StockTake(location_id=location.id, started_by_id=getattr(user, "id", None))
    db.session.add(stocktake)
    db.session.flush()
    expected = db.session.scalars(
        sa.select(Item.id).where(Item.location_id.in_(locations_under(location)), Item.status.not_in(GONE)).order_by(Item.id)
    ).all()
    if expected:
        db.session.execute(sa.insert(StockTakeEntry), [{"stocktake_id": stocktake.id, "item_id": item_id, "expected": True} for item_id in expected])
    stocktake.expected_count = len(expected)
    db.session.flush()
    return stocktake


def scanned_item_condition(code: str):
    """Which item a scanned QR code (its public address) or a typed tag names, as a WHERE condition, or None
    when `code` cannot name one. A tag is read as `inventory.services.by_tag` reads it (any case, spaces, the
    number alone); another library's token finds nothing, as the tenant guard reads this tenant's items only."""
    code = (code or "").strip()
    if match := _TOKEN_URL.search(code):
        return Item.public_token == match.group(1)
    return inventory.tag_condition(code)


def scan(stocktake: StockTake, code: str, user, photo=None) -> Scan:
    """Confirm the item `code` names in `stocktake`, with an optional photo (a stored file). Scanning it again
    changes nothing but a photo added then; an unknown code or a finished stock-take is refused. Two statements:
    the item with its entry (by unique indexes), then the entry's insert or update."""
    if stocktake.finished:
        raise Refused({"code": [ALREADY_FINISHED]}, status=409)
    condition = scanned_item_condition(code)
    row = None if condition is None else db.session.execute(
        sa.select(Item, StockTakeEntry)
        .outerjoin(StockTakeEntry, sa.and_(StockTakeEntry.item_id == Item.id, StockTakeEntry.stocktake_id == stocktake.id))
        .where(condition)
    ).first()
    if row is None:
        raise Refused({"code": [UNKNOWN_CODE]})
    item, entry = row
    if entry is None:
        entry = _unexpected_entry(stocktake, item)
    if photo is not None:
        entry.photo_id = photo.id
    if entry.found_at is not None:
        db.session.flush()
        return Scan(item, ScanOutcome.AGAIN)
    entry.found_at = utcnow()
    entry.found_by_id = getattr(user, "id", None)
    db.session.flush()
    return Scan(item, ScanOutcome.FOUND if entry.expected else ScanOutcome.MISPLACED)


def _unexpected_entry(stocktake: StockTake, item: Item) -> StockTakeEntry:
    """The entry of an item the stock-take did not expect. Two phones scanning it at once both try to add it: the
    unique constraint keeps one, and the other reads that one (its scan then counts as a second scan)."""
    try:
        with db.session.begin_nested():
            entry = StockTakeEntry(stocktake_id=stocktake.id, item_id=item.id, expected=False)
            db.session.add(entry)
            db.session.flush()
        return entry
    except IntegrityError:
        return db.session.scalar(sa.select(StockTakeEntry).where(StockTakeEntry.stocktake_id == stocktake.id, StockTakeEntry.item_id == item.id))


@dataclass
class Result:
    found: list[StockTakeEntry]
    missing: list[StockTakeEntry]
    misplaced: list[StockTakeEntry]


def result(stocktake: StockTake) -> Result:
    """The stock-take's entries sorted into found, missing (expected, not scanned) and misplaced (scanned, but
    registered elsewhere when it started), in one query."""
    entries = db.session.scalars(
        sa.select(StockTakeEntry).join(Item, Item.id == StockTakeEntry.item_id).where(StockTakeEntry.stocktake_id == stocktake.id)
        .options(joinedload(StockTakeEntry.item).joinedload(Item.location), joinedload(StockTakeEntry.item).joinedload(Item.category))
        .order_by(Item.tag_number)
    ).all()
    return Result(
        found=[entry for entry in entries if entry.expected and entry.found_at is not None],
        missing=[entry for entry in entries if entry.expected and entry.found_at is None],
        misplaced=[entry for entry in entries if not entry.expected and entry.found_at is not None],
    )


def finish(stocktake: StockTake, today: date) -> None:
    """Close the stock-take and stamp every item it found (misplaced ones too: they were seen) as checked
    `today`, each change in the item's history."""
    if stocktake.finished:
        raise Refused({"stocktake": [ALREADY_FINISHED]}, status=409)
    stocktake.finished_at = utcnow()
    found = db.session.scalars(
        sa.select(Item).join(StockTakeEntry, StockTakeEntry.item_id == Item.id)
        .where(StockTakeEntry.stocktake_id == stocktake.id, StockTakeEntry.found_at.is_not(None))
    ).all()
    for item in found:
        item.last_stocktake_on = today
    db.session.flush()


def move_here(stocktake: StockTake, item_ids: list[int]) -> int:
    """Register the misplaced items among `item_ids` at the stock-take's location; returns how many moved."""
    items = db.session.scalars(
        sa.select(Item).join(StockTakeEntry, StockTakeEntry.item_id == Item.id).where(
            StockTakeEntry.stocktake_id == stocktake.id, StockTakeEntry.expected.is_(False),
            StockTakeEntry.found_at.is_not(None), Item.id.in_(item_ids),
        )
    ).all()
    for item in items:
        item.location_id = stocktake.location_id
    db.session.flush()
    return len(items)
