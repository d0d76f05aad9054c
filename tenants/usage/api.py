"""API: usage figures."""
from flask_smorest import Blueprint

blp = Blueprint("api_usage", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Usage figures of the sensory rooms")
