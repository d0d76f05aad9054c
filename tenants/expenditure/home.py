"""The project lead's task on their home: expenditure submitted by the partners and waiting for verification
(registered with the core's `bibnet.tasks`), one grouped count over every project they lead."""
from flask import url_for
from flask_babel import ngettext
import sqlalchemy as sa

from bibnet import tasks
from bibnet.extensions import db
from bibnet.tasks import Task, Urgency
from bibnet.tenancy.context import all_tenants
from bibnet.tenancy.models import Project, ProjectLead, Tenant
from bibnet.tenants.expenditure.models import Expenditure, ExpenditureStatus


def items_to_verify(user) -> list[Task]:
    with all_tenants(reason="expenditure waiting for the project lead's verification, for their home"):
        waiting = db.session.execute(
            sa.select(Tenant.slug, Tenant.name, Project.id, Project.acronym, sa.func.count(Expenditure.id))
            .join(Tenant, Tenant.id == Expenditure.tenant_id)
            .join(Project, Project.id == Expenditure.project_id)
            .join(ProjectLead, ProjectLead.project_id == Expenditure.project_id)
            .where(ProjectLead.user_id == user.id, Expenditure.status == ExpenditureStatus.SUBMITTED, Expenditure.deleted_at.is_(None))
            .group_by(Tenant.slug, Tenant.name, Project.id, Project.acronym)
            .order_by(Project.acronym, Tenant.name)
        ).all()
    return [
        Task(
            label=ngettext(
                "%(num)d expenditure item of %(tenant)s waits for verification (%(project)s)",
                "%(num)d expenditure items of %(tenant)s wait for verification (%(project)s)",
                count, tenant=name, project=acronym,
            ),
            count=count,
            url=url_for("expenditure.items", tenant_slug=slug, project_id=project_id, status=ExpenditureStatus.SUBMITTED.value),
            urgency=Urgency.WAITING,
        )
        for slug, name, project_id, acronym, count in waiting
    ]


tasks.register("expenditure.items_to_verify", items_to_verify)
