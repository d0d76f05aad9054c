"""Importing equipment from a file: every row checked with the rules of typed input, each bad row named with its
row, column and reason, and nothing registered unless every row is good; good rows get tags in sequence."""
from datetime import date
from decimal import Decimal
import io

from flask_babel import force_locale
from openpyxl import Workbook
import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.imports.rows import RowsRefused
from bibnet.imports.tables import MAX_ROWS, ImportRefused, read_rows
from bibnet.names import folded
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory import services
from bibnet.tenants.inventory.categories import SHARED, ensure_shared_categories
from bibnet.tenants.inventory.importing import rows
from bibnet.tenants.inventory.models import Category, Condition, Item, ItemKind, Location, LocationKind

TODAY = date(2026, 12, 2)
HEADER = "Nosaukums;Kategorija;Veids;Skaits;Sērijas nr.;Ražotājs;Modelis;Piegādātājs;Iegādes datums;Cena;Vieta;Stāvoklis;Piezīmes\n"
GOOD = HEADER + """Burbuļu kolonna;Sensory-room equipment;serialised;;BT-118;Rompa;Bubble Tube 175;SIA Sensorika;10.09.2024;1 210,00;Jelgava › Sensorā istaba;New;Pie loga
Galda spēles;games;Quantity item;12;;;;SIA Spēles;2024-10-02;240,00;Sensorā istaba;good;
DAISY atskaņotājs;reading aids (talking-book players, magnifiers);;;DP-1;HumanWare;Victor Reader Stream;;;289;;;
"""
MAPPING = {
    "name": "Nosaukums", "category": "Kategorija", "kind": "Veids", "quantity": "Skaits", "serial": "Sērijas nr.",
    "manufacturer": "Ražotājs", "model": "Modelis", "supplier": "Piegādātājs", "purchase_date": "Iegādes datums",
    "cost": "Cena", "location": "Vieta", "condition": "Stāvoklis", "notes": "Piezīmes",
}


@pytest.fixture
def places(world, in_jelgava):
    """Jelgava's shared categories and the tree Jelgava › Sensorā istaba."""
    ensure_shared_categories()
    branch = Location(name="Jelgava", kind=LocationKind.BRANCH)
    db.session.add(branch)
    db.session.flush()
    room = Location(name="Sensorā istaba", kind=LocationKind.ROOM, parent_id=branch.id)
    db.session.add(room)
    db.session.commit()
    return branch, room


def checked(text: str, mapping=MAPPING, name="equipment.csv", encoding="utf-8"):
    header, table = read_rows(text.encode(encoding) if isinstance(text, str) else text, name)
    return rows.check_rows(header, table, mapping, today=TODAY)


def category_key(item: Item) -> str | None:
    return db.session.get(Category, item.category_id).shared_key


def registered() -> list[Item]:
    return db.session.scalars(sa.select(Item).order_by(Item.tag_number)).all()


def test_a_good_file_registers_every_item_with_tags_in_sequence(places):
    _branch, room = places
    result = checked(GOOD)
    assert result.ok and result.problems == []
    assert rows.save(result) == ["BN-00001", "BN-00002", "BN-00003"]
    db.session.commit()
    tube, games, player = registered()
    assert (tube.name, category_key(tube), tube.kind, tube.serial, tube.manufacturer, tube.model) == (
        "Burbuļu kolonna", "sensory_equipment", ItemKind.SERIALISED, "BT-118", "Rompa", "Bubble Tube 175"
    )
    assert (tube.supplier, tube.purchase_date, tube.cost, tube.location_id, tube.condition, tube.notes) == (
        "SIA Sensorika", date(2024, 9, 10), Decimal("1210.00"), room.id, Condition.NEW, "Pie loga"
    )
    assert (games.kind, games.quantity, category_key(games), games.location_id, games.condition) == (ItemKind.QUANTITY, 12, "games", room.id, Condition.GOOD)
    assert (player.kind, player.quantity, player.cost, player.location_id, player.condition) == (ItemKind.SERIALISED, 1, Decimal("289.00"), None, Condition.GOOD)


def test_tags_continue_after_the_items_already_registered(places):
    services.register(Item(name="Magnifier", category=db.session.scalar(sa.select(Category).where(Category.shared_key == "reading_aids"))))
    assert rows.save(checked(GOOD)) == ["BN-00002", "BN-00003", "BN-00004"]


