"""Funding report downloads per reporting period (`?period=N`): a partner's (`funding_downloads`, its
coordinator, the project lead visiting it, an admin) and the project's (`funding_project_downloads`, the
project's lead or an admin), as XLSX, CSV or PDF.

The report's figures are read and every word is translated before the response starts; the list of
expenditure's query gets its tenant scope then too, and its rows are fetched while the file streams (the
CSV's, on PostgreSQL, through COPY), from a database session of the download's own that is closed when the
stream ends (or breaks off, which is logged).
"""
from collections.abc import Generator
import logging

from flask import Blueprint, abort, g, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from bibnet.access import require
from bibnet.tenancy.models import Project, ReportingPeriod
from bibnet.tenants.funding_reports import report_csv, report_xlsx
from bibnet.tenants.funding_reports.report import TYPED, LoeRows, Report, build_partner_report, build_project_report, loe_csv, period_of
from bibnet.web.downloads import XLSX_TYPE, file_chunks
from bibnet.web.fields import parse_whole_number

log = logging.getLogger("bibnet.funding_reports")

bp = Blueprint("funding_downloads", __name__, url_prefix="/t/<tenant_slug>/funding", template_folder="templates")
project_bp = Blueprint("funding_project_downloads", __name__, url_prefix="/projects/<int:project_id>/funding", template_folder="templates")

FORMATS = ("xlsx", "csv", "pdf")
MIMETYPES = {"xlsx": XLSX_TYPE, "csv": "text/csv", "pdf": "application/pdf"}


def requested_period(project: Project, raw: str | None) -> ReportingPeriod | None:
    """The reporting period numbered `raw` (the `period` argument), or None when there is no such period."""
    raw = (raw or "").strip()
    number = parse_whole_number(raw)
    return period_of(project, number) if number is not None else None


def period_message(project: Project) -> str:
    numbers = ", ".join(str(period.number) for period in project.reporting_periods)
    if not numbers:
        return _("This project has no reporting periods yet, so there is no report to download.")
    return _("Choose the reporting period of the report: one of %(numbers)s.", numbers=numbers)


def _period_refused(project: Project):
    return render_template("errors/error.html", code=422, title=_("No such reporting period"), explanation=period_message(project)), 422


class _Stream:
    """A download's body: its chunks, then the LoE rows' session closed, however the stream ends."""

    def __init__(self, chunks: Generator, rows, what: str):
        """`rows`: the LoE's rows or CSV chunks (`LoeRows`, `loe_csv`), whose `close()` ends their session."""
        self._chunks, self._rows, self._what = chunks, rows, what

    def __iter__(self):
        try:
            yield from self._chunks
        except Exception:
            log.exception("the download of %s broke off", self._what)
            raise
        finally:
            self.close()

    def close(self) -> None:
        self._chunks.close()  # a workbook's temporary file, if the client went away mid-way
        self._rows.close()


def _pdf_renderer():
    """The PDF module, imported on the first PDF: WeasyPrint needs Pango, a system library, and BibNet's other
    pages must work on a machine without it. Without it a PDF download is a 503 and the log says what to install."""
    try:
        from bibnet.tenants.funding_reports import report_pdf
    except (OSError, ImportError):
        log.exception("PDF reports need WeasyPrint and Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core")
        abort(503)
    return report_pdf


def download(report: Report, file_format: str) -> Response:
    """The report as a file; `file_format` is one of FORMATS."""
    filename = f"{report.file_stem}.{file_format}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if file_format == "pdf":
        return Response(file_chunks(_pdf_renderer().render(report)), mimetype=MIMETYPES["pdf"], headers=headers)
    rows = loe_csv(report) if file_format == "csv" else LoeRows(report, TYPED)
    try:
        chunks = report_csv.chunks(report_csv.head_lines(report), rows) if file_format == "csv" else report_xlsx.chunks(report, rows)
    except BaseException:
        rows.close()
        raise
    return Response(_Stream(chunks, rows, filename), mimetype=MIMETYPES[file_format], headers=headers)


@bp.route("/<int:project_id>/report.<any(xlsx, csv, pdf):file_format>", endpoint="report")
@require("funding.view")
def partner_report(project, file_format):
    period = requested_period(project, request.args.get("period"))
    if period is None:
        return _period_refused(project)
    return download(build_partner_report(project, period, g.tenant), file_format)


@project_bp.route("/report.<any(xlsx, csv, pdf):file_format>", endpoint="report")
@require("project.lead")
def project_report(project, file_format):
    period = requested_period(project, request.args.get("period"))
    if period is None:
        return _period_refused(project)
    return download(build_project_report(project, period), file_format)
