"""Importing an accounting system's export: every bad row is named with its column and reason, and
nothing is written unless every row is good."""
from datetime import date, datetime
from decimal import Decimal
import io

from openpyxl import Workbook
import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.imports.tables import ImportRefused, read_rows
from bibnet.refusals import Refused
from bibnet.tenants.expenditure import importing
from bibnet.tenants.expenditure.models import Expenditure

pytestmark = pytest.mark.usefixtures("in_jelgava")
pytest_plugins = ["expenditure_items"]  # the fixture `project`

MAPPING = {
    "period_number": "Periods",
    "category": "Kategorija",
    "invoice_date": "Rēķina datums",
    "supplier": "Piegādātājs",
    "description": "Apraksts",
    "invoice_total": "Summa",
    "invoice_number": "Rēķina Nr.",
    "vat": "PVN",
}
GOOD_CSV = """Periods;Kategorija;Rēķina datums;Piegādātājs;Apraksts;Summa;Rēķina Nr.;PVN
1;equipment;10.09.2024;SIA Sensorika;Burbuļu kolonna;1 210,00;SR-118;210,00
1;external;2024-10-02;SIA Pieejamība;Pieejamības audits;800,00;PA-7;
2;equipment;05.12.2024;SIA Sensorika;Kredītrēķins;-121,00;CN-3;-21,00
"""


def checked(data: bytes, filename: str, mapping: dict[str, str], project) -> importing.Preview:
    """The file read and checked as the import page and the command do it; nothing is written."""
    header, rows = read_rows(data, filename)
    return importing.check_rows(header, rows, mapping, project)


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Expenditure))


def test_a_good_csv_is_previewed_then_saved_whole(world, project):
    result = checked(GOOD_CSV.encode("utf-8-sig"), "export.csv", MAPPING, project)
    assert result.ok and len(result.items) == 3 and count() == 0
    assert [item.invoice_total for item in result.items] == [Decimal("1210.00"), Decimal("800.00"), Decimal("-121.00")]
    assert importing.save(result, project, world.coordinator) == 3
    db.session.commit()
    assert count() == 3


def test_a_csv_with_a_bad_row_is_refused_whole_with_the_row_named(world, project):
    bad = GOOD_CSV.replace("800,00;PA-7;", "800,00;PA-7;900,00").replace("05.12.2024", "31.02.2025")
    result = checked(bad.encode(), "export.csv", MAPPING, project)
    assert not result.ok
    assert {(problem.row, problem.column) for problem in result.problems} == {(3, "PVN"), (4, "Rēķina datums")}
    assert "VAT cannot be more than the invoice total" in str(next(p for p in result.problems if p.row == 3).message)
    with pytest.raises(Refused):
        importing.save(result, project)
    assert count() == 0


def test_the_same_invoice_twice_in_one_file_is_named(world, project):
    twice = GOOD_CSV + "1;equipment;11.09.2024;sia sensorika;Otrreiz;1210,00;SR-118;210,00\n"
    problems = checked(twice.encode(), "export.csv", MAPPING, project).problems
    assert [(p.row, p.column) for p in problems] == [(5, "Rēķina Nr.")]
    assert "row 2" in str(problems[0].message)


def test_an_xlsx_export_with_number_and_date_cells(world, project):
    book = Workbook()
    sheet = book.active
    sheet.append(list(MAPPING.values()))
    sheet.append([1, "travel", datetime(2024, 8, 15), "AS Ceļojumi", "Pieredzes brauciens", 312.4, "C-55", None])
    data = io.BytesIO()
    book.save(data)
    result = checked(data.getvalue(), "export.xlsx", MAPPING, project)
    assert result.ok and result.items[0].invoice_total == Decimal("312.4") and result.items[0].invoice_date == date(2024, 8, 15)


def test_a_mapping_without_a_required_column_is_refused(world, project):
    with pytest.raises(Refused) as refused:
        checked(GOOD_CSV.encode(), "export.csv", {**MAPPING, "supplier": ""}, project)
    assert "supplier" in refused.value.errors


@pytest.mark.parametrize(("data", "name"), [(b"\xff\xfe\x00\xd8garbage", "export.csv"), (b"not a workbook", "export.xlsx"), (b"", "export.csv")])
def test_an_unreadable_file_is_refused_with_a_message(world, project, data, name):
    with pytest.raises(ImportRefused):
        checked(data, name, MAPPING, project)


