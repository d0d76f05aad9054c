"""Demo rooms and bookings."""


def load_demo() -> None:
    """Rooms with opening hours, a weekly club and a week of past and future sessions (to come)."""
