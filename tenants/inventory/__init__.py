"""Equipment inventory: the asset register, its locations and categories.

Lending (`bibnet.tenants.lending`), maintenance, stock-takes, labels and the funding link build on the
register; they change an item's status through `services.change_status` only.
"""
from bibnet.access import TenantRole, register_permission, roles

register_permission("inventory.view", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.LEAD, TenantRole.ADMIN))
register_permission("inventory.manage", roles(TenantRole.COORDINATOR, TenantRole.ADMIN))


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from bibnet.audit.labels import register_object_type
    from bibnet.tenants.inventory import (
        labels,
        models,  # noqa: F401  (the tables, for the migrations)
        stocktakes,
    )

    register_object_type("Item", _l("Equipment item"))
    register_object_type("Location", _l("Location"))
    register_object_type("Category", _l("Equipment category"))
    stocktakes.init_app(app)
    labels.init_app(app)


def load_demo() -> None:
    from bibnet.tenants.inventory import stocktakes

    stocktakes.load_demo()
