"""The booking and session a page or API call names (`booking_id`, `occurrence_id` in the URL), loaded by the
core before the view runs (`bibnet.loading`), through the tenant guard: another tenant's, or none, is a 404
whatever the request body holds."""
from sqlalchemy.orm import joinedload

from bibnet.loading import register_loader
from bibnet.tenancy.queries import get_or_404
from bibnet.tenants.bookings.models import Booking, Occurrence


def visible_booking(booking_id: int) -> Booking:
    """With its room and responsible person, which its pages show."""
    return get_or_404(Booking, booking_id, joinedload(Booking.room), joinedload(Booking.responsible))


def visible_occurrence(occurrence_id: int) -> Occurrence:
    return get_or_404(Occurrence, occurrence_id, joinedload(Occurrence.booking))


register_loader("booking_id", "booking", visible_booking)
register_loader("occurrence_id", "occurrence", visible_occurrence)
