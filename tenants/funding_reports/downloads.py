"""Funding report downloads per reporting period: a partner's and the project's, as XLSX, CSV or PDF."""
from flask import Blueprint

bp = Blueprint("funding_downloads", __name__, url_prefix="/t/<tenant_slug>/funding", template_folder="templates")
project_bp = Blueprint("funding_project_downloads", __name__, url_prefix="/projects/<int:project_id>/funding", template_folder="templates")
