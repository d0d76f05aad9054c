"""Importing expenditure from an accounting system's CSV or XLSX export: all rows or none.

The partner maps the file's columns to our fields once (the mapping is remembered in FinanceSettings);
`read_rows` reads every row, `check_rows` checks each with the same rules as a typed item and lists each
problem with its row, column and reason, and `save` writes the rows only when there is no problem at all.

What a file is comes from its bytes (`bibnet.filetypes`): an .xls or a PDF is named for what it is, and a CSV
is read in UTF-8, UTF-16, Windows-1257 or Windows-1252 (found from its content, or chosen by the partner).
A category cell holds a code or a label in any of the interface's languages (`category_spellings`); the
period and the category may be set once for every row (DEFAULTABLE); duplicates are found by the supplier's
`organisation_key`, within the file and against the list.
"""
from collections.abc import Callable, Iterator
import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
import io
from itertools import islice
import re

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from bibnet.filetypes import FileKind, decode_text, kind_of
from bibnet.names import folded
from bibnet.refusals import Refused
from bibnet.tenancy.models import Project
from bibnet.tenants.budgets.labels import CATEGORY_LABELS
from bibnet.tenants.budgets.models import JEMS_CATEGORY_LABELS, CostCategory
from bibnet.tenants.expenditure import services
from bibnet.tenants.expenditure.services import ExpenditureInput
from bibnet.web.fields import parse_amount as parse_typed_amount
from bibnet.web.fields import without_negative_zero
from bibnet.web.input_checks import CONTROL_CHARACTER, unstorable

# Our fields an import can fill, in the order of the mapping form; the first six are required.
REQUIRED = ("period_number", "category", "invoice_date", "supplier", "description", "invoice_total")
OPTIONAL = ("declared_amount", "internal_reference", "invoice_number", "payment_date", "comment", "vat", "currency", "conversion_rate", "procurement_reference")
FIELDS = REQUIRED + OPTIONAL
# Fields the partner may set once for every row instead of (or besides) a column: a row's own non-empty cell
# wins, and the value set once fills the rows whose cell is empty (or every row when no column is chosen).
DEFAULTABLE = ("period_number", "category")
MAX_ROWS = 20_000
SAMPLES_SHOWN = 3  # values per column on the mapping page


class ImportRefused(Refused):
    """The file cannot be read at all (not CSV or XLSX, no header, too many rows): the import stops before
    its rows are read, and the pages offer another upload."""

    def __init__(self, message):
        super().__init__({"file": [message]})
        self.message = message


@dataclass(frozen=True)
class RowProblem:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str  # the file's column header, or our field name when the problem spans columns
    message: object  # a lazy string


@dataclass
class Preview:
    header: list[str]
    items: list[ExpenditureInput] = field(default_factory=list)  # the good rows
    problems: list[RowProblem] = field(default_factory=list)
    rows_read: int = 0  # rows with anything in them

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.items)


# Files that are no CSV or XLSX, each with what to do about it.
NOT_A_TABLE = {
    FileKind.OLD_OFFICE: _l("This is an old Excel .xls file: save it as .xlsx or CSV and upload it again."),
    FileKind.PDF: _l("This is a PDF, not a spreadsheet. Upload the CSV or XLSX export of your accounting system."),
    FileKind.ODS: _l("This is an OpenDocument .ods file: save it as .xlsx or CSV and upload it again."),
    FileKind.BINARY: _l("This file is neither a CSV file nor an XLSX workbook. Upload the CSV or XLSX export of your accounting system."),
}


