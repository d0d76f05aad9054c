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

The LoE rows are streamed from the database in batches, each item already written as one CSV line by the
database (no Python Decimal, date or csv.writer call per cell: measured three times faster in
bench/funding_export.py), and sent a batch at a time; the file is never held in memory. In those lines
every free-text field is in double quotes.
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


def chunks(head: list[list], loe_batches: Iterable[list]) -> Iterator[str]:
    """The file as text chunks: the byte order mark and the head, then one chunk per batch of LoE lines.

    The database writes each LoE line (`report.loe_statement(shape=CSV_LINES)`): free text quoted and
    neutralised, amounts and dates as above; Python only joins them.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flushed() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerows(head)
    yield "\ufeff" + flushed()  # the byte order mark: spreadsheet programs then read the file as UTF-8
    for rows in loe_batches:
        yield "".join([row[0] + "\r\n" for row in rows])
