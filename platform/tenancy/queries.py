"""Loading single rows by id in a way the tenant guard covers, and the projects a page may show."""
import sqlalchemy as sa
from flask import abort, g
from flask_login import current_user
from sqlalchemy.orm import selectinload

from bibnet.access import TenantRole, current_role
from bibnet.extensions import db
from bibnet.tenancy.context import current_tenant_id
from bibnet.tenancy.mixins import TenantScopedMixin
from bibnet.tenancy.models import Partner, Project, ProjectLead


def get_or_404(model, object_id, *options):
    """The row with this id, if the current tenant may see it; else 404. `options` are loader options
    (e.g. `joinedload(Model.related)`) for what the page shows next to it.

    A SELECT, not `session.get`: the identity map would answer without the guard's filter. The tenant is
    re-checked anyway, because an object already loaded is returned from the map as it is.
    """
    obj = db.session.scalar(sa.select(model).where(model.id == object_id).options(*options))
    if obj is None:
        abort(404)
    if isinstance(obj, TenantScopedMixin) and obj.tenant_id != current_tenant_id():
        abort(404)
    return obj


def project_for_lead_or_404(project_id: int) -> Project:
    """The project, with its partners and their tenants, if the current user leads it or is an admin; else 404.

    Decided here and not by the tenant resolver: these pages belong to a project, not to one tenant, so they
    have no /t/<slug>/ prefix and no tenant role. 404 rather than 403, so that projects cannot be probed.
    """
    project = db.session.scalar(
        sa.select(Project).where(Project.id == project_id).options(selectinload(Project.partners).joinedload(Partner.tenant))
    )
    if project is None:
        abort(404)
    if not current_user.is_admin and not _leads(project):
        abort(404)
    return project


def partner_project_or_404(project_id: int) -> Project:
    """The project, if the current tenant is one of its partners; else 404 (pages under /t/<slug>/).

    A project lead visits partner tenants as their lead (`TenantRole.LEAD`): there they reach only the
    projects they lead, not every project the tenant takes part in.
    """
    project = db.session.scalar(
        sa.select(Project).join(Partner).where(Project.id == project_id, Partner.tenant_id == g.tenant.id).options(selectinload(Project.reporting_periods))
    )
    if project is None:
        abort(404)
    if current_role() is TenantRole.LEAD and not _leads(project):
        abort(404)
    return project


def _leads(project: Project) -> bool:
    return db.session.scalar(sa.select(ProjectLead.id).where(ProjectLead.project_id == project.id, ProjectLead.user_id == current_user.id)) is not None


def projects_of_current_tenant() -> list[Project]:
    """The projects the current tenant is a partner of, oldest first; for a visiting lead, those they lead."""
    statement = sa.select(Project).join(Partner).where(Partner.tenant_id == g.tenant.id)
    if current_role() is TenantRole.LEAD:
        statement = statement.join(ProjectLead, ProjectLead.project_id == Project.id).where(ProjectLead.user_id == current_user.id)
    return list(db.session.scalars(statement.order_by(Project.starts_on, Project.id)))
