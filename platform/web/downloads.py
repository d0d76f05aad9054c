"""What every spreadsheet download needs, whichever feature builds it: formula neutralisation, Excel's sheet
name rules, the XLSX media type, and a file sent in chunks; and the PDF maker, imported when a PDF is asked for.

A cell whose text starts with = + - @, a tab or a carriage return would run as a formula in a spreadsheet
program (CSV injection): CSV cells get a leading apostrophe, XLSX cells are stored as plain text.
"""
from collections.abc import Iterator
import logging
from types import ModuleType
from typing import IO

from flask import abort

log = logging.getLogger("bibnet.downloads")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_BYTES = 64 * 1024


def neutralised(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def sheet_title(title: str, fallback: str = "Sheet") -> str:
    """Excel refuses sheet names over 31 characters or with any of []:*?/\\ in them."""
    return "".join(" " if char in "[]:*?/\\" else char for char in title)[:31] or fallback


def file_chunks(file: IO[bytes]) -> Iterator[bytes]:
    """The file's bytes from where it stands, in chunks; the file is closed at the end (or when the client leaves)."""
    with file:
        while chunk := file.read(CHUNK_BYTES):
            yield chunk


def pdf_maker() -> ModuleType:
    """`bibnet.pdf`, imported on the first PDF: WeasyPrint needs Pango, a system library, and BibNet's other pages
    must work on a machine without it. Without it a PDF download is a 503 and the log says what to install."""
    try:
        from bibnet import pdf
    except (OSError, ImportError):
        log.exception("PDFs need WeasyPrint and Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core")
        abort(503)
    return pdf
