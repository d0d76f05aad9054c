"""Importing equipment into the register from a CSV or XLSX file (the core's `bibnet.imports`): pages, API
and the mapping each tenant's last file had."""


def init_app(app) -> None:
    from bibnet.access import allowed
    from bibnet.api import api
    from bibnet.storage.views import guard_area
    from bibnet.tenants.inventory.importing import api as import_api
    from bibnet.tenants.inventory.importing import models, views  # noqa: F401  (models: the table, for the migrations)

    app.register_blueprint(views.bp)
    api.register_blueprint(import_api.blp)
    guard_area(views.IMPORT_AREA, lambda stored: allowed("inventory.manage"))
