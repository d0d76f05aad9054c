"""API: funding report downloads per partner and per project (`format=xlsx|csv|pdf`, `period=N`).

The files are the pages' downloads (downloads.py), streamed the same way; a wrong format or period is a
422 problem+json naming the query parameter. The project is found by the core before the query is read
(`bibnet.tenancy.projects`): one the caller may not reach is a 404, never a 422.
"""
from flask import g
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from bibnet.access import require
from bibnet.tenancy.models import Project, ReportingPeriod
from bibnet.tenants.funding_reports.downloads import FORMATS, MIMETYPES, download, period_message
from bibnet.tenants.funding_reports.report import build_partner_report, build_project_report, period_of

blp = Blueprint("api_funding", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Funding reports of a partner")
project_blp = Blueprint("api_funding_project", __name__, url_prefix="/api/v1/projects", description="Funding reports of a project, for its lead")


class ReportArgs(Schema):
    format = fields.String(
        required=True,
        validate=validate.OneOf(FORMATS, error=_l("Choose the format xlsx, csv or pdf.")),
        metadata={"description": "The file format: xlsx (four sheets), csv (one file in sections) or pdf (tagged PDF/UA)."},
    )
    period = fields.Integer(required=True, metadata={"description": "The number of the reporting period (1, 2, …)."})


FILE = {"schema": {"type": "string", "format": "binary"}}
DOWNLOAD = {
    "200": {
        "description": "The report as a file (Content-Disposition: attachment), streamed",
        "content": dict.fromkeys(MIMETYPES.values(), FILE),
    },
    "503": {"description": "A PDF was asked for, and the server lacks the system library that draws it (Pango)"},
}


def _period_or_422(project: Project, number: int) -> ReportingPeriod:
    period = period_of(project, number)
    if period is None:
        abort(422, messages={"query": {"period": [period_message(project)]}})
    return period


@blp.route("/projects/<int:project_id>/funding-report")
@require("funding.view")
@blp.arguments(ReportArgs, location="query", as_kwargs=True)
@blp.doc(responses=DOWNLOAD)
def partner_report(project, format, period):
    """The partner's funding report of one reporting period: summaries by source and cost category, list of expenditure, indicators"""
    return download(build_partner_report(project, _period_or_422(project, period), g.tenant), format)


@project_blp.route("/<int:project_id>/funding-report")
@require("project.lead")
@project_blp.arguments(ReportArgs, location="query", as_kwargs=True)
@project_blp.doc(responses=DOWNLOAD)
def project_report(project, format, period):
    """The project's funding report of one reporting period (its lead or an admin): every partner's rows summed"""
    return download(build_project_report(project, _period_or_422(project, period)), format)
