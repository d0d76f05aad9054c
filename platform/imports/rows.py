"""Checking the rows of a file: cells parsed with the rules of typed input, each problem named with its row,
column and reason, and the good rows kept for a save that writes all of them or none."""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
import re

from flask_babel import lazy_gettext as _l

from bibnet.imports.tables import ImportRefused, cell_text
from bibnet.names import folded
from bibnet.refusals import Refused
from bibnet.web.fields import parse_amount as parse_typed_amount
from bibnet.web.fields import without_negative_zero
from bibnet.web.input_checks import CONTROL_CHARACTER, unstorable


@dataclass(frozen=True)
class RowProblem:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str  # the file's column header, or our field name when the problem spans columns
    message: object  # a lazy string


@dataclass
class Preview:
    header: list[str]
    items: list = field(default_factory=list)  # the good rows, as the feature's objects
    problems: list[RowProblem] = field(default_factory=list)
    rows_read: int = 0  # rows with anything in them

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.items)

    @property
    def bad_rows(self) -> int:
        return len({problem.row for problem in self.problems})


def parse_amount(value) -> Decimal:
    """A number cell as it is; a text cell as typed (see `bibnet.web.fields.parse_amount`)."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return without_negative_zero(Decimal(str(value)))
    return parse_typed_amount(str(value))


def parse_date(value) -> date:
    """A date cell as it is; a text cell as YYYY-MM-DD or DD.MM.YYYY (or DD/MM/YYYY), never guessed otherwise."""
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


BAD_DATE = _l("Enter a date as YYYY-MM-DD or DD.MM.YYYY.")
BAD_AMOUNT = _l("Enter an amount, like 1250.50.")
EMPTY_CELL = _l("This cell is empty.")


def spelling_parser(spellings: dict[str, object]) -> Callable[[object], object]:
    """A parser for a cell that names one of a few things by any of their spellings (keys folded, see
    `bibnet.names.folded`); an unknown spelling is a ValueError."""

    def named(value):
        try:
            return spellings[folded(str(value))]
        except KeyError:
            raise ValueError(value) from None

    return named


def check_mapping(mapping: dict[str, str], header: list[str], fields: Iterable[str], required: Iterable[str], defaults: dict | None = None, defaultable: Iterable[str] = ()) -> dict[str, list]:
    """The problems of a column mapping: a required field without a column (or a value set once for every row),
    a field not known, a column the file does not have."""
    fields, defaultable = tuple(fields), tuple(defaultable)
    errors: dict[str, list] = {}
    for name in required:
        if not mapping.get(name) and (defaults or {}).get(name) is None:
            errors.setdefault(name, []).append(
                _l("Choose the column that holds this, or set one value for every row below.") if name in defaultable else _l("Choose the column that holds this.")
            )
    for name, column in mapping.items():
        if name not in fields:
            errors.setdefault(name, []).append(_l("This field is not known."))
        elif column and column not in header:
            errors.setdefault(name, []).append(_l("The file has no column “%(column)s”.", column=column))
    return errors


def column_positions(mapping: dict[str, str], header: list[str]) -> dict[str, int]:
    return {name: header.index(column) for name, column in mapping.items() if column}


def read_cells(
    number: int,
    row: list,
    position: dict[str, int],
    mapping: dict[str, str],
    parsers: dict[str, tuple[Callable, object]],
    required: Iterable[str],
    defaults: dict | None = None,
) -> tuple[dict, list[RowProblem]]:
    """The row's values by field and its problems: a cell with a parser is parsed (its message names a bad one),
    any other is text without control characters (an empty one is ""); a value set once (`defaults`) fills a
    field without a value, and a required parsed field left empty is named."""
    values, problems = {}, []
    for name, index in position.items():
        raw = row[index] if index < len(row) else None
        if name in parsers and cell_text(raw):
            parse, message = parsers[name]
            try:
                values[name] = parse(raw)
            except (ValueError, InvalidOperation, ArithmeticError):
                problems.append(RowProblem(number, mapping[name], message))
        elif name not in parsers:
            values[name] = cell_text(raw)
            if unstorable(values[name]):
                problems.append(RowProblem(number, mapping[name], CONTROL_CHARACTER))
    for name, value in (defaults or {}).items():
        if name not in values and not any(p.column == mapping.get(name) for p in problems):
            values[name] = value
    for name in required:
        if name not in values and not any(p.column == mapping.get(name) for p in problems):
            problems.append(RowProblem(number, mapping[name], EMPTY_CELL))
    return values, problems


def check_table(result: Preview, rows: list[list], check_row: Callable[[int, list], list[RowProblem]], progress: Callable[[int], None] | None = None) -> Preview:
    """Check every row with something in it (`check_row(number, cells)` gives its problems and adds a good row
    to `result.items`); `progress(1)` is called after each row. A file without rows is refused."""
    for number, row in enumerate(rows, start=2):
        if progress is not None:
            progress(1)
        if not any(cell_text(cell) for cell in row):
            continue
        result.rows_read += 1
        result.problems += check_row(number, row)
    if not result.rows_read:
        raise ImportRefused(_l("The file has no rows below its header."))
    return result


def save_all(result: Preview, write: Callable[[list], None], per_statement: int = 1000, progress: Callable[[int], None] | None = None) -> int:
    """Write every item of a preview without problems, `per_statement` at a time, in the caller's transaction
    (which commits); a preview with a problem writes nothing. `progress(n)` after each n items written."""
    if not result.ok:
        raise RowsRefused(result)
    for start in range(0, len(result.items), per_statement):
        chunk = result.items[start:start + per_statement]
        write(chunk)
        if progress is not None:
            progress(len(chunk))
    return len(result.items)


class RowsRefused(Refused):
    """A file with bad rows, refused as a whole (the API's answer): each problem with its row, column and reason."""

    def __init__(self, result: Preview):
        super().__init__({"file": [_l("Correct the rows listed and upload the file again: nothing was saved.")]})
        self.problems = result.problems

    def problem_members(self) -> dict:
        return {"problems": [{"row": problem.row, "column": problem.column, "message": str(problem.message)} for problem in self.problems]}