ONE_COLUMN_MAPPING = dict.fromkeys(importing.REQUIRED, "Everything")


@pytest.mark.parametrize("delimiter", [";", ",", "\t", "|"])
def test_the_delimiter_is_read_from_the_header_line(world, project, delimiter):
    data = GOOD_CSV.replace(";", delimiter).replace("1 210,00", "1210.00").replace("800,00", "800.00").replace("-121,00", "-121.00").replace("210,00", "210.00").replace("-21,00", "-21.00")
    result = checked(data.encode(), "export.csv", MAPPING, project)
    assert result.ok and len(result.items) == 3


def test_a_file_whose_first_4_kb_end_in_the_middle_of_a_row(world, project):
    """csv.Sniffer guessed from the first 4 KB and gave up when they ended mid-row."""
    rows = [f"1;equipment;10.09.2024;SIA Sensorika {n};{'Bubble tube with a long description ' * 3};1 210,00;SR-{n};210,00" for n in range(60)]
    data = ("Periods;Kategorija;Rēķina datums;Piegādātājs;Apraksts;Summa;Rēķina Nr.;PVN\n" + "\n".join(rows)).encode()
    assert data[4095:4097] != b"\n"
    result = checked(data, "export.csv", MAPPING, project)
    assert result.ok and len(result.items) == 60


def test_a_file_of_one_column_is_read_as_one_column(world, project):
    header, rows = read_rows(b"Everything\n1\n2\n", "export.csv")
    assert (header, rows) == (["Everything"], [["1"], ["2"]])
    result = importing.check_rows(header, rows, ONE_COLUMN_MAPPING, project)
    assert not result.ok and {problem.column for problem in result.problems} == {"Everything"}


def test_a_nul_character_in_a_cell_is_named_by_row_and_column_and_nothing_is_saved(world, project):
    bad = GOOD_CSV.replace("SIA Pieejamība", "SIA Pieejam\x00ība")
    result = checked(bad.encode(), "export.csv", MAPPING, project)
    assert [(p.row, p.column, str(p.message)) for p in result.problems] == [
        (3, "Piegādātājs", "Remove the invisible control character (such as a NUL character) from this text: it cannot be saved.")
    ]
    with pytest.raises(Refused):
        importing.save(result, project)
    assert count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Periods;Supplier\n1;SIA Sensorika\n1;Caf\x81\x8d\n", "Row 3 holds a character that none of UTF-8, UTF-16, Windows-1257 and Windows-1252 can read."),
        (GOOD_CSV.replace("Rēķina Nr.", "Rēķina\x00Nr.").encode(), "The header of column 7 holds an invisible control character"),
        ((GOOD_CSV + '1;equipment;10.09.2024;"SIA "Sensorika";x;1,00;A-1;\n').encode(), "Row 5 cannot be read as CSV. Check its quotation marks."),
        ((GOOD_CSV + '1;equipment;10.09.2024;"SIA Sensorika;x;1,00;A-1;\n1;equipment;10.09.2024;SIA B;y;2,00;A-2;\n').encode(), "Row 5 cannot be read as CSV."),
    ],
)
def test_a_file_that_cannot_be_read_says_why(world, project, data, message):
    with pytest.raises(ImportRefused) as refused:
        checked(data, "export.csv", MAPPING, project)
    assert str(refused.value.message).startswith(message)
    assert count() == 0


def test_a_category_spelling_two_categories_share_names_neither(world, project, monkeypatch):
    """Matching ignores case, spacing and accents, so two labels could fold alike: such a spelling would be a
    guess, and a cell holding it is refused (the codes still work)."""
    from bibnet.tenants.budgets.labels import CATEGORY_LABELS
    from bibnet.tenants.budgets.models import CostCategory

    monkeypatch.setitem(importing.CATEGORY_LABELS, CostCategory.OFFICE, CATEGORY_LABELS[CostCategory.STAFF])
    spellings = importing.category_spellings()
    assert "staff costs" not in spellings and "personala izmaksas" not in spellings
    assert spellings["staff"] == "staff" and spellings["office"] == "office" and spellings["aprikojums"] == "equipment"
    text = GOOD_CSV.replace("1;external;", "1;Staff costs;")
    result = checked(text.encode(), "export.csv", MAPPING, project)
    assert [(problem.row, problem.column) for problem in result.problems] == [(3, "Kategorija")]
