"""The PDF funding reports fit the page in English, Latvian and Lithuanian: every column of every table is on
the page (no text outside the page box), each table's header is there, rows are never split over two pages,
dates are day-month-year, and the texts, the programme's name included, are in the reader's language."""
import io
import re

import pypdf
import pytest
from report_demo import DEMO_PASSWORD, item
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.expenditure import services
from bibnet.tenants.funding_reports.report import JEMS_COLUMNS
from bibnet.tenants.funding_reports.report_pdf import PDF_COLUMNS

from conftest import log_in, post_form

pytest_plugins = ["report_demo"]

HEADERS = {
    "en": ["Source", "Legal status", "Total eligible budget", "Previously reported", "Current report", "Total reported so far", "Reported so far, per cent of budget", "Remaining budget"],
    "lv": ["Avots", "Juridiskais statuss"],
    "lt": ["Šaltinis", "Teisinis statusas"],
}
PROGRAMME = {
    "en": "Interreg VI-A Latvia–Lithuania Programme 2021–2027",
    "lv": "Interreg VI-A Latvijas–Lietuvas programma 2021.–2027. gadam",
    "lt": "2021–2027 m. Interreg VI-A Latvijos ir Lietuvos programa",
}


def pdf_in(client, project, language: str) -> pypdf.PdfReader:
    log_in(client, "lead@pasvalys.example", DEMO_PASSWORD)
    post_form(client, "/language", {"locale": language, "next": "/"}, page="/")
    response = client.get(f"/projects/{project.id}/funding/report.pdf?period=4")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return pypdf.PdfReader(io.BytesIO(response.data))


def fragments(page) -> list[tuple[str, float, float]]:
    """The page's text pieces with where they start (x, y in points)."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            matrix = pypdf.mult(tm, cm)
            found.append((text, matrix[4], matrix[5]))

    page.extract_text(visitor_text=visit)
    return found


def words(reader) -> str:
    """The text layer as words: lines joined, and words hyphenated at a line's end joined again."""
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(re.sub(r"[\u2010\u00ad-]\s*\n\s*", "", text).split())


@pytest.mark.parametrize("language", ["en", "lv", "lt"])
def test_every_table_fits_the_page_with_all_its_columns(demo_project, client, language):
    reader = pdf_in(client, demo_project, language)
    for page in reader.pages:
        box = page.mediabox
        assert box.width > box.height  # landscape
        for text, x, y in fragments(page):
            assert 0 <= x < float(box.width) and 0 <= y < float(box.height), f"{text!r} at ({x:.0f}, {y:.0f}) is off the {language} page"
            # a fragment starting inside may still run out: its end at the font size of 7 pt at most about 0.6 em a character
            assert x + len(text.strip()) * 7 * 0.45 < float(box.width) + 1, f"{text!r} runs off the {language} page"
    text = words(reader)
    for header in HEADERS[language]:
        assert header in text
    loe = [name for name in PDF_COLUMNS if name in JEMS_COLUMNS]
    for header in loe:
        assert all(part in text for part in header.split()), header


@pytest.mark.parametrize("language", ["en", "lv", "lt"])
def test_dates_are_day_month_year_and_the_programme_is_in_the_readers_language(demo_project, client, language):
    text = words(pdf_in(client, demo_project, language))
    assert PROGRAMME[language] in text
    assert {"en": "10/02/2026", "lv": "10.02.2026", "lt": "2026-02-10"}[language] in text  # the items' invoice date
    assert not re.search(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2}\b", text)  # never 2/10/26 nor 10.02.26


def test_no_table_row_is_split_over_two_pages(demo_project, client):
    """Sixty items with descriptions of several lines run the list over pages: each item's row, from its
    reference to the last word of its description, is on one page."""
    jelgava = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "jelgava"))
    with tenant_scope(jelgava):
        long_text = "Sensory room equipment delivered installed and checked with the supplier " * 3
        items = [services.create(item(f"LONG-{number:02d}", 4, "equipment", "10.00", description=f"{long_text}end{number:02d}"), demo_project) for number in range(60)]
        services.submit(items)
        db.session.commit()
    reader = pdf_in(client, demo_project, "lt")
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) > 3
    for number in range(60):
        starts = [index for index, text in enumerate(texts) if f"REF-LONG-{number:02d}" in " ".join(text.split()).replace("- ", "-")]
        ends = [index for index, text in enumerate(texts) if f"end{number:02d}" in text]
        assert len(starts) == 1 and starts == ends, f"item {number} starts on page {starts} and ends on {ends}"
