"""A funding report as an XLSX workbook, with four sheets: the summary by source, the summary by cost category,
the list of expenditure (named like Jems's `List_of_expenditures_R{n}_{LP1}_…`, with Jems's columns, order and
English headers, then ours) and the indicators; the project's report has a fifth, its programme indicators,
when it has any.

The partner contribution's sources are indented "of which" rows under it, so that the fund, the
contribution and the total read as Jems shows them and no column sum counts a source twice.

Amounts are real numeric cells formatted `#,##0.00` (a credit note is a negative number), the conversion
rate has six decimals, dates are date cells. Text is always stored as text (inline strings), so a
description starting with = + - @ is never run as a formula; characters XML cannot hold are dropped.

The workbook is written here as the XML of SpreadsheetML into a ZIP stream, not through a spreadsheet library:
a library's cell objects and calls per cell took 270–300 s for a million LoE rows (openpyxl) and about
three minutes in XlsxWriter's constant-memory mode, while one string per row, built from a writer chosen once
per column, takes a small part of that (bench/funding_export.py). Nothing is held but the current batch of
rows and the compressor's window: the first bytes leave before the LoE query's first row is read, and the
rest as each batch of rows is compressed.
"""
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
import re
import zipfile

from flask_babel import gettext as _

from bibnet.tenants.funding_reports.report import DATE_COLUMNS, MONEY_COLUMNS, RATE_COLUMNS, Report, SummaryRow
from bibnet.tenants.funding_reports.report_csv import summary_header
from bibnet.web.downloads import sheet_title

# The cell styles, in the order of styles.xml's cellXfs (a cell's `s` attribute is its index there).
PLAIN, BOLD, MONEY, MONEY_BOLD, PERCENT, PERCENT_BOLD, RATE, DAY, INDENTED, INDENTED_BOLD, WHOLE = range(11)
MONEY_FORMAT = "#,##0.00"
RATE_FORMAT = "0.000000"
DATE_FORMAT = "yyyy-mm-dd"

# Characters XML 1.0 cannot hold (dropped) and the ones it must escape.
_NEEDS_CARE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", **{chr(code): None for code in (*range(9), 11, 12, *range(14, 32))}})
EXCEL_EPOCH = date(1899, 12, 30).toordinal()
COMPRESS_LEVEL = 3  # 1–9: 3 compresses the rows' XML nearly as well as 6 in about half the time


def _xml(text: str) -> str:
    return text.translate(_ESCAPES) if _NEEDS_CARE.search(text) else text


def _letters(index: int) -> str:
    """The column's letters: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text_cell(reference: str, text: str, style: int = PLAIN) -> str:
    styled = f' s="{style}"' if style else ""
    return f'<c r="{reference}"{styled} t="inlineStr"><is><t xml:space="preserve">{_xml(text)}</t></is></c>'


def _number_cell(reference: str, value, style: int = PLAIN) -> str:
    styled = f' s="{style}"' if style else ""
    return f'<c r="{reference}"{styled}><v>{value}</v></c>'


def _serial(day: date) -> int:
    """A date as Excel's day number (a date cell is a number with a date format)."""
    return (day.date() if isinstance(day, datetime) else day).toordinal() - EXCEL_EPOCH


def _cell(reference: str, value, style: int = PLAIN) -> str:
    """Any value: text as text, a date as a date cell, a number as a number; None is no cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _text_cell(reference, value, style)
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, date):
        return _number_cell(reference, _serial(value), DAY)
    return _number_cell(reference, value, style)


class _Sheet:
    """One worksheet's XML, row by row."""

    def __init__(self, widths: dict[int, int] | None = None, frozen_header: bool = False):
        self.rows = 0
        view = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>') if frozen_header else ""
        columns = "".join(f'<col min="{index + 1}" max="{index + 1}" width="{width}" customWidth="1"/>' for index, width in sorted((widths or {}).items()))
        self.head = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'{view}<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{columns}</cols>" if columns else ""}<sheetData>'
        )

    def row(self, values: Iterable) -> str:
        """A row of (value, style) pairs or plain values; None leaves the cell empty."""
        self.rows += 1
        number = self.rows
        cells = []
        for index, item in enumerate(values):
            value, style = item if isinstance(item, tuple) else (item, PLAIN)
            cells.append(_cell(f"{_letters(index)}{number}", value, style))
        return f'<row r="{number}">{"".join(cells)}</row>'

    tail = "</sheetData></worksheet>"


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


