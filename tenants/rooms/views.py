"""Pages of the rooms: list, the room's page, and the coordinator's room settings, hours and closures."""
from flask import Blueprint

bp = Blueprint("rooms", __name__, url_prefix="/t/<tenant_slug>/rooms", template_folder="templates")
