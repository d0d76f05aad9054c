"""Staff e-learning: courses, enrolments, progress and certificates. Registered like `bibnet.tenants`."""


def init_app(app) -> None:
    """No e-learning pages yet."""


def load_demo() -> None:
    """Demo courses (none yet)."""
