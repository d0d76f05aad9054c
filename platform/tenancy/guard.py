"""The central tenant guard: SQLAlchemy session events that filter every read and check every write.

Reads: every ORM SELECT that involves a tenant-scoped model gets `tenant_id = <current tenant>` added
(`with_loader_criteria`, also for relationship loads and aliases). With no tenant set the query raises.
Writes: new rows are stamped with the current tenant; rows of another tenant, or a changed `tenant_id`,
are refused at flush. Inside `all_tenants()` reads see every tenant, inside `partners_of(project)` the
project's partners; both are read-only for tenant rows.

Primary-key lookups can be answered from the identity map without a SELECT; `get_or_404` in
`bibnet.tenancy.queries` therefore re-checks the row's tenant.
"""
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql.util import find_tables

from bibnet.tenancy.context import (
    TenantContextError,
    current_tenant_id,
    reading_across_tenants,
    reading_all_tenants,
    reading_tenants,
)
from bibnet.tenancy.mixins import TenantScopedMixin


_tenant_tables_cache: dict[int, frozenset] = {}


def _tenant_tables() -> frozenset:
    """The tables of tenant-scoped models; computed again only when models were added (features load late)."""
    from bibnet.extensions import db

    mappers = db.Model.registry.mappers
    if len(mappers) not in _tenant_tables_cache:
        _tenant_tables_cache.clear()
        _tenant_tables_cache[len(mappers)] = frozenset(
            m.local_table for m in mappers if issubclass(m.class_, TenantScopedMixin)
        )
    return _tenant_tables_cache[len(mappers)]


def _touches_tenant_rows(state: ORMExecuteState) -> bool:
    if any(issubclass(m.class_, TenantScopedMixin) for m in state.all_mappers):
        return True
    # Also tenant tables reached without their entity at the top: counts, subqueries, Core-style selects.
    tables = set(find_tables(state.statement, include_aliases=True, include_joins=True, include_crud=True))
    return not tables.isdisjoint(_tenant_tables())


def _filter_reads(state: ORMExecuteState) -> None:
    if not state.is_select or state.is_column_load or not _touches_tenant_rows(state):
        return
    if reading_all_tenants():
        return
    partner_ids = reading_tenants()
    if partner_ids is not None:
        state.statement = state.statement.options(
            with_loader_criteria(TenantScopedMixin, lambda cls: cls.tenant_id.in_(partner_ids), include_aliases=True)
        )
        return
    tenant_id = current_tenant_id()
    if tenant_id is None:
        names = sorted(m.class_.__name__ for m in state.all_mappers if issubclass(m.class_, TenantScopedMixin))
        raise TenantContextError(f"query on tenant-scoped {', '.join(names)} with no tenant set")
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantScopedMixin,
            lambda cls: cls.tenant_id == tenant_id,
            include_aliases=True,
        )
    )


def _check_writes(session: Session, flush_context, instances) -> None:
    tenant_id = current_tenant_id()
    for obj in session.new:
        if not isinstance(obj, TenantScopedMixin):
            continue
        if reading_across_tenants() or tenant_id is None:
            raise TenantContextError(f"new {type(obj).__name__} with no tenant set")
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id:
            raise TenantContextError(f"new {type(obj).__name__} belongs to another tenant")
    for obj in list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantScopedMixin):
            continue
        if reading_across_tenants() or tenant_id is None:
            raise TenantContextError(f"change to {type(obj).__name__} with no tenant set")
        original = sa.inspect(obj).attrs.tenant_id.history
        owners = set(original.deleted or ()) | set(original.unchanged or ()) | set(original.added or ())
        if not owners:  # an expired instance: load its tenant (that read is itself tenant-filtered)
            owners = {obj.tenant_id}
        if owners != {tenant_id}:
            raise TenantContextError(f"change to {type(obj).__name__} of another tenant refused")


def install(session_class) -> None:
    """Attach the guard to a session class (Flask-SQLAlchemy's), once per process."""
    if not event.contains(session_class, "do_orm_execute", _filter_reads):
        event.listen(session_class, "do_orm_execute", _filter_reads)
        event.listen(session_class, "before_flush", _check_writes)