def test_a_tenants_own_category_is_named_by_its_name(places):
    db.session.add(Category(name="Mūzikas instrumenti"))
    db.session.commit()
    result = checked(HEADER + "Bungas;mūzikas instrumenti;;;;;;;;;;;\n")
    assert result.ok and db.session.get(Category, result.items[0].category_id).name == "Mūzikas instrumenti"


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ("Bungas;Nav tādas;;;;;;;;;;;", "Kategorija", "No category of this library has this name"),
        (";games;;;;;;;;;;;", "Nosaukums", "This cell is empty."),
        ("Bungas;;;;;;;;;;;;", "Kategorija", "This cell is empty."),
        ("Bungas;games;kit;;;;;;;;;;", "Veids", "Enter the kind"),
        ("Bungas;games;;1,5;;;;;;;;;", "Skaits", "whole number"),
        ("Bungas;games;;3;;;;;;;;;", "Skaits", "A serialised asset is one unit"),
        ("Bungas;games;;;;;;;2024-02-30;;;;", "Iegādes datums", "Enter a date as YYYY-MM-DD or DD.MM.YYYY."),
        ("Bungas;games;;;;;;;03/04/24;;;;", "Iegādes datums", "Enter a date as YYYY-MM-DD or DD.MM.YYYY."),
        ("Bungas;games;;;;;;;01.01.2027;;;;", "Iegādes datums", "in the future"),
        ("Bungas;games;;;;;;;;12 eiro;;;", "Cena", "Enter an amount"),
        ("Bungas;games;;;;;;;;-5,00;;;", "Cena", "Enter a cost of 0 or more"),
        ("Bungas;games;;;;;;;;1,234;;;", "Cena", "Enter a cost of 0 or more"),
        ("Bungas;games;quantity;99999999999;;;;;;;;;", "Skaits", "a whole number from 0 to 100000"),
        ("Bungas;games;;;;;;;;10000000000,00;;;", "Cena", "Enter a cost of 0 or more"),
        ("Bungas;games;;;;;;;;;Pagrabs;;", "Vieta", "No location has this name or path"),
        ("Bungas;games;;;;;;;;;;lieliski;", "Stāvoklis", "Enter the condition"),
        ("Bungas\x00;games;;;;;;;;;;;", "Nosaukums", "control character"),
        ("B" * 201 + ";games;;;;;;;;;;;", "Nosaukums", "Enter at most 200 characters."),
    ],
)
def test_each_bad_row_is_named_with_its_column_and_reason_and_nothing_is_registered(places, cells, column, message):
    result = checked(GOOD + cells + "\n")
    assert not result.ok and len(result.items) == 3
    [problem] = result.problems
    assert (problem.row, problem.column) == (5, column)
    assert message in str(problem.message)
    with pytest.raises(RowsRefused) as refused:
        rows.save(result)
    assert refused.value.problem_members()["problems"][0]["row"] == 5
    db.session.commit()
    assert registered() == []


def test_a_serial_number_twice_in_the_file_names_both_rows(places):
    result = checked(GOOD + "Otra kolonna;sensory_equipment;;;bt-118;;;;;;;;\n")
    [problem] = result.problems
    assert (problem.row, problem.column) == (5, "Sērijas nr.")
    assert str(problem.message) == "The same serial number is on row 2 too."


def test_a_serial_number_already_in_the_register_is_named(places):
    rows.save(checked(GOOD))
    db.session.commit()
    result = checked(HEADER + "Otra kolonna;sensory_equipment;;;BT-118;;;;;;;;\n")
    assert [str(problem.message) for problem in result.problems] == ["An item with this serial number is in the register already."]


def test_another_tenants_categories_locations_and_serials_are_not_seen(world, places):
    rows.save(checked(GOOD))
    db.session.commit()
    with tenant_scope(world.pasvalys):
        ensure_shared_categories()
        db.session.add(Category(name="Mūzikas instrumenti"))
        db.session.commit()
        result = checked(GOOD.replace("Quantity item", "quantity") + "Bungas;mūzikas instrumenti;;;;;;;;;;;\n")
        assert sorted({str(problem.column) for problem in result.problems}) == ["Vieta"]  # no Jelgava › Sensorā istaba here; serials are free


def test_a_shared_category_is_named_by_its_label_in_each_language_or_its_key(places, app):
    spellings = rows.category_spellings()
    reading_aids = spellings[folded("reading_aids")]
    for locale in app.config["LOCALES"]:
        with force_locale(locale):
            assert spellings[folded(str(SHARED["reading_aids"]))] == reading_aids


def test_a_cp1257_csv_file_is_read(places):
    result = checked(GOOD, encoding="cp1257")
    assert result.ok and result.items[0].name == "Burbuļu kolonna"


def test_an_xlsx_workbook_is_read_with_its_dates_and_numbers(places):
    book = Workbook()
    sheet = book.active
    sheet.append(list(MAPPING.values()))
    sheet.append(["Projektors", "Computers and assistive technology", "serialised", None, "PJ-9", "Epson", "EB-W51", "SIA Tehnika", date(2024, 3, 1), 549.9, "Jelgava > Sensorā istaba", "good", None])
    buffer = io.BytesIO()
    book.save(buffer)
    result = checked(buffer.getvalue(), name="equipment.xlsx")
    assert result.ok
    [item] = result.items
    assert (item.purchase_date, item.cost, item.category_id is not None, item.location_id) == (date(2024, 3, 1), Decimal("549.9"), True, places[1].id)


def test_a_file_over_the_row_limit_is_refused_with_the_limit_named(places):
    text = HEADER + "Bungas;games;;;;;;;;;;;\n" * (MAX_ROWS + 1)
    with pytest.raises(ImportRefused) as refused:
        checked(text)
    assert str(refused.value.message) == "A file can hold at most 20000 rows."


def test_a_file_of_the_row_limit_is_read(places):
    result = checked(HEADER + "Bungas;games;;;;;;;;;;;\n" * MAX_ROWS)
    assert result.ok and len(result.items) == MAX_ROWS


def test_a_mapping_without_the_required_columns_is_refused(places):
    with pytest.raises(Refused) as refused:
        checked(GOOD, mapping={"name": "Nosaukums", "cost": "Nav"})
    assert set(refused.value.errors) == {"category", "cost"}
