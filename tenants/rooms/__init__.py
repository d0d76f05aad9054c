"""Sensory reading rooms: the room record, its opening hours and its closures.

Bookings of a room live in `bibnet.tenants.bookings`; this package knows nothing about them.
"""
from bibnet.access import TenantRole, register_permission, roles

register_permission("rooms.manage", roles(TenantRole.COORDINATOR, TenantRole.ADMIN))


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.tenants.rooms import api as rooms_api
    from bibnet.tenants.rooms import (
        models,  # noqa: F401  (the tables, for the migrations)
        views,
    )

    app.register_blueprint(views.bp)
    api.register_blueprint(rooms_api.blp)
    register_object_type("Room", _l("Room"))
    register_object_type("Closure", _l("Closure"))


def load_demo() -> None:
    from bibnet.tenants.rooms.demo import load_demo as load

    load()
