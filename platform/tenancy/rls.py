"""PostgreSQL row-level security: the database's own tenant isolation, behind the guard in `guard.py`.

Every table of a `TenantScopedMixin` model gets `ENABLE` and `FORCE ROW LEVEL SECURITY` and two policies
that read settings of the current transaction:

- `tenant_rows` (every command): the row's `tenant_id` is `bibnet.tenant_id`. Writes pass only this one.
- `cross_tenant_reads` (SELECT only): `bibnet.tenant_ids` lists the tenants a read may see (`partners_of`),
  or `bibnet.all_tenants` is `on` (`all_tenants`).

With none of them set a tenant table shows no row. The app sets them with `set_config(…, true)` (a
`SET LOCAL`) before the first statement on a tenant table in each transaction and again when the scope
changes (`apply_scope`, called by the guard). The app must connect as a role that neither owns the tables
nor is a superuser nor has BYPASSRLS. Migrations run as the owner; FORCE applies the policies to the owner
too, so a migration that changes tenant rows needs an owner that bypasses them (superuser or BYPASSRLS).

Migrations call `enable_row_level_security(op)`: it covers every tenant table that exists and lacks it, so
a new feature's tables get it from their own migration (the template ends every upgrade with the call),
and `tests/isolation/test_row_level_security.py` fails on any tenant table without it.
"""
import sqlalchemy as sa
from sqlalchemy.orm import Session

from bibnet.tenancy.context import row_level_security_settings

TENANT_POLICY = "tenant_rows"
CROSS_TENANT_POLICY = "cross_tenant_reads"

_CURRENT_TENANT = "NULLIF(current_setting('bibnet.tenant_id', true), '')::integer"
_READABLE_TENANTS = "string_to_array(NULLIF(current_setting('bibnet.tenant_ids', true), ''), ',')::integer[]"
_ALL_TENANTS = "current_setting('bibnet.all_tenants', true) = 'on'"

# The transaction's settings the policies read, in the order of `row_level_security_settings()`.
_SETTINGS = ("bibnet.tenant_id", "bibnet.tenant_ids", "bibnet.all_tenants")
# psycopg's form of the parameters, so that the statement is the same text in the driver's hands (tests count it apart).
SET_SCOPE_SQL = "SELECT " + ", ".join(
    f"set_config('{setting}', %({parameter})s, true)" for setting, parameter in zip(_SETTINGS, ("tenant_id", "tenant_ids", "all_tenants"), strict=True)
)
_APPLIED = "bibnet_row_level_security"  # key in Session.info: the settings the current transaction holds


def tenant_table_names() -> list[str]:
    """The tables of every tenant-scoped model loaded (features included)."""
    from bibnet.extensions import db
    from bibnet.tenancy.mixins import TenantScopedMixin

    return sorted(m.local_table.name for m in db.Model.registry.mappers if issubclass(m.class_, TenantScopedMixin))


def _tables_without_policy(connection) -> list[str]:
    existing = set(sa.inspect(connection).get_table_names())
    covered = set(
        connection.scalars(
            sa.text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = current_schema() AND c.relrowsecurity AND c.relforcerowsecurity"
                " AND EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = n.nspname AND p.tablename = c.relname"
                " AND p.policyname = :policy)"
            ),
            {"policy": TENANT_POLICY},
        )
    )
    return [name for name in tenant_table_names() if name in existing and name not in covered]


def enable_row_level_security(op) -> list[str]:
    """In a migration: row-level security on every existing tenant table that lacks it. PostgreSQL only."""
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return []
    tables = _tables_without_policy(connection)
    for table in tables:
        op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
        op.execute(f'DROP POLICY IF EXISTS {TENANT_POLICY} ON "{table}"')
        op.execute(f'DROP POLICY IF EXISTS {CROSS_TENANT_POLICY} ON "{table}"')
        op.execute(f'CREATE POLICY {TENANT_POLICY} ON "{table}" USING (tenant_id = {_CURRENT_TENANT}) WITH CHECK (tenant_id = {_CURRENT_TENANT})')
        op.execute(f'CREATE POLICY {CROSS_TENANT_POLICY} ON "{table}" FOR SELECT USING ({_ALL_TENANTS} OR tenant_id = ANY ({_READABLE_TENANTS}))')
    return tables


def disable_row_level_security(op, tables: list[str]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        op.execute(f'DROP POLICY IF EXISTS {CROSS_TENANT_POLICY} ON "{table}"')
        op.execute(f'DROP POLICY IF EXISTS {TENANT_POLICY} ON "{table}"')
        op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')


# --- The app's side: the settings follow the tenant scope ------------------------------------------------

_NOT_POSTGRESQL = ("not PostgreSQL",)


def _set(session: Session, connection, settings: tuple[str, str, str]) -> None:
    tenant_id, tenant_ids, all_tenants = settings
    connection.exec_driver_sql(SET_SCOPE_SQL, {"tenant_id": tenant_id, "tenant_ids": tenant_ids, "all_tenants": all_tenants})
    session.info[_APPLIED] = settings


def apply_scope(session: Session, widen_reads: bool = False) -> None:
    """Before a statement on tenant tables: make the transaction's settings match the current scope.

    Called by the guard, so statements on global tables never pay for it. `widen_reads`: the statement
    refreshes attributes of objects already loaded, which the guard lets through whatever the scope; the
    refresh may read every tenant's rows, while writes stay limited to the tenant.
    """
    applied = session.info.get(_APPLIED)
    if applied is _NOT_POSTGRESQL:
        return
    settings = row_level_security_settings()
    if widen_reads:
        settings = (settings[0], "", "on")
    if applied == settings:
        return
    connection = session.connection()  # begins the transaction if need be
    if connection.dialect.name != "postgresql":
        session.info[_APPLIED] = _NOT_POSTGRESQL
    else:
        _set(session, connection, settings)


def find_entering(session: Session, statement: sa.Select, tenant_id: sa.ColumnElement):
    """The first object `statement` finds, a tenant or None; on PostgreSQL the same statement sets the
    transaction's settings to that tenant (`tenant_id`: its id column), as `apply_scope` would for a
    `tenant_scope` of it. The resolver finds the request's tenant and enters it in one round trip, not two."""
    if session.get_bind().dialect.name != "postgresql":
        return session.scalar(statement)
    values = (sa.cast(tenant_id, sa.Text), "", "")  # the tenant's own scope: its id, no partners, not all tenants
    row = session.execute(statement.add_columns(*(sa.func.set_config(setting, value, True) for setting, value in zip(_SETTINGS, values, strict=True)))).first()
    if row is None:
        return None
    session.info[_APPLIED] = tuple(row[1:])
    return row[0]


def _after_transaction_end(session: Session, transaction) -> None:
    # The settings end with the transaction, and a savepoint rolled back takes back those set inside it.
    session.info.pop(_APPLIED, None)


def install(session_class) -> None:
    from sqlalchemy import event

    if not event.contains(session_class, "after_transaction_end", _after_transaction_end):
        event.listen(session_class, "after_transaction_end", _after_transaction_end)
