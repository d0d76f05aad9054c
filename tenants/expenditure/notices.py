"""Who hears of expenditure through the core's notifications (`bibnet.notifications.notify`): the project's
leads when a partner submits items, the partner's coordinators when the lead verifies or rejects one. Called by
the services in the transaction of the change, so a refused or rolled-back change tells nobody."""
from flask_babel import lazy_gettext as _l

from bibnet import mail, notifications
from bibnet.extensions import db
from bibnet.tenancy.context import current_tenant_id
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenants.expenditure.models import Expenditure, ExpenditureStatus


def _link(endpoint: str, tenant: Tenant, **values) -> str:
    return mail.link(endpoint, tenant_slug=tenant.slug, **values)


def submitted(items: list[Expenditure]) -> None:
    tenant = db.session.get(Tenant, current_tenant_id())
    for project_id in sorted({item.project_id for item in items}):
        project = db.session.get(Project, project_id)
        count = sum(1 for item in items if item.project_id == project_id)
        notifications.notify(
            notifications.project_leads(project_id),
            "expenditure.submitted",
            _l("%(tenant)s submitted expenditure for verification (%(project)s)", tenant=tenant.name, project=project.acronym),
            "expenditure/mail/submitted.txt",
            _link("expenditure.items", tenant, project_id=project_id, status=ExpenditureStatus.SUBMITTED.value),
            tenant=tenant, project=project, count=count,
        )


def decided(item: Expenditure) -> None:
    """The lead verified or rejected `item`: its partner's coordinators hear of it (with the lead's comment)."""
    tenant = db.session.get(Tenant, current_tenant_id())
    project = db.session.get(Project, item.project_id)
    if item.status is ExpenditureStatus.VERIFIED:
        subject = _l("Expenditure verified: %(supplier)s (%(project)s)", supplier=item.supplier, project=project.acronym)
    else:
        subject = _l("Expenditure rejected: %(supplier)s (%(project)s)", supplier=item.supplier, project=project.acronym)
    notifications.notify(
        notifications.coordinators(),
        f"expenditure.{item.status.value}",
        subject,
        "expenditure/mail/decided.txt",
        _link("expenditure.show", tenant, project_id=item.project_id, expenditure_id=item.id),
        tenant=tenant, project=project, item=item,
    )
