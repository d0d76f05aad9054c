"""Pages of the usage figures."""
from flask import Blueprint

bp = Blueprint("usage", __name__, url_prefix="/t/<tenant_slug>/usage", template_folder="templates")
