"""Which tenant the current work is for.

The tenant lives in `flask.g`, so it is scoped to one request or one CLI command and dropped with it.
Requests set it in `bibnet.tenancy.resolve`; commands and jobs use `tenant_scope()`. Reading across tenants
needs `all_tenants(reason)`, which is logged and read-only.
"""
from contextlib import contextmanager
from dataclasses import dataclass
import logging

from flask import g, has_app_context

log = logging.getLogger("bibnet.tenancy")


class TenantContextError(RuntimeError):
    """A tenant-scoped model was used without a tenant, or a write crossed tenants."""


@dataclass(frozen=True)
class _Scope:
    tenant_id: int | None = None
    all_tenants_reason: str | None = None
    # Set by partners_of(): a read-only scope over several tenants (a project's partners).
    tenant_ids: frozenset[int] | None = None


_NO_SCOPE = _Scope()


def _scope() -> _Scope:
    if not has_app_context():
        return _NO_SCOPE
    return g.get("_bibnet_tenant_scope", _NO_SCOPE)


def current_tenant_id() -> int | None:
    return _scope().tenant_id


def reading_all_tenants() -> bool:
    return _scope().all_tenants_reason is not None and _scope().tenant_ids is None


def reading_tenants() -> frozenset[int] | None:
    """The tenants a cross-tenant read may see (None: one tenant, or all of them)."""
    return _scope().tenant_ids


def reading_across_tenants() -> bool:
    return _scope().all_tenants_reason is not None


@contextmanager
def _scoped(scope: _Scope):
    if not has_app_context():
        raise TenantContextError("a tenant scope needs an application context")
    previous = g.get("_bibnet_tenant_scope", _NO_SCOPE)
    g._bibnet_tenant_scope = scope
    try:
        yield
    finally:
        g._bibnet_tenant_scope = previous


def tenant_scope(tenant):
    """Run the block as `tenant` (a Tenant or its id): reads are filtered to it, new rows are stamped with it."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.id
    return _scoped(_Scope(tenant_id=tenant_id))


@contextmanager
def all_tenants(reason: str):
    """Read rows of every tenant, for a stated reason (logged). Writes to tenant rows are refused inside."""
    if not reason:
        raise ValueError("all_tenants() needs a reason")
    log.info("cross-tenant read: %s", reason)
    with _scoped(_Scope(all_tenants_reason=reason)):
        yield


@contextmanager
def partners_of(project, reason: str):
    """Read the rows of every partner tenant of `project` (and of no other tenant), for a stated reason.

    The explicit way for project-level reports: logged, read-only, limited to the project's partners.
    """
    if not reason:
        raise ValueError("partners_of() needs a reason")
    tenant_ids = frozenset(partner.tenant_id for partner in project.partners)
    log.info("cross-tenant read of project %s partners %s: %s", project.acronym, sorted(tenant_ids), reason)
    with _scoped(_Scope(all_tenants_reason=reason, tenant_ids=tenant_ids)):
        yield


def set_request_tenant(tenant_id: int) -> None:
    """Used once per request by the resolver; the scope ends with the request's application context."""
    g._bibnet_tenant_scope = _Scope(tenant_id=tenant_id)
