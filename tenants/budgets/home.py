"""The project lead's task on their home: partner budget drafts (an original or a modification) waiting for their
approval, registered with the core's `bibnet.tasks`; one query over every project they lead."""
from flask import url_for
from flask_babel import ngettext
import sqlalchemy as sa

from bibnet import tasks
from bibnet.extensions import db
from bibnet.tasks import Task, Urgency
from bibnet.tenancy.context import all_tenants
from bibnet.tenancy.models import Project, ProjectLead, Tenant
from bibnet.tenants.budgets.models import BudgetVersion


def drafts_to_approve(user) -> list[Task]:
    with all_tenants(reason="budget drafts waiting for the project lead's approval, for their home"):
        drafts = db.session.execute(
            sa.select(Tenant.slug, Tenant.name, Project.id, Project.acronym, BudgetVersion.number)
            .join(Tenant, Tenant.id == BudgetVersion.tenant_id)
            .join(Project, Project.id == BudgetVersion.project_id)
            .join(ProjectLead, ProjectLead.project_id == BudgetVersion.project_id)
            .where(ProjectLead.user_id == user.id, BudgetVersion.approved_on.is_(None))
            .order_by(Project.acronym, Tenant.name)
        ).all()
    # A partner has at most one draft per project: each is a task of its own, linked to its page.
    return [
        Task(
            label=ngettext(
                "%(num)d budget draft of %(tenant)s waits for approval (%(project)s)",
                "%(num)d budget drafts of %(tenant)s wait for approval (%(project)s)",
                1, tenant=name, project=acronym,
            ),
            count=1,
            url=url_for("budget.version", tenant_slug=slug, project_id=project_id, version_number=number),
            urgency=Urgency.WAITING,
        )
        for slug, name, project_id, acronym, number in drafts
    ]


tasks.register("budgets.drafts_to_approve", drafts_to_approve)