def read_table(data: bytes, filename: str, encoding: str | None = None) -> tuple[list[str], Iterator[list]]:
    """The header and the rows of a CSV (in `encoding`, one of ENCODINGS, or the one `bibnet.filetypes.decode_text`
    finds; `;`, `,`, tab or `|` between cells) or XLSX file (its first sheet). What the file is comes from its
    content, not its name."""
    kind = kind_of(data)
    if kind in NOT_A_TABLE:
        raise ImportRefused(NOT_A_TABLE[kind])
    if kind is FileKind.XLSX or filename.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ImportRefused(_l("This file cannot be read as an XLSX workbook.")) from error
        rows = sheet.iter_rows(values_only=True)
    else:
        rows = _csv_rows(_csv_text(data, encoding))
    header = next(rows, None)
    if not header or not any(header):
        raise ImportRefused(_l("The file has no header row."))
    header = [str(cell or "").strip() for cell in header]
    for number, column in enumerate(header, start=1):
        if unstorable(column):
            raise ImportRefused(_l("The header of column %(column)d holds an invisible control character (such as a NUL character). Remove it and upload the file again.", column=number))
    return header, rows


# The encodings a partner may choose when detection picks the wrong one, as Python names them.
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1257": _l("Windows-1257 (Baltic)"),
    "cp1252": _l("Windows-1252 (Western European)"),
}
_DETECTED_AS = {"utf-8-sig": "utf-8", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}
_DECODED_AS = {"utf-8": "utf-8-sig"}  # a chosen UTF-8 may still start with a BOM; UTF-16's BOM is read by "utf-16"


def encoding_of(data: bytes, chosen: str | None = None) -> str | None:
    """The encoding (a key of ENCODINGS) a CSV file is read in: the chosen one, else the detected one; None
    for a workbook or a file no encoding reads."""
    if kind_of(data) is not FileKind.TEXT:
        return None
    if chosen in ENCODINGS:
        return chosen
    try:
        detected = decode_text(data)[1]
    except UnicodeDecodeError:
        return None
    return _DETECTED_AS.get(detected, detected)


def _csv_text(data: bytes, encoding: str | None = None) -> str:
    """The file's text in `encoding`, or in the one `decode_text` finds; a file it does not read is refused with its row."""
    try:
        if encoding in ENCODINGS:
            return data.decode(_DECODED_AS.get(encoding, encoding))
        return decode_text(data)[0]
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        if encoding in ENCODINGS:
            raise ImportRefused(_l("Row %(row)d cannot be read as %(encoding)s. Choose another encoding.", row=row, encoding=ENCODINGS[encoding])) from error
        raise ImportRefused(
            _l("Row %(row)d holds a character that none of UTF-8, UTF-16, Windows-1257 and Windows-1252 can read. Save the CSV file as UTF-8 and upload it again.", row=row)
        ) from error


DELIMITERS = ";,\t|"  # tried in this order on the header line; a tie goes to the first


def delimiter_of(text: str) -> str:
    """The delimiter that splits the header line into the most columns; a comma when none splits it (one column).

    Decided on the header alone, which accounting exports never leave half-written (csv.Sniffer guessed from
    the first 4 KB, which may end in the middle of a row, and gave up on `|`).
    """
    header_line = text.split("\n", 1)[0]
    columns = {delimiter: len(next(csv.reader([header_line], delimiter=delimiter), [])) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: columns[delimiter])  # max keeps the first of equals
    return best if columns[best] > 1 else ","


def _csv_rows(text: str) -> Iterator[list]:
    """The rows, strictly: a quotation mark left open would otherwise swallow the rows after it into one cell."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text), strict=True)
    rows_read = 0
    try:
        for cells in reader:
            yield cells
            rows_read += 1
    except csv.Error as error:
        raise ImportRefused(_l("Row %(row)d cannot be read as CSV. Check its quotation marks.", row=rows_read + 1)) from error


def parse_amount(value) -> Decimal:
    """A number cell as it is; a text cell as typed (see `bibnet.web.fields.parse_amount`)."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return without_negative_zero(Decimal(str(value)))
    return parse_typed_amount(str(value))


def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    match = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", text)
    if match:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    raise ValueError(text)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


