"""Turns the URL value `project_id` into the request's project, once per request, after the tenant resolver.

The one place where project access is decided; views get the project as their `project` argument and never
check access themselves:

- under `/projects/<project_id>/…` and `/api/v1/projects/<project_id>/…` (pages of a project, not of one
  tenant), the caller's standing in the project is set: its lead, or a platform admin. Anyone else gets
  404, as for an unknown project, so that projects cannot be probed. Views declare `project.lead`.
- under `/t/<slug>/…/<project_id>` (a partner's pages of a project), the project is found only when the
  current tenant is one of its partners; a lead visiting the tenant as its lead reaches only the projects
  they lead. Else 404.

The URL value `partner_id` names a partner of the request's project (the lead's pages of one partner).
"""
from flask import abort, current_app, g
from flask_login import current_user
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet import loading
from bibnet.access import ProjectStanding, TenantRole, current_role
from bibnet.extensions import db
from bibnet.tenancy.models import Partner, Project, ProjectLead

URL_ARGUMENT = "project_id"


def current_project() -> Project | None:
    return g.get("project")


def leads(user, project: Project) -> bool:
    statement = sa.select(ProjectLead.id).where(ProjectLead.project_id == project.id, ProjectLead.user_id == user.id)
    return db.session.scalar(statement) is not None


def standing_in(user, project: Project) -> ProjectStanding | None:
    if leads(user, project):
        return ProjectStanding.LEAD
    return ProjectStanding.ADMIN if user.is_admin else None


def _led_project(project_id: int) -> tuple[Project, ProjectStanding]:
    """A project page: the project with its partners and their tenants, for its lead or an admin."""
    project = db.session.scalar(
        sa.select(Project).where(Project.id == project_id).options(selectinload(Project.partners).joinedload(Partner.tenant))
    )
    standing = standing_in(current_user, project) if project is not None else None
    if standing is None:
        abort(404)
    return project, standing


def _partner_project(project_id: int) -> Project:
    """A partner's page: the project, if the current tenant is one of its partners (a visiting lead: one they lead)."""
    project = db.session.scalar(
        sa.select(Project)
        .join(Partner)
        .where(Project.id == project_id, Partner.tenant_id == g.tenant.id)
        .options(selectinload(Project.reporting_periods))
    )
    if project is None or (current_role() is TenantRole.LEAD and not leads(current_user, project)):
        abort(404)
    return project


def _resolve(endpoint, values) -> None:
    if not values or URL_ARGUMENT not in values:
        return
    project_id = values.pop(URL_ARGUMENT)
    if g.get("tenant") is not None:
        project = _partner_project(project_id)
    else:
        if not current_user.is_authenticated:
            abort(current_app.login_manager.unauthorized())
        project, g.project_standing = _led_project(project_id)
    g.project = values["project"] = project


def partner_of_project(partner_id: int) -> Partner | None:
    return next((partner for partner in current_project().partners if partner.id == partner_id), None)


def init_app(app) -> None:
    """After the tenant resolver (a partner's page needs the tenant), before the object loaders."""
    app.url_value_preprocessor(_resolve)


loading.register_loader("partner_id", "partner", partner_of_project)
