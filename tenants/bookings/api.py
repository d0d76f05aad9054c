"""API: bookings and their occurrences."""
from flask_smorest import Blueprint

blp = Blueprint("api_bookings", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Bookings of the sensory rooms")