def _title_rows(sheet: _Sheet, report: Report, words: _Words) -> list[str]:
    period = report.period
    return [sheet.row([(report.title, BOLD)]), sheet.row([words.period, period.number, period.starts_on, period.ends_on]), sheet.row([])]


def _header(sheet: _Sheet, labels: list[str]) -> str:
    return sheet.row((label, BOLD) for label in labels)


def _summary_sheet(report: Report, words: _Words, header: list[str], rows: list[SummaryRow], with_status: bool) -> Iterator[str]:
    sheet = _Sheet(widths={0: 40})
    yield sheet.head
    yield from _title_rows(sheet, report, words)
    yield _header(sheet, header)
    for row in rows:
        bold = row.is_total
        label_style = (INDENTED_BOLD if bold else INDENTED) if row.is_part else (BOLD if bold else PLAIN)
        money = MONEY_BOLD if bold else MONEY
        status = [row.legal_status] if with_status else []
        amounts = [(value, money) for value in (row.planned, row.previously, row.this_period, row.cumulative)]
        yield sheet.row([(row.shown_label, label_style), *status, *amounts, (row.used, PERCENT_BOLD if bold else PERCENT), (row.remaining, money)])
    yield sheet.tail


def _indicator_sheet(report: Report, words: _Words) -> Iterator[str]:
    sheet = _Sheet(widths={0: 50})
    yield sheet.head
    yield from _title_rows(sheet, report, words)
    yield _header(sheet, words.indicators_header)
    for index, (label, values) in enumerate(report.indicators.rows):
        style = MONEY if report.indicators.is_money(index) else PLAIN
        yield sheet.row([label, *((value, style) for value in values)])
    for note in report.indicators.notes:
        yield sheet.row([note])
    yield sheet.tail


def _programme_indicator_sheet(report: Report, words: _Words) -> Iterator[str]:
    """The project's programme indicators as Jems's project report asks: code, name, unit, target, previously
    reported, this report, cumulative, % of target and the evidence; numbers are numeric cells."""
    sheet = _Sheet(widths={1: 50, 8: 60})
    yield sheet.head
    yield from _title_rows(sheet, report, words)
    yield _header(sheet, words.programme_header)
    for code, name, unit, *numbers, percent, evidence in report.programme_indicator_lines():
        shown = [(value, WHOLE if isinstance(value, int) else MONEY) for value in numbers]
        yield sheet.row([code, name, unit, *shown, (percent, PERCENT), evidence])
    yield sheet.tail


def loesheet_title(report: Report) -> str:
    who = "all" if report.is_project else report.partners[0].code
    return sheet_title(f"List_of_expenditures_R{report.period.number}_{who}_{report.project.id}")


def _column_writer(letters: str, name: str) -> Callable[[object, str], str]:
    """How one LoE column writes a value (never None) of row `number` (text): chosen once per column."""
    prefix = f'<c r="{letters}'
    if name in MONEY_COLUMNS or name in RATE_COLUMNS:
        style = MONEY if name in MONEY_COLUMNS else RATE
        return lambda value, number: f'{prefix}{number}" s="{style}"><v>{value}</v></c>'
    if name in DATE_COLUMNS:
        return lambda value, number: f'{prefix}{number}" s="{DAY}"><v>{_serial(value)}</v></c>'

    def any_value(value, number):
        if isinstance(value, str):
            return f'{prefix}{number}" t="inlineStr"><is><t xml:space="preserve">{_xml(value)}</t></is></c>'
        return f'{prefix}{number}"><v>{value}</v></c>'

    return any_value


def _loe_sheet(header: list[str], loe_batches: Iterable[list]) -> Iterator[str]:
    """One row per item, a batch of rows as one string."""
    sheet = _Sheet(frozen_header=True)
    yield sheet.head + _header(sheet, header)
    writers = [_column_writer(_letters(index), name) for index, name in enumerate(header)]
    number = 1
    for batch in loe_batches:
        lines = []
        for row in batch:
            number += 1
            text = str(number)
            cells = "".join([write(value, text) for value, write in zip(row, writers, strict=True) if value is not None])
            lines.append(f'<row r="{text}">{cells}</row>')
        yield "".join(lines)
    yield sheet.tail


