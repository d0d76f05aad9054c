"""Tenant-scoped features: every model here carries `TenantScopedMixin`.

The app calls `init_app(app)` (listed in the FEATURES setting); each feature package registers its
blueprints, API, menu entries and permissions from here. The core never imports this package.
"""


def init_app(app) -> None:
    """No tenant features yet: sensory rooms, equipment and budgets arrive here."""


def load_demo() -> None:
    """Demo data of the tenant features (none yet)."""
