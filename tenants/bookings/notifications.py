"""E-mails about bookings: to the organiser (when a contact e-mail was given) and to the coordinators.

Messages are queued on the database session and sent only after the transaction commits, so a refused
or rolled-back booking never sends mail.
"""


def booking_requested(booking) -> None:
    """A new request waits for approval: tell the tenant's coordinators."""


def occurrences_confirmed(booking, occurrences) -> None:
    """Tell the organiser which sessions are confirmed."""


def occurrences_rejected(occurrences) -> None:
    """Tell each organiser which sessions were rejected, and why."""


def occurrences_cancelled(occurrences) -> None:
    """Tell each organiser which sessions were cancelled."""


def init_app(app) -> None:
    """Hook the after-commit sending onto the session (to come)."""
