"""The audit log's pages: a tenant's (its coordinator), a project's (its lead) and the whole platform's
(admins). They differ only in their scope, built from what the request was allowed to reach; the query and
the page are the same (`log.entries_page`, `audit/log.html`)."""
from flask import Blueprint, g, render_template, request
from flask_babel import lazy_gettext as _l

from bibnet.access import TenantRole, register_permission, require, roles
from bibnet.audit import log
from bibnet.audit.forms import AuditFilterForm
from bibnet.web import menu, panels
from bibnet.web.i18n import select_timezone

register_permission("audit.view", roles(TenantRole.COORDINATOR, TenantRole.ADMIN))

tenant_bp = Blueprint("audit", __name__, url_prefix="/t/<tenant_slug>/audit")
project_bp = Blueprint("audit_project", __name__, url_prefix="/projects/<int:project_id>/audit")
admin_bp = Blueprint("audit_admin", __name__, url_prefix="/admin/audit")

menu.register(_l("Audit log"), "audit.index", "audit.view")
panels.register_project_link(_l("Audit log of the partners"), "audit_project.index_of_project")


def _log_page(scope: log.AuditScope, tenant_choices: list[tuple[int, str]] | None, heading, endpoint: str, url_values: dict):
    """The page of `scope`'s entries; `tenant_choices` None: one tenant's page, with no choice of library."""
    zone = select_timezone()
    form = AuditFilterForm(formdata=request.args, tenants=tenant_choices, actors=log.actors_in(scope))
    form.validate()
    entries = log.entries_page(scope, form.filters(zone))
    shown_filters = {name: value for name, value in request.args.items() if name in form._fields and value.strip()}
    return render_template(
        "audit/log.html",
        form=form,
        page=entries,
        shown_filters=shown_filters,
        page_arguments=url_values | shown_filters,
        zone=zone,
        show_tenant=tenant_choices is not None,
        page_has_errors=form.has_problems,
        heading=heading,
        endpoint=endpoint,
        url_values=url_values,
    ), 422 if form.has_problems else 200


@tenant_bp.route("/")
@require("audit.view")
def index():
    return _log_page(log.AuditScope.of_tenant(g.tenant), None, heading=_l("Audit log of %(name)s", name=g.tenant.name), endpoint="audit.index", url_values={})


@project_bp.route("/")
@require("project.lead")
def index_of_project(project):
    scope = log.AuditScope.of_project(project)
    tenants = sorted(((partner.tenant.id, partner.tenant.name) for partner in project.partners), key=lambda choice: choice[1])
    return _log_page(scope, tenants, heading=_l("Audit log of the partners of %(acronym)s", acronym=project.acronym), endpoint="audit_project.index_of_project", url_values={"project_id": project.id})


@admin_bp.route("/")
@require("admin")
def index_of_everything():
    scope = log.AuditScope.everything()
    return _log_page(scope, log.tenants_in(scope), heading=_l("Audit log"), endpoint="audit_admin.index_of_everything", url_values={})
