"""Usage figures of the sensory rooms: sessions, hours booked against open hours, no-shows, visitors."""
from bibnet.access import TenantRole, register_permission, roles

register_permission("usage.view", roles(TenantRole.COORDINATOR, TenantRole.LEAD, TenantRole.ADMIN))


def init_app(app) -> None:
    from bibnet import figures
    from bibnet.api import api
    from bibnet.tenants.usage import api as usage_api
    from bibnet.tenants.usage import report_figures, views

    app.register_blueprint(views.bp)
    app.register_blueprint(views.project_bp)
    api.register_blueprint(usage_api.blp)
    api.register_blueprint(usage_api.project_blp)
    figures.register(report_figures.SOURCE)
