"""The project lead's task on their home: disposal requests of funded items waiting for their decision, in one
query over every project they lead (`bibnet.tasks`), none for a user who leads no project."""
from flask import g, url_for
from flask_babel import ngettext
import sqlalchemy as sa

from bibnet import tasks
from bibnet.extensions import db
from bibnet.tasks import Task, Urgency
from bibnet.tenancy.context import all_tenants
from bibnet.tenancy.models import Project, ProjectLead, Tenant
from bibnet.tenants.expenditure.models import Expenditure
from bibnet.tenants.inventory.durability.models import DisposalRequest
from bibnet.tenants.inventory.models import Item


def disposals_to_decide(user) -> list[Task]:
    led = g.get("led_projects")  # the user loader reads the projects the user leads (bibnet.web.panels.header_projects)
    if led is not None and not led:
        return []  # leads nothing: no query on every home of coordinators, staff and admins
    with all_tenants(reason="disposal requests waiting for the project lead's decision, for their home"):
        waiting = db.session.execute(
            sa.select(DisposalRequest.id, Tenant.slug, Tenant.name, Item.tag, Project.acronym)
            .join(Item, Item.id == DisposalRequest.item_id)
            .join(Expenditure, Expenditure.id == Item.expenditure_id)
            .join(Project, Project.id == Expenditure.project_id)
            .join(ProjectLead, ProjectLead.project_id == Project.id)
            .join(Tenant, Tenant.id == DisposalRequest.tenant_id)
            .where(ProjectLead.user_id == user.id, DisposalRequest.decision.is_(None))
            .order_by(DisposalRequest.requested_at, DisposalRequest.id)
            .limit(50)
        ).all()
    return [
        Task(
            label=ngettext(
                "%(num)d request of %(tenant)s to dispose of %(tag)s early waits for your decision (%(project)s)",
                "%(num)d requests of %(tenant)s to dispose of %(tag)s early wait for your decision (%(project)s)",
                1, tenant=name, tag=tag, project=acronym,
            ),
            count=1,
            url=url_for("durability.decide", tenant_slug=slug, disposal_id=disposal_id),
            urgency=Urgency.WAITING,
        )
        for disposal_id, slug, name, tag, acronym in waiting
    ]


tasks.register("durability.disposals_to_decide", disposals_to_decide)
