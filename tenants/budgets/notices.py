"""Who hears of budget versions through the core's notifications (`bibnet.notifications.notify`): the project's
leads when a partner opens a draft for their approval (the original or a modification), the partner's
coordinators when the lead approves it. Called by `versions` in the transaction of the change."""
from flask_babel import lazy_gettext as _l

from bibnet import mail, notifications
from bibnet.extensions import db
from bibnet.tenancy.context import current_tenant_id
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenants.budgets.models import BudgetVersion


def _about(version: BudgetVersion) -> tuple[Tenant, Project, str]:
    tenant = db.session.get(Tenant, current_tenant_id())
    project = db.session.get(Project, version.project_id)
    # Services also run from commands and the demo loader: there is no host to link to then.
    link = mail.link("budget.version", tenant_slug=tenant.slug, project_id=project.id, version_number=version.number)
    return tenant, project, link


def draft_started(version: BudgetVersion) -> None:
    tenant, project, link = _about(version)
    notifications.notify(
        notifications.project_leads(project.id),
        "budget.draft_started",
        _l("Budget draft of %(tenant)s for your approval (%(project)s)", tenant=tenant.name, project=project.acronym),
        "budgets/mail/draft_started.txt",
        link,
        tenant=tenant, project=project, version=version,
    )


def approved(version: BudgetVersion) -> None:
    tenant, project, link = _about(version)
    notifications.notify(
        notifications.coordinators(),
        "budget.approved",
        _l("Budget approved: %(tenant)s (%(project)s)", tenant=tenant.name, project=project.acronym),
        "budgets/mail/approved.txt",
        link,
        tenant=tenant, project=project, version=version,
    )
