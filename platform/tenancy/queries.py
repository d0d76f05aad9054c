"""Loading single rows by id in a way the tenant guard covers."""
import sqlalchemy as sa
from flask import abort

from bibnet.extensions import db
from bibnet.tenancy.context import current_tenant_id
from bibnet.tenancy.mixins import TenantScopedMixin


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
