"""Stock-takes: confirming, location by location, that the register's items are where it says, by scanning
their labels with a phone (or typing their tags). A finished stock-take stamps each found item's
`last_stocktake_on`, the durability evidence that a funded item is still owned and in place."""
from bibnet.access import TenantRole, register_permission, roles

register_permission("inventory.stocktake", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.ADMIN))


def init_app(app) -> None:
    from bibnet.api import api
    from bibnet.tenants.inventory.stocktakes import api as stocktakes_api
    from bibnet.tenants.inventory.stocktakes import (
        models,  # noqa: F401  (the tables, for the migrations)
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(views.assets)
    api.register_blueprint(stocktakes_api.blp)


def load_demo() -> None:
    from bibnet.tenants.inventory.stocktakes.demo import load_demo as load

    load()