PARSERS: dict[str, tuple[Callable, object]] = {
    "period_number": (lambda value: int(parse_amount(value)), _l("Enter the reporting period's number, like 1.")),
    "invoice_date": (parse_date, _l("Enter a date as YYYY-MM-DD or DD.MM.YYYY.")),
    "payment_date": (parse_date, _l("Enter a date as YYYY-MM-DD or DD.MM.YYYY.")),
    "invoice_total": (parse_amount, _l("Enter an amount, like 1250.50.")),
    "declared_amount": (parse_amount, _l("Enter an amount, like 1250.50.")),
    "vat": (parse_amount, _l("Enter an amount, like 1250.50.")),
    "conversion_rate": (parse_amount, _l("Enter the rate as a number, like 11.4615.")),
}


def category_spellings() -> dict[str, str]:
    """Every way a cell may name a cost category, folded (see `bibnet.names.folded`), and the category's code:
    the code (`equipment`), Jems's English name and the label the pages show in each language. A spelling
    that two categories share would be a guess, so it names neither."""
    codes_of: dict[str, set[str]] = {}
    for category in CostCategory:
        spellings = {category.value, JEMS_CATEGORY_LABELS[category]}
        for locale in current_app.config["LOCALES"]:
            with force_locale(locale):
                spellings.add(str(CATEGORY_LABELS[category]))
        for spelling in spellings:
            codes_of.setdefault(folded(spelling), set()).add(category.value)
    return {spelling: codes.pop() for spelling, codes in codes_of.items() if len(codes) == 1}


def category_choices() -> list[tuple[str, str]]:
    """(code, label in the user's language) of every cost category, in the budget's order."""
    return [(category.value, str(CATEGORY_LABELS[category])) for category in CostCategory]


def category_list() -> str:
    """The cost categories as messages list them: "Equipment (equipment); …", in the user's language."""
    return "; ".join(f"{label} ({code})" for code, label in category_choices())


class _CategoryList:
    """`category_list()` in the language of the moment a lazy message is shown, not of its creation."""

    def __str__(self) -> str:
        return category_list()


BAD_CATEGORY = _l("Enter a cost category by its name in English, Latvian or Lithuanian, or by its code: %(categories)s.", categories=_CategoryList())


def _category_parser(spellings: dict[str, str]) -> Callable[[object], str]:
    def category_code(value) -> str:
        try:
            return spellings[folded(str(value))]
        except KeyError:
            raise ValueError(value) from None

    return category_code


def check_mapping(mapping: dict[str, str], header: list[str], defaults: dict | None = None) -> dict[str, list]:
    errors: dict[str, list] = {}
    for name in REQUIRED:
        if not mapping.get(name) and (defaults or {}).get(name) is None:
            errors.setdefault(name, []).append(
                _l("Choose the column that holds this, or set one value for every row below.") if name in DEFAULTABLE else _l("Choose the column that holds this.")
            )
    for name, column in mapping.items():
        if name not in FIELDS:
            errors.setdefault(name, []).append(_l("This field is not known."))
        elif column and column not in header:
            errors.setdefault(name, []).append(_l("The file has no column “%(column)s”.", column=column))
    return errors


def read_rows(data: bytes, filename: str, encoding: str | None = None) -> tuple[list[str], list[list]]:
    """The header and every row of the file, at most MAX_ROWS of them (a longer file is refused)."""
    header, rows = read_table(data, filename, encoding)
    kept = list(islice(rows, MAX_ROWS + 1))
    if len(kept) > MAX_ROWS:
        raise ImportRefused(_l("A file can hold at most %(max)d rows.", max=MAX_ROWS))
    return header, kept


def sample_values(header: list[str], rows: Iterator[list], count: int = SAMPLES_SHOWN) -> dict[str, list[str]]:
    """The first `count` non-empty values of each column, as the mapping page shows them."""
    samples: dict[str, list[str]] = {column: [] for column in header if column}
    for row in islice(rows, 200):  # enough to fill sparse columns, few enough for a large file
        for column, cell in zip(header, row, strict=False):
            shown = cell.date().isoformat() if isinstance(cell, datetime) else _text(cell)
            if column and shown and len(samples[column]) < count:
                samples[column].append(shown)
    return samples


