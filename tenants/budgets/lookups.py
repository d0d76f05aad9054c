"""The project, budget version and line a budget page or API call names, or 404.

The tenant guard limits versions and lines to the current tenant; `partner_project_or_404` limits a project
lead visiting a partner tenant to the projects they lead.
"""
import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload, selectinload

from bibnet.extensions import db
from bibnet.tenancy.models import Project
from bibnet.tenancy.queries import get_or_404
from bibnet.tenants.budgets.models import BudgetLine, BudgetVersion


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
