"""A funding report as an XLSX workbook (openpyxl, write-only), with four sheets: the summary by source,
the summary by cost category, the list of expenditure (named like Jems's `List_of_expenditures_R{n}_{LP1}_…`,
with Jems's columns, order and English headers, then ours) and the indicators; the project's report has a fifth,
its programme indicators, when it has any.

The partner contribution's sources are indented "of which" rows under it, so that the fund, the
contribution and the total read as Jems shows them and no column sum counts a source twice.

Amounts are real numeric cells formatted `#,##0.00` (a credit note is a negative number), the conversion
rate has six decimals, dates are date cells. Text is always stored as text, so a description starting with
= + - @ is never run as a formula; characters XML cannot hold are dropped.

Rows are written as they come from the database; openpyxl keeps each sheet in a temporary file, and the
finished workbook is read back from a temporary file in chunks, so no sheet is ever held in memory.
"""
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
import tempfile

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font

from bibnet.tenants.funding_reports.report import DATE_COLUMNS, MONEY_COLUMNS, RATE_COLUMNS, Report, SummaryRow
from bibnet.tenants.funding_reports.report_csv import summary_header
from bibnet.web.downloads import file_chunks, sheet_title

MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00"
RATE_FORMAT = "0.000000"
DATE_FORMAT = "yyyy-mm-dd"


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


class _Cells:
    """Makes the cells of one sheet: text never a formula, numbers with their format."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.bold = Font(bold=True)

    def text(self, value: str, bold: bool = False, indent: int = 0) -> Cell:
        cell = WriteOnlyCell(self.sheet, value=_clean(value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if bold:
            cell.font = self.bold
        if indent:
            cell.alignment = Alignment(indent=indent)
        return cell

    def number(self, value, number_format: str, bold: bool = False) -> Cell | None:
        if value is None:
            return None
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.number_format = number_format
        if bold:
            cell.font = self.bold
        return cell

    def any(self, value):
        return self.text(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class _Words:
    """The workbook's translated words, worked out before the first byte is sent."""

    period: str
    sources_sheet: str
    sources_header: list[str]
    categories_sheet: str
    categories_header: list[str]
    indicators_sheet: str
    indicators_header: list[str]
    programme_sheet: str
    programme_header: list[str]
    loe_header: list[str]

    @classmethod
    def of(cls, report: Report) -> "_Words":
        return cls(
            period=_("Reporting period"),
            sources_sheet=_("Summary by source"),
            sources_header=summary_header(_("Source"), with_status=True),
            categories_sheet=_("By cost category"),
            categories_header=summary_header(_("Cost category"), with_status=False),
            indicators_sheet=_("Indicators"),
            indicators_header=[_("Indicator"), *report.indicators.columns],
            programme_sheet=_("Programme indicators"),
            programme_header=report.programme_indicator_header(),
            loe_header=report.loe_header(),
        )


def _title_rows(cells: _Cells, report: Report, words: _Words) -> None:
    period = report.period
    cells.sheet.append([cells.text(report.title, bold=True)])
    cells.sheet.append([cells.text(words.period), period.number, cells.number(period.starts_on, DATE_FORMAT), cells.number(period.ends_on, DATE_FORMAT)])
    cells.sheet.append([])


def _summary_sheet(workbook: Workbook, report: Report, words: _Words, title: str, header: list[str], rows: list[SummaryRow], with_status: bool) -> None:
    sheet = workbook.create_sheet(sheet_title(title))
    sheet.column_dimensions["A"].width = 40
    cells = _Cells(sheet)
    _title_rows(cells, report, words)
    sheet.append([cells.text(label, bold=True) for label in header])
    for row in rows:
        bold = row.is_total
        status = [cells.text(row.legal_status)] if with_status else []
        amounts = [cells.number(value, MONEY_FORMAT, bold) for value in (row.planned, row.previously, row.this_period, row.cumulative)]
        sheet.append([
            cells.text(row.shown_label, bold, indent=2 if row.is_part else 0), *status, *amounts,
            cells.number(row.used, PERCENT_FORMAT, bold), cells.number(row.remaining, MONEY_FORMAT, bold),
        ])


