"""The budget version and line a budget page or API call names (`version_number`, `line_id` in the URL),
loaded by the core before the view runs (`bibnet.loading`): only those of the request's project.

The tenant guard limits versions and lines to the current tenant; the project resolver limits a project
lead visiting a partner tenant to the projects they lead.
"""
import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from bibnet.extensions import db
from bibnet.loading import register_loader
from bibnet.tenancy.projects import current_project
from bibnet.tenancy.queries import get_or_404
from bibnet.tenants.budgets.models import BudgetLine, BudgetVersion


def version_of_project(number: int) -> BudgetVersion | None:
    return db.session.scalar(sa.select(BudgetVersion).where(BudgetVersion.project_id == current_project().id, BudgetVersion.number == number))


def line_of_project(line_id: int) -> BudgetLine | None:
    line = get_or_404(BudgetLine, line_id, joinedload(BudgetLine.version), selectinload(BudgetLine.periods))
    return line if line.version.project_id == current_project().id else None


register_loader("version_number", "version", version_of_project)
register_loader("line_id", "line", line_of_project)
