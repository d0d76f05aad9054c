"""A funding report as a tagged PDF (PDF/UA-1): the document title and language, headings, tables with
header cells and captions, money formatted in the reader's language.

WeasyPrint renders `funding_reports/report_pdf.html` with no base URL and a fetcher that refuses every
URL, so the PDF never loads anything from outside (fonts are the system's). The summaries always cover
every item; the list of expenditure shows the first PDF_ROWS items and says so when it is cut: the full
list is in the XLSX and CSV downloads. The PDF is written to a temporary file, streamed out in chunks.
"""
from contextlib import closing
from itertools import chain
import tempfile
from typing import IO

from flask import render_template
from flask_babel import get_locale
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from bibnet.tenants.funding_reports.report import DATE_COLUMNS, JEMS_COLUMNS, MONEY_COLUMNS, LoeRows, Report

PDF_ROWS = 2000
# The LoE columns the PDF shows (a page is too narrow for all of Jems's): by their Jems header.
PDF_COLUMNS = (
    "ID", "Cost category", "Internal reference no.", "Invoice no.", "Invoice date", "Date of payment",
    "Description", "Total invoice value", "Declared amount", "Declared amount in EUR",
)


def _kind(name: str) -> str:
    """How the template shows a column: money in the item's currency or in EUR, a date, or as it is."""
    if name == "Declared amount in EUR":
        return "eur"
    if name in MONEY_COLUMNS:
        return "money"
    return "date" if name in DATE_COLUMNS else "plain"


class NoFetching(URLFetcher):
    """Refuses every URL: a report is made only of its own HTML and the system's fonts."""

    def fetch(self, url, headers=None):
        raise ValueError(f"a funding report loads nothing from outside: {url}")


def render(report: Report) -> IO[bytes]:
    """The PDF in a temporary file, at its start; the caller closes it."""
    header = report.loe_header()
    with closing(LoeRows(report, limit=PDF_ROWS + 1)) as batches:
        rows = list(chain.from_iterable(batches))
    ours = header[len(JEMS_COLUMNS):-1]  # the partner (in the project's report) and the supplier; not the status
    columns = [(header.index(name), name, _kind(name)) for name in (*PDF_COLUMNS, *ours)]
    html = render_template(
        "funding_reports/report_pdf.html",
        report=report,
        language=str(get_locale()),
        columns=columns,
        currency_column=header.index("Currency"),
        rows=rows[:PDF_ROWS],
        cut=len(rows) > PDF_ROWS,
        limit=PDF_ROWS,
    )
    file = tempfile.TemporaryFile()  # noqa: SIM115  (closed by chunks() once sent, or below on a failure)
    try:
        HTML(string=html, base_url=None, url_fetcher=NoFetching()).write_pdf(file, pdf_variant="pdf/ua-1")
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file
