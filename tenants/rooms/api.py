"""API: the tenant's rooms."""
from flask_smorest import Blueprint

blp = Blueprint("api_rooms", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Sensory rooms")
