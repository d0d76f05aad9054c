"""Tenant-scoped features: every model here carries `TenantScopedMixin`.

The app calls `init_app(app)` (listed in the FEATURES setting); each feature package registers its
blueprints, API, menu entries and permissions from here. The core never imports this package.
Features import one way too: bookings use rooms, usage figures use both; rooms know neither;
expenditure uses budgets; the inventory uses rooms, bookings and
expenditure; lending uses the inventory; home visits use lending's borrowers and the inventory;
maintenance uses the inventory; programmes use bookings and organisations; outreach uses
organisations, programmes and home visits; surveys use programmes,
rooms and e-learning's courses.
"""
from bibnet.tenants import (
    bookings,
    budgets,
    expenditure,
    funding_reports,
    home_visits,
    inventory,
    lending,
    maintenance,
    organisations,
    outreach,
    programmes,
    rooms,
    surveys,
    usage,
)

FEATURES = (rooms, bookings, usage, budgets, expenditure, inventory, lending, home_visits, maintenance, organisations, programmes, outreach, surveys, funding_reports)


def init_app(app) -> None:
    for feature in FEATURES:
        feature.init_app(app)


def load_demo() -> None:
    """Demo data of the tenant features, in the order they depend on each other."""
    for feature in FEATURES:
        if hasattr(feature, "load_demo"):
            feature.load_demo()