def _indicator_sheet(workbook: Workbook, report: Report, words: _Words) -> None:
    sheet = workbook.create_sheet(sheet_title(words.indicators_sheet))
    sheet.column_dimensions["A"].width = 50
    cells = _Cells(sheet)
    _title_rows(cells, report, words)
    sheet.append([cells.text(label, bold=True) for label in words.indicators_header])
    for index, (label, values) in enumerate(report.indicators.rows):
        if report.indicators.is_money(index):
            sheet.append([cells.text(label), *(cells.number(value, MONEY_FORMAT, False) for value in values)])
        else:
            sheet.append([cells.text(label), *(cells.any(value) for value in values)])
    for note in report.indicators.notes:
        sheet.append([cells.text(note)])


def _programme_indicator_sheet(workbook: Workbook, report: Report, words: _Words) -> None:
    """The project's programme indicators as Jems's project report asks: code, name, unit, target, previously
    reported, this report, cumulative, % of target and the evidence; numbers are numeric cells."""
    sheet = workbook.create_sheet(sheet_title(words.programme_sheet))
    sheet.column_dimensions["B"].width = 50
    sheet.column_dimensions["I"].width = 60
    cells = _Cells(sheet)
    _title_rows(cells, report, words)
    sheet.append([cells.text(label, bold=True) for label in words.programme_header])
    for code, name, unit, *numbers, percent, evidence in report.programme_indicator_lines():
        shown = [cells.number(value, "0" if isinstance(value, int) else MONEY_FORMAT) for value in numbers]
        sheet.append([cells.text(code), cells.text(name), cells.text(unit), *shown, cells.number(percent, PERCENT_FORMAT), cells.text(evidence)])


def loesheet_title(report: Report) -> str:
    who = "all" if report.is_project else report.partners[0].code
    return sheet_title(f"List_of_expenditures_R{report.period.number}_{who}_{report.project.id}")


def _loe_sheet(workbook: Workbook, report: Report, header: list[str], loe_batches: Iterable[list]) -> None:
    """One row per item. One cell per column is made once and refilled for every row: openpyxl writes a
    row completely inside `append`, and a new styled cell per value would take most of the time."""
    sheet = workbook.create_sheet(loesheet_title(report))
    sheet.freeze_panes = "A2"
    cells = _Cells(sheet)
    sheet.append([cells.text(label, bold=True) for label in header])
    columns = []  # (the column's cell, whether it holds text)
    for name in header:
        cell = WriteOnlyCell(sheet)
        number_format = MONEY_FORMAT if name in MONEY_COLUMNS else RATE_FORMAT if name in RATE_COLUMNS else DATE_FORMAT if name in DATE_COLUMNS else None
        if number_format:
            cell.number_format = number_format
        columns.append((cell, number_format is None))
    for batch in loe_batches:
        for row in batch:
            line = []
            for value, (cell, is_text) in zip(row, columns, strict=True):
                if value is None:
                    line.append(None)
                    continue
                if is_text and isinstance(value, str):
                    cell.value = _clean(value)
                    cell.data_type = "s"
                else:
                    cell.value = value
                line.append(cell)
            sheet.append(line)


def chunks(report: Report, loe_batches: Iterable[list]) -> Iterator[bytes]:
    """The workbook as bytes, in chunks; every word is translated now, before the first byte."""
    return _workbook_chunks(report, _Words.of(report), loe_batches)


def _workbook_chunks(report: Report, words: _Words, loe_batches: Iterable[list]) -> Iterator[bytes]:
    workbook = Workbook(write_only=True)
    _summary_sheet(workbook, report, words, words.sources_sheet, words.sources_header, report.sources, with_status=True)
    _summary_sheet(workbook, report, words, words.categories_sheet, words.categories_header, report.categories, with_status=False)
    _loe_sheet(workbook, report, words.loe_header, loe_batches)
    _indicator_sheet(workbook, report, words)
    if report.programme_indicators:
        _programme_indicator_sheet(workbook, report, words)
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        yield from file_chunks(file)
