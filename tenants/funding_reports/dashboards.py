"""Dashboards: a partner's planned against reported figures, and a project's partners side by side for its lead."""
from flask import Blueprint

bp = Blueprint("funding", __name__, url_prefix="/t/<tenant_slug>/funding", template_folder="templates")
project_bp = Blueprint("funding_project", __name__, url_prefix="/projects/<int:project_id>/funding", template_folder="templates")
