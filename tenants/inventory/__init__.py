"""Equipment inventory: the asset register, its locations and categories.

Lending (`bibnet.tenants.lending`), maintenance, stock-takes, labels and the funding link build on the
register; they change an item's status through `services.change_status` only.
"""
from bibnet.access import TenantRole, register_permission, roles

register_permission("inventory.view", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.LEAD, TenantRole.ADMIN))
register_permission("inventory.manage", roles(TenantRole.COORDINATOR, TenantRole.ADMIN))


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.tenants.inventory import api as inventory_api
    from bibnet.tenants.inventory import (
        durability,
        label_printing,
        models,  # noqa: F401  (the tables, for the migrations)
        room_equipment,
        services,
        stocktakes,
        views,
    )
    from bibnet.tenants.inventory.importing import init_app as init_import
    from bibnet.web.panels import register_page_section

    app.register_blueprint(views.bp)
    api.register_blueprint(inventory_api.blp)
    register_page_section("rooms.room", "inventory/_room_equipment.html", room_equipment.equipment_in_room, "inventory.view", order=30)
    services.on_status_change(room_equipment.tell_room_organisers)

    init_import(app)
    register_object_type("Item", _l("Equipment item"))
    register_object_type("Location", _l("Location"))
    register_object_type("Category", _l("Equipment category"))
    durability.init_app(app)
    stocktakes.init_app(app)
    label_printing.init_app(app)


def load_demo() -> None:
    from bibnet.tenants.inventory import durability, stocktakes
    from bibnet.tenants.inventory.demo import load_demo as load_register

    load_register()
    durability.load_demo()
    stocktakes.load_demo()
