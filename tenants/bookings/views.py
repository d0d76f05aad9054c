"""Pages of the bookings: day, week and list views, the free-slot search, the booking form, attendance."""
from flask import Blueprint

bp = Blueprint("bookings", __name__, url_prefix="/t/<tenant_slug>/bookings", template_folder="templates")
