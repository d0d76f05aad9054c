"""The project, budget version and line a budget page or API call names, or 404.

The tenant guard limits versions and lines to the current tenant; a project lead visiting a partner tenant
reaches only the projects they lead, not every project of that tenant.
"""
import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from bibnet.access import TenantRole, current_role
from bibnet.extensions import db
from bibnet.tenancy.models import Project, ProjectLead
from bibnet.tenancy.queries import get_or_404, partner_project_or_404
from bibnet.tenants.budgets.models import BudgetLine, BudgetVersion


def budget_project_or_404(project_id: int) -> Project:
    project = partner_project_or_404(project_id)
    if current_role() is TenantRole.LEAD:
        leads = db.session.scalar(sa.select(ProjectLead.id).where(ProjectLead.project_id == project.id, ProjectLead.user_id == current_user.id))
        if leads is None:
            abort(404)
    return project


def version_or_404(project: Project, number: int) -> BudgetVersion:
    version = db.session.scalar(sa.select(BudgetVersion).where(BudgetVersion.project_id == project.id, BudgetVersion.number == number))
    if version is None:
        abort(404)
    return version


def line_or_404(project: Project, line_id: int) -> BudgetLine:
    line = get_or_404(BudgetLine, line_id, joinedload(BudgetLine.version), selectinload(BudgetLine.periods))
    if line.version.project_id != project.id:
        abort(404)
    return line
