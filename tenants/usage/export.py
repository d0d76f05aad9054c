"""The usage figures as downloads: CSV (UTF-8) and XLSX, streamed, one row per room (or partner) and month.

Both carry the same rows: the months, then the total of the period; after them, the figures other features
register (`bibnet.figures`: equipment, lending, services at home, training...), one row per library (or partner)
and figure, masked across partners as the usage pages show them. Cells holding text that a spreadsheet
would run as a formula (starting with = + - @, a tab or a carriage return) are neutralised: in CSV with a
leading apostrophe, in XLSX by storing them as plain text. Numbers are real numbers in XLSX.

The response body is a plain generator that needs no request context (so no stream_with_context): the
figures are read and every text is translated before the first byte is sent, so a failure still gets
its error page instead of a cut-off file.
"""
from collections.abc import Iterable, Iterator
import csv
import io
from itertools import chain
import tempfile

from flask import Response
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from bibnet.tenants.usage.figures import HOURS, MEASURES, PERCENT, Measures, MonthFigures, ProjectFigures, UsageFigures
from bibnet.web.downloads import XLSX_TYPE, file_chunks, neutralised, sheet_title
from bibnet.web.i18n import format_date


def _month_label(month: MonthFigures) -> str:
    return month.month.strftime("%Y-%m")


def _measure_cells(measures: Measures, across_tenants: bool) -> list:
    return [measures.shown(measure, across_tenants) for measure in MEASURES]


def _other_rows(width: int, heading: str, names: list[str], others: list[dict] | None) -> list[list]:
    """The other features' figures after the rooms' rows: a blank row, a heading row, then per library (or
    partner) and figure its label, unit and value as shown (`other_figures` of the usage pages), padded to `width`.
    A list, translated now: the download's body is sent outside the request."""
    if not others:
        return []
    padding = [None] * (width - 4)
    rows = [[None] * width, [heading, _("Figure"), _("Unit"), _("Value"), *padding]]
    for row in others:
        rows += [[name, str(row["figure"].label), str(row["figure"].unit), value, *padding] for name, value in zip(names, row["values"], strict=True)]
    return rows


def tenant_rows(figures: UsageFigures, others: list[dict] | None = None, library: str = "") -> tuple[list[str], Iterator[list]]:
    """The header and the rows of a tenant's figures: per room and month, then the room's total; then the other
    features' figures (`others`, rows of the usage page's `other_figures`)."""
    header = [_("Library"), _("Room"), _("Month")] + [str(measure.label) for measure in MEASURES]
    period = _period_label(figures.period)
    other_rows = _other_rows(len(header), _("Library"), [library], others)

    def rows():
        for room in figures.rooms:
            for month in room.months:
                yield [room.library, room.name, _month_label(month), *_measure_cells(month.measures, False)]
            yield [room.library, room.name, period, *_measure_cells(room.total, False)]
        yield from other_rows

    return header, rows()


def project_rows(figures: ProjectFigures, others: list[dict] | None = None) -> tuple[list[str], Iterator[list]]:
    """The header and the rows of a project's figures per partner and month; counts of 1 to 4 are "<5". Then the
    other features' figures per partner, masked alike (`others`, rows of the project page's `other_figures`)."""
    header = [_("Partner"), _("Municipality"), _("Month")] + [str(measure.label) for measure in MEASURES]
    period = _period_label(figures.period)
    other_rows = _other_rows(len(header), _("Partner"), [partner.code for partner in figures.partners], others)

    def rows():
        for partner in figures.partners:
            for month in partner.months:
                yield [partner.code, partner.tenant_name, _month_label(month), *_measure_cells(month.measures, True)]
            yield [partner.code, partner.tenant_name, period, *_measure_cells(partner.total, True)]
        yield from other_rows

    return header, rows()


def _period_label(period) -> str:
    """The label of a total row: the year, or the first and last day of another period."""
    if period.first.month == 1 and period.first.day == 1 and period.last == period.first.replace(month=12, day=31):
        return _("Total %(year)d", year=period.first.year)
    return _("Total %(first)s – %(last)s", first=format_date(period.first, "short"), last=format_date(period.last, "short"))


def _csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"  # the byte order mark: spreadsheet programs then read the file as UTF-8
    for row in chain([header], rows):
        writer.writerow(["" if cell is None else neutralised(cell) if isinstance(cell, str) else cell for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _xlsx_chunks(title: str, header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    # openpyxl is imported on the first workbook, not at start: about 8 MB per worker (bench/worker_memory.py).
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title, "Usage"))
    bold = Font(bold=True)
    formats = [None, None, None] + ["0.0" if measure.kind in (HOURS, PERCENT) else "0" for measure in MEASURES]
    sheet.append([_text_cell(sheet, label, bold) for label in header])
    for row in rows:
        cells = []
        for cell_value, number_format in zip(row, formats, strict=True):
            if isinstance(cell_value, str):
                cells.append(_text_cell(sheet, cell_value))
            else:
                cell = WriteOnlyCell(sheet, value=cell_value)
                if number_format:
                    cell.number_format = number_format
                cells.append(cell)
        sheet.append(cells)
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        yield from file_chunks(file)


def _text_cell(sheet, text: str, font=None):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if font is not None:
        cell.font = font
    return cell


def _download_name(name: str, year_or_period: str, extension: str) -> str:
    return f"{secure_filename(f'usage-{name}-{year_or_period}') or 'usage'}.{extension}"


def csv_response(header: list[str], rows: Iterator[list], name: str, period_label: str) -> Response:
    return Response(
        _csv_lines(header, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{_download_name(name, period_label, "csv")}"'},
    )


def xlsx_response(header: list[str], rows: Iterator[list], name: str, period_label: str, sheet_title: str) -> Response:
    return Response(
        _xlsx_chunks(sheet_title, header, rows),
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{_download_name(name, period_label, "xlsx")}"'},
    )


FORMATS = ("csv", "xlsx")


def response(file_format: str, header: list[str], rows: Iterator[list], name: str, period_label: str, sheet_title: str) -> Response:
    """The figures as a CSV or XLSX download (`file_format` is one of FORMATS)."""
    if file_format == "csv":
        return csv_response(header, rows, name, period_label)
    return xlsx_response(header, rows, name, period_label, sheet_title)
