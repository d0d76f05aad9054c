"""Loading single rows by id in a way the tenant guard covers (for the loaders of what a URL names, see
`bibnet.loading`), and the projects of the current tenant a page may list."""
from flask import abort, g
from flask_login import current_user
import sqlalchemy as sa

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


def projects_of_current_tenant() -> list[Project]:
    """The projects the current tenant is a partner of, oldest first; for a visiting lead, those they lead."""
    statement = sa.select(Project).join(Partner).where(Partner.tenant_id == g.tenant.id)
    if current_role() is TenantRole.LEAD:
        statement = statement.join(ProjectLead, ProjectLead.project_id == Project.id).where(ProjectLead.user_id == current_user.id)
    return list(db.session.scalars(statement.order_by(Project.starts_on, Project.id)))