# --- The package around the sheets ------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _content_types(sheets: int) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{number}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for number in range(1, sheets + 1)
    )
    return (
        f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>"
    )


def _workbook(titles: list[str]) -> str:
    sheets = "".join(f'<sheet name="{_xml(title)}" sheetId="{number}" r:id="rId{number}"/>' for number, title in enumerate(titles, 1))
    return f'{_XML_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><bookViews><workbookView/></bookViews><sheets>{sheets}</sheets></workbook>'


def _workbook_relationships(sheets: int) -> str:
    links = "".join(f'<Relationship Id="rId{number}" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet{number}.xml"/>' for number in range(1, sheets + 1))
    styles = f'<Relationship Id="rId{sheets + 1}" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>'
    return f'{_XML_HEAD}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">{links}{styles}</Relationships>'


_ROOT_RELATIONSHIPS = (
    f'{_XML_HEAD}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def _styles() -> str:
    """The cell styles PLAIN … WHOLE, in that order (numFmtId 2 is Excel's built-in "0.00", 1 is "0")."""
    def xf(number_format: int = 0, bold: bool = False, indent: int = 0) -> str:
        applied = (' applyNumberFormat="1"' if number_format else "") + (' applyFont="1"' if bold else "") + (' applyAlignment="1"' if indent else "")
        alignment = f'<alignment indent="{indent}"/>' if indent else ""
        return f'<xf numFmtId="{number_format}" fontId="{int(bold)}" fillId="0" borderId="0" xfId="0"{applied}>{alignment}</xf>'

    cells = [xf(), xf(bold=True), xf(164), xf(164, bold=True), xf(2), xf(2, bold=True), xf(165), xf(166), xf(indent=2), xf(bold=True, indent=2), xf(1)]
    return (
        f'{_XML_HEAD}<styleSheet xmlns="{_MAIN}">'
        f'<numFmts count="3"><numFmt numFmtId="164" formatCode="{MONEY_FORMAT}"/><numFmt numFmtId="165" formatCode="{RATE_FORMAT}"/>'
        f'<numFmt numFmtId="166" formatCode="{DATE_FORMAT}"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(cells)}">{"".join(cells)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )


class _Sink:
    """Where the ZIP stream writes: bytes kept until the next chunk is taken (a stream without seeking, so
    zipfile writes each part's sizes after its data)."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def taken(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def chunks(report: Report, loe_batches: Iterable[list]) -> Iterator[bytes]:
    """The workbook as bytes, in chunks; every word is translated now, before the first byte."""
    return _workbook_chunks(report, _Words.of(report), loe_batches)


def _workbook_chunks(report: Report, words: _Words, loe_batches: Iterable[list]) -> Iterator[bytes]:
    sheets = [
        (words.sources_sheet, _summary_sheet(report, words, words.sources_header, report.sources, with_status=True)),
        (words.categories_sheet, _summary_sheet(report, words, words.categories_header, report.categories, with_status=False)),
        (loesheet_title(report), _loe_sheet(words.loe_header, loe_batches)),
        (words.indicators_sheet, _indicator_sheet(report, words)),
    ]
    if report.programme_indicators:
        sheets.append((words.programme_sheet, _programme_indicator_sheet(report, words)))
    titles = [sheet_title(title) for title, _parts in sheets]
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as package:
        package.writestr("[Content_Types].xml", _content_types(len(sheets)))
        package.writestr("_rels/.rels", _ROOT_RELATIONSHIPS)
        package.writestr("xl/workbook.xml", _workbook(titles))
        package.writestr("xl/_rels/workbook.xml.rels", _workbook_relationships(len(sheets)))
        package.writestr("xl/styles.xml", _styles())
        for number, (_title, parts) in enumerate(sheets, 1):
            # The LoE's size is not known before its rows are written: its part may need ZIP64's sizes.
            with package.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as part:
                for text in parts:
                    part.write(text.encode())
                    if sink.parts:
                        yield sink.taken()
    if sink.parts:
        yield sink.taken()

