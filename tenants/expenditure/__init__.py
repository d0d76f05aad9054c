"""Expenditure: the partner's invoices and other cost items, in the fields of Jems's list of expenditure.

Items are drafted (by the coordinator, or by staff when the coordinator allows it), submitted by the
coordinator, and verified or rejected by the project lead; a submitted item cannot be edited, and deleting
one is a soft delete recorded in the audit log. Budgets learn what has been reported through
`budgets.spending`, which this feature fills when it starts.
"""
from flask import g

from bibnet.access import TenantRole, register_permission, roles
from bibnet.tenancy.context import current_tenant_id


def staff_may_draft() -> bool:
    """Whether the current tenant's coordinator lets staff draft expenditure (FinanceSettings). Read once per
    request and tenant: the menu and the permission check of every page a staff member opens ask it."""
    tenant_id = current_tenant_id()
    if tenant_id is None:
        return False
    known = g.setdefault("_bibnet_staff_may_draft", {})
    if tenant_id not in known:
        from bibnet.tenants.expenditure.services import settings_of_tenant

        known[tenant_id] = settings_of_tenant().staff_may_draft
    return known[tenant_id]


def _drafters(*others: TenantRole):
    def predicate(user, role) -> bool:
        return role in (TenantRole.COORDINATOR, TenantRole.ADMIN, *others) or (role is TenantRole.STAFF and staff_may_draft())

    return predicate


register_permission("expenditure.view", _drafters(TenantRole.LEAD))
register_permission("expenditure.draft", _drafters())
register_permission("expenditure.submit", roles(TenantRole.COORDINATOR, TenantRole.ADMIN))
register_permission("expenditure.decide", roles(TenantRole.LEAD, TenantRole.ADMIN))
register_permission("expenditure.settings", roles(TenantRole.COORDINATOR, TenantRole.ADMIN))


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.storage.views import guard_area
    from bibnet.tenants.budgets import spending
    from bibnet.tenants.expenditure import api as expenditure_api
    from bibnet.tenants.expenditure import (
        attachments,
        cli,
        home,  # noqa: F401  (registers the lead's task)
        models,  # noqa: F401  (the tables, for the migrations)
        services,
        views,
    )
    from bibnet.web import help

    app.register_blueprint(views.bp)
    api.register_blueprint(expenditure_api.blp)
    app.cli.add_command(cli.expenditure)
    spending.register(services.reported_by_category, services.periods_in_use, services.reported_periods)
    guard_area(attachments.AREA, attachments.may_see_attachment)
    guard_area(attachments.IMPORT_AREA, attachments.may_see_import_file)
    register_object_type("Expenditure", _l("Expenditure item"))
    register_object_type("FinanceSettings", _l("Expenditure settings"))
    help.register_help("import", _l("Importing expenditure"), "expenditure/help.html")


def load_demo() -> None:
    from bibnet.tenants.expenditure.demo import load_demo as load

    load()
