"""Demo rooms."""


def load_demo() -> None:
    """Two sensory rooms across the demo tenants, with opening hours (to come)."""
