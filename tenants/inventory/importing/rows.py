"""Importing equipment into the register from a CSV or XLSX file: all rows or none, each bad row named.

The machinery is the core's (`bibnet.imports`), shared with the expenditure import; here are the register's
fields, how a cell names a category (the tenant's own by its name, a shared one by its label in any of the
interface's languages or its key), a location (by its path "Branch › Room" or, when it is unique, its
name), a kind and a condition, and the checks of a row. Every saved item gets its tag from
`services.register`, in the file's order.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
import re

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.imports import rows as import_rows
from bibnet.imports.rows import BAD_AMOUNT, BAD_DATE, Preview, RowProblem, parse_amount, parse_date, spelling_parser
from bibnet.names import folded
from bibnet.refusals import Refused
from bibnet.tenants.inventory import services
from bibnet.tenants.inventory.categories import SHARED, ensure_shared_categories
from bibnet.tenants.inventory.importing.models import ItemImportSettings
from bibnet.tenants.inventory.models import Category, Condition, Item, ItemKind, Location

# The fields a file can fill, in the order of the mapping form; the first two are required.
REQUIRED = ("name", "category")
OPTIONAL = ("kind", "quantity", "serial", "manufacturer", "model", "supplier", "purchase_date", "cost", "location", "condition", "notes")
FIELDS = REQUIRED + OPTIONAL

FIELD_LABELS = {
    "name": _l("Name"),
    "category": _l("Category"),
    "kind": _l("Kind"),
    "quantity": _l("Quantity"),
    "serial": _l("Serial number"),
    "manufacturer": _l("Manufacturer"),
    "model": _l("Model"),
    "supplier": _l("Supplier"),
    "purchase_date": _l("Purchase date"),
    "cost": _l("Cost in EUR"),
    "location": _l("Location"),
    "condition": _l("Condition"),
    "notes": _l("Notes"),
}
# The kinds a row may have; a kit is put together from its parts in the register, not imported.
KIND_LABELS = {ItemKind.SERIALISED: _l("Serialised asset"), ItemKind.QUANTITY: _l("Quantity item")}
CONDITION_LABELS = {
    Condition.NEW: _l("New"),
    Condition.GOOD: _l("Good"),
    Condition.FAIR: _l("Fair"),
    Condition.POOR: _l("Poor"),
    Condition.BROKEN: _l("Broken"),
}
PATH_SEPARATOR = " › "


def _in_every_language(labels: dict) -> dict[str, object]:
    """Each value's code and its label in each of the interface's languages, folded; a spelling two values
    share would be a guess, so it names neither."""
    values_of: dict[str, set] = {}
    for value, label in labels.items():
        spellings = {str(value)}
        for locale in current_app.config["LOCALES"]:
            with force_locale(locale):
                spellings.add(str(label))
        for spelling in spellings:
            values_of.setdefault(folded(spelling), set()).add(value)
    return {spelling: values.pop() for spelling, values in values_of.items() if len(values) == 1}


def category_spellings() -> dict[str, int]:
    """Every way a cell may name one of the tenant's active categories, and its id: its name, and for a
    shared category its key and its label in each language."""
    ensure_shared_categories()
    categories = db.session.scalars(sa.select(Category).where(Category.active)).all()
    ids_of: dict[str, set[int]] = {}
    for category in categories:
        labels = {category.name}
        if category.shared_key in SHARED:
            labels.add(category.shared_key)
            for locale in current_app.config["LOCALES"]:
                with force_locale(locale):
                    labels.add(str(SHARED[category.shared_key]))
        for label in labels:
            ids_of.setdefault(folded(label), set()).add(category.id)
    return {spelling: ids.pop() for spelling, ids in ids_of.items() if len(ids) == 1}


def _folded_path(text: str) -> str:
    """A location path as typed, with ›, > or / between the parts, folded."""
    return " › ".join(folded(part) for part in re.split(r"[›>/]", text) if part.strip())


def location_spellings() -> dict[str, int]:
    """Every way a cell may name one of the tenant's active locations, and its id: its whole path from the
    branch ("Jelgava › Sensory room"), and its name alone when no other location has it."""
    locations = db.session.execute(sa.select(Location.id, Location.parent_id, Location.name, Location.active)).all()
    by_id = {row.id: row for row in locations}

    def path(row) -> str:
        parts, seen = [], set()
        while row is not None and row.id not in seen:  # a loop in the tree would be a bug; it ends the walk
            seen.add(row.id)
            parts.append(row.name)
            row = by_id.get(row.parent_id)
        return PATH_SEPARATOR.join(reversed(parts))

    spellings: dict[str, int] = {}
    names: dict[str, set[int]] = {}
    for row in locations:
        if row.active:
            spellings[_folded_path(path(row))] = row.id
            names.setdefault(folded(row.name), set()).add(row.id)
    for name, ids in names.items():
        if len(ids) == 1:
            spellings.setdefault(name, ids.pop())
    return spellings


def _location_parser(spellings: dict[str, int]) -> Callable[[object], int]:
    def location_id(value) -> int:
        try:
            return spellings[_folded_path(str(value))]
        except KeyError:
            raise ValueError(value) from None

    return location_id


def _quantity(value) -> int:
    number = parse_amount(value)
    if number != number.to_integral_value() or number < 1:
        raise ValueError(value)
    return int(number)


PARSERS: dict[str, tuple[Callable, object]] = {
    "quantity": (_quantity, _l("Enter the number of units as a whole number, like 12.")),
    "purchase_date": (parse_date, BAD_DATE),
    "cost": (parse_amount, BAD_AMOUNT),
}
BAD_CATEGORY = _l("No category of this library has this name. Enter the name of one of your categories, or a shared category's name in English, Latvian or Lithuanian.")
BAD_LOCATION = _l("No location has this name or path. Enter its path, like “Main library › Sensory room”, or a name only one location has.")
BAD_KIND = _l("Enter the kind: a serialised asset or a quantity item (serialised or quantity).")
BAD_CONDITION = _l("Enter the condition: new, good, fair, poor or broken.")


@dataclass
class ItemRow:
    """A good row: the fields of the item it becomes."""

    name: str
    category_id: int
    kind: ItemKind = ItemKind.SERIALISED
    quantity: int = 1
    serial: str = ""
    manufacturer: str = ""
    model: str = ""
    supplier: str = ""
    purchase_date: date | None = None
    cost: Decimal | None = None
    location_id: int | None = None
    condition: Condition = Condition.GOOD
    notes: str = ""


def check_mapping(mapping: dict[str, str], header: list[str]) -> dict[str, list]:
    return import_rows.check_mapping(mapping, header, FIELDS, REQUIRED)


def check_rows(header: list[str], rows: list[list], mapping: dict[str, str], today: date, progress: Callable[[int], None] | None = None) -> Preview:
    """Check every row as a typed item would be checked, with a few queries whatever the number of rows;
    nothing is written. Problems name the file's column headers."""
    mapping_errors = check_mapping(mapping, header)
    if mapping_errors:
        raise Refused(mapping_errors)
    result = Preview(header)
    position = import_rows.column_positions(mapping, header)
    parsers = {
        **PARSERS,
        "category": (spelling_parser(category_spellings()), BAD_CATEGORY),
        "location": (_location_parser(location_spellings()), BAD_LOCATION),
        "kind": (spelling_parser(_in_every_language(KIND_LABELS)), BAD_KIND),
        "condition": (spelling_parser(_in_every_language(CONDITION_LABELS)), BAD_CONDITION),
    }
    registered_serials = {folded(serial) for serial in db.session.scalars(sa.select(Item.serial).where(Item.serial != ""))}
    serial_rows: dict[str, int] = {}

    def column(name: str) -> str:
        return mapping.get(name) or str(FIELD_LABELS[name])

    def row_problems(number: int, row: list) -> list[RowProblem]:
        values, problems = import_rows.read_cells(number, row, position, mapping, parsers, ("category",))
        if not values.get("name") and not any(problem.column == mapping["name"] for problem in problems):
            problems.append(RowProblem(number, mapping["name"], import_rows.EMPTY_CELL))
        for name, limit in services.TEXT_LENGTHS.items():
            if len(values.get(name) or "") > limit:
                problems.append(RowProblem(number, column(name), _l("Enter at most %(max)d characters.", max=limit)))
        cost = values.get("cost")
        if cost is not None and not (0 <= cost <= services.MAX_COST and cost == cost.quantize(Decimal("0.01"))):
            problems.append(RowProblem(number, column("cost"), _l("Enter a cost of 0 or more with at most two decimals, like 289.00.")))
        if values.get("purchase_date") and values["purchase_date"] > today:
            problems.append(RowProblem(number, column("purchase_date"), _l("The purchase date is in the future.")))
        kind = values.get("kind") or ItemKind.SERIALISED
        if not 0 <= (values.get("quantity") or 0) <= services.MAX_QUANTITY:
            problems.append(RowProblem(number, column("quantity"), _l("Enter how many there are, a whole number from 0 to %(max)d.", max=services.MAX_QUANTITY)))
        if kind is not ItemKind.QUANTITY and (values.get("quantity") or 1) > 1:
            problems.append(RowProblem(number, column("quantity"), _l("A serialised asset is one unit: give a quantity only to a quantity item.")))
        serial = folded(values.get("serial") or "")
        if serial and serial in serial_rows:
            problems.append(RowProblem(number, column("serial"), _l("The same serial number is on row %(row)d too.", row=serial_rows[serial])))
        elif serial and serial in registered_serials:
            problems.append(RowProblem(number, column("serial"), _l("An item with this serial number is in the register already.")))
        if serial:
            serial_rows.setdefault(serial, number)
        if problems:
            return problems
        result.items.append(
            ItemRow(
                name=values["name"],
                category_id=values["category"],
                kind=kind,
                quantity=values.get("quantity") or 1,
                serial=values.get("serial") or "",
                manufacturer=values.get("manufacturer") or "",
                model=values.get("model") or "",
                supplier=values.get("supplier") or "",
                purchase_date=values.get("purchase_date"),
                cost=values.get("cost"),
                location_id=values.get("location"),
                condition=values.get("condition") or Condition.GOOD,
                notes=values.get("notes") or "",
            )
        )
        return problems

    return import_rows.check_table(result, rows, row_problems, progress)


def save(result: Preview, progress: Callable[[int], None] | None = None) -> list[str]:
    """Register every item of a preview without problems, in the file's order (so their tags are in sequence),
    in the caller's transaction (which commits). The tags given."""
    tags: list[str] = []

    def register_all(chunk: list[ItemRow]) -> None:
        for row in chunk:
            tags.append(services.register(Item(**vars(row))).tag)

    import_rows.save_all(result, register_all, progress=progress)
    return tags


def remembered_mapping() -> dict[str, str]:
    settings = db.session.scalar(sa.select(ItemImportSettings))
    return dict(settings.mapping) if settings else {}


def remember_mapping(mapping: dict[str, str]) -> None:
    """Keep the mapping for the tenant's next file; the caller commits."""
    settings = db.session.scalar(sa.select(ItemImportSettings))
    if settings is None:
        settings = ItemImportSettings(mapping={})
        db.session.add(settings)
    settings.mapping = {name: column for name, column in mapping.items() if name in FIELDS}
    db.session.flush()
