"""Partner budgets and co-financing: cost categories, budget versions and lines, contribution sources.

The co-financing arithmetic lives in `cofinancing.py` and nowhere else; plans and reported amounts use it alike.
The rules of the finance setup are in `finance.py`, those of budget versions in `versions.py`.
"""
from bibnet.access import TenantRole, register_permission, roles

register_permission("budget.view", roles(TenantRole.COORDINATOR, TenantRole.LEAD, TenantRole.ADMIN))
register_permission("budget.manage", roles(TenantRole.COORDINATOR, TenantRole.ADMIN))
register_permission("budget.approve", roles(TenantRole.LEAD, TenantRole.ADMIN))


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.tenants.budgets import api as budgets_api
    from bibnet.tenants.budgets import (
        home,  # noqa: F401  (registers the lead's task)
        models,  # noqa: F401  (the tables, for the migrations)
        setup_views,
        views,
    )
    from bibnet.web import help

    app.register_blueprint(views.bp)
    app.register_blueprint(setup_views.bp)
    api.register_blueprint(budgets_api.blp)
    api.register_blueprint(budgets_api.project_blp)
    register_object_type("FinanceSetup", _l("Project finance setup"))
    register_object_type("ContributionSource", _l("Co-financing source"))
    register_object_type("BudgetVersion", _l("Budget version"))
    register_object_type("BudgetLine", _l("Budget line"))
    help.register_help("budget", _l("Planning the budget"), "budgets/help.html")


def load_demo() -> None:
    from bibnet.tenants.budgets.demo import load_demo as load

    load()
