"""Maintenance of the equipment: schedules per item or per category (every so many months, or after each
return), the due list, records with cost and supplier, reminders, and sending an item to maintenance and back
(through `inventory.services.change_status`)."""
from bibnet.access import TenantRole, register_permission, roles

register_permission("maintenance.manage", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.ADMIN))


def init_app(app) -> None:
    from datetime import time, timedelta

    from flask_babel import lazy_gettext as _l

    from bibnet import jobs
    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.tenants.inventory import services as inventory
    from bibnet.tenants.maintenance import api as maintenance_api
    from bibnet.tenants.maintenance import (
        home,
        models,  # noqa: F401  (the tables, for the migrations)
        section,  # noqa: F401  (the item page's maintenance section)
        services,
        views,
    )

    app.register_blueprint(views.bp)
    api.register_blueprint(maintenance_api.blp)
    register_object_type("MaintenanceSchedule", _l("Maintenance schedule"))
    register_object_type("MaintenanceRecord", _l("Maintenance record"))
    inventory.on_status_change(services.tasks_after_return)
    jobs.register(app, "maintenance.digest", timedelta(days=1), lambda now: f"mailed {home.send_digests(now)} maintenance digest(s)", at=time(7))


def load_demo() -> None:
    from bibnet.tenants.maintenance.demo import load_demo as load

    load()
