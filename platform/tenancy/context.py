"""Which tenant the current work is for.

The tenant lives in `flask.g`, so it is scoped to one request or one CLI command and dropped with it.
Requests set it in `bibnet.tenancy.resolve`; commands and jobs use `tenant_scope()`. Reading across tenants
needs `all_tenants(reason)` or `partners_of(project, reason)`, which are logged and read-only. SQL that the
guard cannot filter (plain tables, `text()`) needs `raw_sql(reason)`, which is logged too.
"""
from contextlib import contextmanager
from dataclasses import dataclass, replace
import logging

from flask import g, has_app_context, has_request_context, request

log = logging.getLogger("bibnet.tenancy")


class TenantContextError(RuntimeError):
    """A tenant-scoped model was used without a tenant, or a write crossed tenants."""


@dataclass(frozen=True)
class _Scope:
    tenant_id: int | None = None
    all_tenants_reason: str | None = None
    # Set by partners_of(): a read-only scope over several tenants (a project's partners).
    tenant_ids: frozenset[int] | None = None
    # Set by raw_sql(): statements the guard cannot filter are let through (row-level security still applies).
    raw_sql_reason: str | None = None


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


def raw_sql_allowed() -> bool:
    return _scope().raw_sql_reason is not None


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


def tenant_scope(tenant, reason: str | None = None):
    """Run the block as `tenant` (a Tenant or its id): reads are filtered to it, new rows are stamped with it.

    Inside a request the switch is logged; leaving the request's own tenant for another one needs a reason.
    """
    tenant_id = tenant if isinstance(tenant, int) else tenant.id
    if has_request_context():
        _log_switch_in_request(tenant_id, reason)
    return _scoped(_Scope(tenant_id=tenant_id))


def _log_switch_in_request(tenant_id: int, reason: str | None) -> None:
    request_tenant_id = g.get("_bibnet_request_tenant_id")
    where = f"{request.method} {request.path}"
    if request_tenant_id is not None and tenant_id != request_tenant_id:
        if not reason:
            raise ValueError("tenant_scope() to another tenant than the request's needs a reason")
        log.info("request %s of tenant %s switches to tenant %s: %s", where, request_tenant_id, tenant_id, reason)
    elif tenant_id == request_tenant_id:  # the request's own tenant, as every tenant page does: not worth a line each
        log.debug("request %s scopes to its own tenant %s%s", where, tenant_id, f": {reason}" if reason else "")
    else:
        log.info("request %s switches to tenant %s%s", where, tenant_id, f": {reason}" if reason else "")


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


@contextmanager
def raw_sql(reason: str):
    """Let statements the guard cannot filter touch tenant tables: `text()`, plain tables, Core statements.

    The escape hatch for what the ORM cannot say (bulk loads, maintenance, benchmarks), for a stated reason
    (logged). The current scope stays as it is, and on PostgreSQL row-level security still limits the rows
    to it; the guard no longer does, so the SQL must filter by tenant itself.
    """
    if not reason:
        raise ValueError("raw_sql() needs a reason")
    scope = _scope()
    log.info("raw SQL on tenant tables (tenant %s): %s", scope.tenant_id, reason)
    with _scoped(replace(scope, raw_sql_reason=reason)):
        yield


def set_request_tenant(tenant_id: int | None) -> None:
    """Used once per request by the resolver; the scope ends with the request's application context. None
    takes it back (a tenant the caller may not reach)."""
    g._bibnet_request_tenant_id = tenant_id
    g._bibnet_tenant_scope = _Scope(tenant_id=tenant_id) if tenant_id is not None else _NO_SCOPE


def row_level_security_settings() -> tuple[str, str, str]:
    """The scope as PostgreSQL's row-level security reads it: (tenant id, partner tenant ids, all tenants)."""
    scope = _scope()
    tenant_id = "" if scope.tenant_id is None else str(scope.tenant_id)
    partner_ids = ",".join(str(t) for t in sorted(scope.tenant_ids)) if scope.tenant_ids is not None else ""
    return tenant_id, partner_ids, "on" if reading_all_tenants() else ""
