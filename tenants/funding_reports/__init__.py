"""Funding reports: planned against reported per cost category and per co-financing source, per partner
and for the project; the dashboards that show them and the report downloads (XLSX, CSV, PDF).

Reported amounts are split with the same rule as the plan (budgets/cofinancing.py).
"""
import logging

from bibnet.access import TenantRole, register_permission, roles

# WeasyPrint (the PDF reports) logs each step of parsing its own stylesheets at INFO when it is imported,
# which would print on every `bibnet` command; its warnings and errors still show.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

register_permission("funding.view", roles(TenantRole.COORDINATOR, TenantRole.LEAD, TenantRole.ADMIN))


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from bibnet.api import api
    from bibnet.tenants.funding_reports import api as reports_api
    from bibnet.tenants.funding_reports import dashboards, downloads, programme_indicators
    from bibnet.web import help

    app.register_blueprint(dashboards.bp)
    app.register_blueprint(dashboards.project_bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(downloads.project_bp)
    api.register_blueprint(reports_api.blp)
    api.register_blueprint(reports_api.project_blp)
    help.register_help("reports", _l("Funding dashboards and reports"), "funding_reports/help.html")
    programme_indicators.init_app(app)


def load_demo() -> None:
    from bibnet.tenants.funding_reports import programme_indicators

    programme_indicators.load_demo()
