"""A funding report as a tagged PDF (PDF/UA-1): the document title and language, headings, tables with
header cells and captions, money formatted in the reader's language.

The core's `bibnet.pdf` renders `funding_reports/report_pdf.html` with no base URL and a fetcher that refuses
every outside URL, so the PDF never loads anything from outside (fonts are the system's). The summaries always cover
every item; the list of expenditure shows the first PDF_ROWS items and says so when it is cut: the full
list is in the XLSX and CSV downloads. The PDF is written to a temporary file, streamed out in chunks.
"""
from contextlib import closing
from itertools import chain
from typing import IO

from babel.dates import format_date
from flask import render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from bibnet import pdf
from bibnet.tenants.funding_reports.report import DATE_COLUMNS, JEMS_COLUMNS, MONEY_COLUMNS, LoeRows, Report
from bibnet.web.i18n import formatting_locale

PDF_ROWS = 2000
# The LoE columns the PDF shows (a page is too narrow for all of Jems's): by their Jems header.
PDF_COLUMNS = (
    "ID", "Cost category", "Internal reference no.", "Invoice no.", "Invoice date", "Date of payment",
    "Description", "Total invoice value", "Declared amount", "Declared amount in EUR",
)
# How wide each LoE column is, relative to the others: the table has a fixed layout, so it is exactly as wide
# as the page whatever the language of its headers; long words wrap (hyphenated) inside their column.
COLUMN_WEIGHTS = {
    "ID": 4, "Cost category": 10, "Internal reference no.": 8, "Invoice no.": 8, "Invoice date": 7, "Date of payment": 7,
    "Description": 15, "Total invoice value": 9, "Declared amount": 9, "Declared amount in EUR": 9,
}
OUR_COLUMN_WEIGHT = {0: 11, 1: 5}  # the supplier; the partner's code (in the project's report)

# Programme names as the programmes publish them in each language; a name not known here is shown as stored.
PROGRAMME_NAMES = {
    "Interreg VI-A Latvia–Lithuania Programme 2021–2027": _l("Interreg VI-A Latvia–Lithuania Programme 2021–2027"),
}


def programme_name(stored: str) -> str:
    return str(PROGRAMME_NAMES.get(stored, stored))


def numeric_day(day) -> str:
    """A day in digits, in the reader's order (31/12/2025, 31.12.2025, 2025-12-31), with the year's four digits:
    the locale's short pattern, which in Latvian would print 31.12.25."""
    locale = formatting_locale()
    pattern = locale.date_formats["short"].pattern
    if "yyyy" not in pattern:
        pattern = pattern.replace("yy", "y")
    return format_date(day, pattern, locale=locale)


def column_widths(names: list[str], ours: int) -> list[str]:
    """Each shown LoE column's width in per cent of the table, in order (Jems's columns, then ours)."""
    weights = [COLUMN_WEIGHTS[name] for name in names[: len(names) - ours]]
    weights += [OUR_COLUMN_WEIGHT[1], OUR_COLUMN_WEIGHT[0]] if ours == 2 else [OUR_COLUMN_WEIGHT[0]] * ours
    whole = sum(weights)
    return [f"{100 * weight / whole:.2f}%" for weight in weights]


def _kind(name: str) -> str:
    """How the template shows a column: money in the item's currency or in EUR, a date, or as it is."""
    if name == "Declared amount in EUR":
        return "eur"
    if name in MONEY_COLUMNS:
        return "money"
    return "date" if name in DATE_COLUMNS else "plain"


def render(report: Report) -> IO[bytes]:
    """The PDF in a temporary file, at its start; the caller closes it."""
    header = report.loe_header()
    with closing(LoeRows(report, limit=PDF_ROWS + 1)) as batches:
        rows = list(chain.from_iterable(batches))
    ours = header[len(JEMS_COLUMNS):-1]  # the partner (in the project's report) and the supplier; not the status
    shown = [*PDF_COLUMNS, *ours]
    columns = [(header.index(name), name, _kind(name), width) for name, width in zip(shown, column_widths(shown, len(ours)), strict=True)]
    html = render_template(
        "funding_reports/report_pdf.html",
        report=report,
        programme=programme_name(report.project.programme),
        numeric_day=numeric_day,
        language=str(get_locale()),
        columns=columns,
        currency_column=header.index("Currency"),
        rows=rows[:PDF_ROWS],
        cut=len(rows) > PDF_ROWS,
        limit=PDF_ROWS,
    )
    return pdf.render(html)
