"""Staff e-learning: courses, enrolments, progress and certificates. Registered like `bibnet.tenants`."""


def init_app(app) -> None:
    from bibnet.elearning import models  # noqa: F401  (the tables, for the migrations)


def load_demo() -> None:
    """Demo courses (none yet)."""
