"""Tagged PDFs (PDF/UA-1) drawn by WeasyPrint from a feature's HTML: the funding reports, the training certificates.

The HTML is rendered with no base URL and a fetcher that refuses every URL but `data:` ones (an image the document
carries inside itself, such as the EU emblem or a QR code), so a PDF never loads anything from outside and uses the
system's fonts only. WeasyPrint needs Pango, a system library: import this module lazily (`bibnet.web.downloads.pdf`)
so that every other page works on a machine without it.
"""
import logging
import tempfile
from typing import IO

from weasyprint import HTML
from weasyprint.urls import URLFetcher

# WeasyPrint logs each step of parsing its own stylesheets at INFO; its warnings and errors still show.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class NoFetching(URLFetcher):
    """Refuses every URL but a `data:` one: a PDF is made only of its own HTML and the system's fonts."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"a PDF loads nothing from outside: {url}")


def render(html: str) -> IO[bytes]:
    """The tagged PDF of `html` in a temporary file, at its start; the caller closes it."""
    file = tempfile.TemporaryFile()  # noqa: SIM115  (closed by the caller once sent, or below on a failure)
    try:
        HTML(string=html, base_url=None, url_fetcher=NoFetching()).write_pdf(file, pdf_variant="pdf/ua-1")
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file
