"""Reading a CSV or XLSX file into its header and rows, refusing what is no table with what to do about it."""
from collections.abc import Iterator
import csv
from datetime import datetime
import io
from itertools import islice

from flask_babel import lazy_gettext as _l

from bibnet.filetypes import FileKind, decode_text, kind_of
from bibnet.refusals import Refused
from bibnet.web.input_checks import unstorable

MAX_ROWS = 20_000
SAMPLES_SHOWN = 3  # values per column on the mapping page


class ImportRefused(Refused):
    """The file cannot be read at all (not CSV or XLSX, no header, too many rows): the import stops before
    its rows are read, and the pages offer another upload."""

    def __init__(self, message):
        super().__init__({"file": [message]})
        self.message = message


# Files that are no CSV or XLSX, each with what to do about it.
NOT_A_TABLE = {
    FileKind.OLD_OFFICE: _l("This is an old Excel .xls file: save it as .xlsx or CSV and upload it again."),
    FileKind.PDF: _l("This is a PDF, not a spreadsheet. Upload a CSV file or an XLSX workbook."),
    FileKind.ODS: _l("This is an OpenDocument .ods file: save it as .xlsx or CSV and upload it again."),
    FileKind.BINARY: _l("This file is neither a CSV file nor an XLSX workbook. Save it as one of them and upload it again."),
}


def read_table(data: bytes, filename: str, encoding: str | None = None) -> tuple[list[str], Iterator[list]]:
    """The header and the rows of a CSV (in `encoding`, one of ENCODINGS, or the one `bibnet.filetypes.decode_text`
    finds; `;`, `,`, tab or `|` between cells) or XLSX file (its first sheet). What the file is comes from its
    content, not its name."""
    kind = kind_of(data)
    if kind in NOT_A_TABLE:
        raise ImportRefused(NOT_A_TABLE[kind])
    if kind is FileKind.XLSX or filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook  # on the first workbook, not at start: about 8 MB per worker

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


def read_rows(data: bytes, filename: str, encoding: str | None = None) -> tuple[list[str], list[list]]:
    """The header and every row of the file, at most MAX_ROWS of them (a longer file is refused)."""
    header, rows = read_table(data, filename, encoding)
    kept = list(islice(rows, MAX_ROWS + 1))
    if len(kept) > MAX_ROWS:
        raise ImportRefused(_l("A file can hold at most %(max)d rows.", max=MAX_ROWS))
    return header, kept


# The encodings a partner may choose when detection picks the wrong one, as Python names them.
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1257": _l("Windows-1257 (Baltic)"),
    "cp1252": _l("Windows-1252 (Western European)"),
}
_DETECTED_AS = {"utf-8-sig": "utf-8", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}
_DECODED_AS = {"utf-8": "utf-8-sig"}  # a chosen UTF-8 may still start with a BOM; UTF-16's BOM is read by "utf-16"


def chosen_encoding(value) -> str | None:
    """A form's choice of encoding when it is one of ENCODINGS; None (detect it) otherwise."""
    return value if value in ENCODINGS else None


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


def cell_text(value) -> str:
    return "" if value is None else str(value).strip()


def sample_values(header: list[str], rows: Iterator[list], count: int = SAMPLES_SHOWN) -> dict[str, list[str]]:
    """The first `count` non-empty values of each column, as the mapping page shows them."""
    samples: dict[str, list[str]] = {column: [] for column in header if column}
    for row in islice(rows, 200):  # enough to fill sparse columns, few enough for a large file
        for column, cell in zip(header, row, strict=False):
            shown = cell.date().isoformat() if isinstance(cell, datetime) else cell_text(cell)
            if column and shown and len(samples[column]) < count:
                samples[column].append(shown)
    return samples
