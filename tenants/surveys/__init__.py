"""Impact surveys: a shared item bank per outcome area in plain, easy-read and large-print forms, templates,
runs about a programme, a room or a course, anonymous responses online, on paper or assisted, and results
with small numbers suppressed.
"""
from bibnet.access import TenantRole, register_permission, roles

# Results: the library's own staff see its suppressed results; only its coordinator downloads the anonymous answers.
register_permission("surveys.results.view", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.ADMIN))
register_permission("surveys.results.answers", roles(TenantRole.COORDINATOR))


def init_app(app) -> None:
    from bibnet import figures
    from bibnet.api import api
    from bibnet.tenants.surveys import (
        models,  # noqa: F401  (the tables, for the migrations)
        results_api,
        results_figures,
        results_views,
    )

    app.register_blueprint(results_views.bp)
    app.register_blueprint(results_views.project_bp)
    api.register_blueprint(results_api.blp)
    figures.register(results_figures.SOURCE)