def check_rows(
    header: list[str],
    rows: list[list],
    mapping: dict[str, str],
    project: Project,
    progress: Callable[[int], None] | None = None,
    defaults: dict | None = None,
) -> Preview:
    """Check every row against the rules of a typed item and against the list, in one query whatever the
    number of rows; nothing is written. Problems name the file's column headers; `progress(1)` is called
    after each row. `defaults` holds the values set once for every row (see DEFAULTABLE)."""
    result = Preview(header)
    defaults = {name: value for name, value in (defaults or {}).items() if value is not None}
    mapping_errors = check_mapping(mapping, header, defaults)
    if mapping_errors:
        raise Refused(mapping_errors)
    position = {name: header.index(column) for name, column in mapping.items() if column}
    parsers = {**PARSERS, "category": (_category_parser(category_spellings()), BAD_CATEGORY)}
    known_invoices = services.invoices_in_list(project)
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows, start=2):
        if progress is not None:
            progress(1)
        if not any(_text(cell) for cell in row):
            continue
        result.rows_read += 1
        problems = _row_problems(number, row, position, mapping, defaults, parsers, project, known_invoices, seen, result)
        result.problems += problems
    if not result.rows_read:
        raise ImportRefused(_l("The file has no rows below its header."))
    return result


def _row_problems(number, row, position, mapping, defaults, parsers, project, known_invoices, seen, result) -> list[RowProblem]:
    """The row's problems; a good row is added to `result.items`."""
    values, problems = {}, []
    for name, index in position.items():
        raw = row[index] if index < len(row) else None
        if name in parsers and _text(raw):
            parse, message = parsers[name]
            try:
                values[name] = parse(raw)
            except (ValueError, InvalidOperation, ArithmeticError):
                problems.append(RowProblem(number, mapping[name], message))
        elif name not in parsers:
            values[name] = _text(raw)
            if unstorable(values[name]):
                problems.append(RowProblem(number, mapping[name], CONTROL_CHARACTER))
    for name, value in defaults.items():
        if name not in values and not any(p.column == mapping.get(name) for p in problems):
            values[name] = value
    for name in REQUIRED:
        if name not in values and not any(p.column == mapping.get(name) for p in problems):
            problems.append(RowProblem(number, mapping[name], _l("This cell is empty.")))
    if problems:
        return problems
    values.setdefault("declared_amount", values["invoice_total"])
    values["currency"] = (values.get("currency") or "EUR").upper()
    values["invoice_number"] = values.get("invoice_number") or None
    item = ExpenditureInput(**values)
    for name, messages in services.check(item, project, known_invoices=known_invoices).items():
        column = mapping.get(name) or name
        problems += [RowProblem(number, column, message) for message in messages]
    key = (services.supplier_key(item.supplier), item.invoice_number or "")
    if item.invoice_number and key in seen:
        problems.append(RowProblem(number, mapping.get("invoice_number", "invoice_number"), _l("The same invoice is on row %(row)d too.", row=seen[key])))
    seen.setdefault(key, number)
    if not problems:
        result.items.append(item)
    return problems


SAVED_PER_STATEMENT = 1000


def save(result: Preview, project: Project, by=None, progress: Callable[[int], None] | None = None, source: str = "") -> int:
    """Write every item of a preview without problems as drafts, in one transaction; the caller commits.

    Many rows per INSERT, an audit entry per row and one for the import; `progress(n)` after each n rows written.
    """
    if not result.ok:
        raise Refused({"file": [_l("Correct the rows listed and upload the file again: nothing was saved.")]})
    for start in range(0, len(result.items), SAVED_PER_STATEMENT):
        chunk = result.items[start:start + SAVED_PER_STATEMENT]
        services.insert_checked(chunk, project, by)
        if progress is not None:
            progress(len(chunk))
    services.record_import(project, len(result.items), source, by)
    return len(result.items)
