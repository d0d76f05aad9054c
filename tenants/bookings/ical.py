"""The read-only iCal feed of a room, at a secret URL."""
from flask import Blueprint

bp = Blueprint("ical", __name__)
