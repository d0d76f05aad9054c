"""A funding report as one CSV file (UTF-8 with a byte order mark, comma-separated), in sections:

1. the title line, and the reporting period with its first and last day;
2. the summary by source (the fund, the partner contribution and, "of which", each of its sources with its
   legal status, then the total);
3. the summary by cost category (Jems's English category labels, then the total);
4. the indicators (and the note on those not recorded yet); in the project's report, its programme indicators when it has any
   (code, name, unit, target, previously reported, this report, cumulative, per cent of target, evidence);
5. the list of expenditure (LoE), last, so that it can be cut out as one table: Jems's columns in Jems's
   order with Jems's English headers, then ours.

Sections are separated by an empty line and start with their heading on a line of its own. Amounts are
plain numbers with a point and two decimals (`1234.50`, a credit note `-120.00`), dates are ISO
(`2025-01-31`), percentages have two decimals. The summaries' last column, "Level", says how rows add up:
1 for the rows that add up to the total, 2 for an "of which" part of the level-1 row above it, 0 for the
total, so that summing one level never counts an amount twice. Text cells that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) get a leading apostrophe.

How it is written (RFC 4180, but for the line ending): every line ends with a line feed (LF, which every
spreadsheet program reads), the LoE's too, as PostgreSQL's COPY writes them. A cell with a comma, a double
quote or a line break (CR or LF) in it is always in double quotes, its double quotes doubled. Before the LoE
no other cell is quoted; in the LoE every free-text column is, and ids, codes, fixed words, amounts and dates
are not. An empty cell is `""` or nothing at all: both read as empty.

The LoE rows are written by the database, never held in memory, and sent in chunks of bytes as they come
(`report.loe_csv`): on PostgreSQL by `COPY (the LoE query) TO STDOUT (FORMAT csv)` (its time is what
bench/funding_export.py compares the export with), elsewhere each item as one CSV line of the LoE query,
joined in batches. Python makes no Decimal, date or csv.writer call per LoE cell.
"""
from collections.abc import Iterable, Iterator
import csv
import io

from flask_babel import gettext as _

from bibnet.tenants.funding_reports.report import Report, SummaryRow
from bibnet.web.downloads import neutralised


def _amount(value):
    """A Decimal stays a number (the csv module writes it as 1234.50), so a negative amount is never taken for
    a formula and neutralised; None (nothing planned) is an empty cell."""
    return "" if value is None else value


def _cell(value):
    return neutralised(value) if isinstance(value, str) else value


def summary_header(first: str, with_status: bool) -> list[str]:
    status = [_("Legal status")] if with_status else []
    return [first, *status, _("Total eligible budget"), _("Previously reported"), _("Current report"), _("Total reported so far"), _("Reported so far, per cent of budget"), _("Remaining budget")]


def _summary_line(row: SummaryRow, with_status: bool) -> list:
    status = [row.legal_status] if with_status else []
    amounts = (row.planned, row.previously, row.this_period, row.cumulative, row.used, row.remaining)
    return [row.shown_label, *status, *(_amount(value) for value in amounts), row.level]


def _programme_indicator_lines(report: Report) -> list[list]:
    """The project's programme indicators (its report only, when it has any), then an empty line; counts are whole numbers."""
    if not report.programme_indicators:
        return []
    lines = [[_("Programme indicators")], report.programme_indicator_header()]
    lines += [[*line[:7], _amount(line[7]), line[8]] for line in report.programme_indicator_lines()]
    return [*lines, []]


def head_lines(report: Report) -> list[list]:
    """Everything before the LoE rows (its header included), translated: built before the first byte."""
    period = report.period
    lines: list[list] = [
        [report.title],
        [_("Reporting period"), period.number, period.starts_on.isoformat(), period.ends_on.isoformat()],
        [],
        [_("Summary by source")],
        [*summary_header(_("Source"), with_status=True), _("Level")],
        *(_summary_line(row, True) for row in report.sources),
        [],
        [_("Summary by cost category")],
        [*summary_header(_("Cost category"), with_status=False), _("Level")],
        *(_summary_line(row, False) for row in report.categories),
        [],
        [_("Indicators")],
        [_("Indicator"), *report.indicators.columns],
        *([label, *values] for label, values in report.indicators.rows),
        *([note] for note in report.indicators.notes),
        [],
        *_programme_indicator_lines(report),
        [_("List of expenditure")],
        report.loe_header(),
    ]
    return [[_cell(value) for value in line] for line in lines]


def _lines(rows: list[list]) -> str:
    """The rows as CSV lines ending in LF. csv.writer quotes a cell with a CR or LF in it only when both are
    in its line ending: it writes CRLF, and each line's own CRLF becomes LF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines = []
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        lines.append(buffer.getvalue()[:-2] + "\n")
    return "".join(lines)


def chunks(head: list[list], loe: Iterable[bytes]) -> Iterator[bytes]:
    """The file as chunks of UTF-8 bytes: the byte order mark and the head, then the LoE's chunks as they come."""
    yield ("\ufeff" + _lines(head)).encode()  # the byte order mark: spreadsheet programs then read the file as UTF-8
    yield from loe
