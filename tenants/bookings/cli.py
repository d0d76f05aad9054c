"""`bibnet bookings …`: the daily jobs (reminders, erasing organiser contacts)."""
from flask.cli import AppGroup

bookings = AppGroup("bookings", help="Daily jobs of the room bookings.")
