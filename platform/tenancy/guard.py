"""The central tenant guard: SQLAlchemy session events that filter every read and check every write.

Reads: every ORM SELECT that involves a tenant-scoped model gets `tenant_id = <current tenant>` added
(`with_loader_criteria`, also for relationship loads and aliases). With no tenant set the query raises.
Bulk statements: an ORM `update(Model)` / `delete(Model)` gets the same criteria and needs a tenant; an ORM
`insert(Model)` has its rows stamped with the current tenant (a row of another tenant is refused).
Writes: new rows are stamped with the current tenant; rows of another tenant, a changed `tenant_id`, and
a reference (many-to-one) to another tenant's row are refused at flush. Inside `all_tenants()` reads see
every tenant, inside `partners_of(project)` the project's partners; both are read-only for tenant rows.
SQL the guard cannot filter, i.e. tenant tables named through their plain `Table`, Core statements or
`text()`, is refused unless run inside `raw_sql(reason)`.

Statements run on a connection directly (`session.connection().execute`, `engine.connect()`), and the
legacy `Session.bulk_*` methods, do not pass the session's events: do not use them on tenant tables. On
PostgreSQL row-level security (`rls.py`) still limits them, as every statement, to the scope the guard sets
for the transaction (a connection of its own has none set, and sees no tenant row).

Primary-key lookups can be answered from the identity map without a SELECT; `get_or_404` in
`bibnet.tenancy.queries` therefore re-checks the row's tenant.
"""
from collections import defaultdict
import re

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapper, ORMExecuteState, RelationshipDirection, Session, with_loader_criteria
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.selectable import TableClause
from sqlalchemy.util import LRUCache

from bibnet.tenancy import rls
from bibnet.tenancy.context import (
    TenantContextError,
    current_tenant_id,
    raw_sql_allowed,
    reading_across_tenants,
    reading_all_tenants,
    reading_tenants,
)
from bibnet.tenancy.mixins import TenantScopedMixin

_tenant_tables_cache: tuple[frozenset[str], re.Pattern] | None = None
# What `_tenant_tables_in` found, by the statement's cache key (its shape: tables, columns, SQL text; not its
# values): walking a statement's every element cost more than the rest of the guard. Bounded like SQLAlchemy's
# own cache of compiled statements.
_reach_by_statement = LRUCache(500)


@event.listens_for(Mapper, "instrument_class")
def _forget_tenant_tables(mapper, class_) -> None:
    """A model was added (features load late): the tenant tables are worked out again when next needed."""
    global _tenant_tables_cache
    _tenant_tables_cache = None
    _reach_by_statement.clear()


def _tenant_tables() -> tuple[frozenset[str], re.Pattern]:
    """The names of the tenant-scoped models' tables, and a pattern that finds them in SQL text."""
    global _tenant_tables_cache
    if _tenant_tables_cache is None:
        from bibnet.extensions import db

        names = frozenset(m.local_table.name for m in db.Model.registry.mappers if issubclass(m.class_, TenantScopedMixin))
        pattern = re.compile(r"(?<!:)\b(" + "|".join(sorted(names)) + r")\b", re.IGNORECASE)  # not a :parameter
        _tenant_tables_cache = (names, pattern)
    return _tenant_tables_cache


def _is_tenant_model(mapper) -> bool:
    return issubclass(mapper.class_, TenantScopedMixin)


def _tenant_tables_in(statement) -> tuple[frozenset[str], frozenset[str]]:
    """(every tenant table the statement reaches, those it reaches other than through an ORM entity, which
    the criteria cannot filter: a plain `Table` or `table()`, or a name in `text()`)."""
    cache_key = statement._generate_cache_key()
    if cache_key is None:  # a statement SQLAlchemy cannot cache either
        return _walk(statement)
    reach = _reach_by_statement.get(cache_key.key)
    if reach is None:
        reach = _reach_by_statement[cache_key.key] = _walk(statement)
    return reach


def _walk(statement) -> tuple[frozenset[str], frozenset[str]]:
    names, pattern = _tenant_tables()
    through_entity, as_table, in_text = set(), set(), set()
    for element in visitors.iterate(statement):
        entity = getattr(element, "_annotations", {}).get("parententity")
        if entity is not None:
            through_entity.add(entity.mapper.local_table.name)
        if isinstance(element, TableClause) and element.name in names:
            as_table.add(element.name)
        elif isinstance(element, TextClause):
            in_text.update(match.lower() for match in pattern.findall(element.text))
    return frozenset((through_entity & names) | as_table | in_text), frozenset((as_table - through_entity) | in_text)


def filtered_to_scope(statement, what: str = "tables"):
    """An ORM SELECT with the criteria the guard adds to every read in the current scope.

    For a statement that leaves the session's events behind, e.g. one compiled to text for `COPY … TO
    STDOUT` on the session's connection: with these criteria it reads what the guard would let it read
    (row-level security, set with `rls.apply_scope`, stays the second layer). With no tenant set it raises.
    """
    if reading_all_tenants():
        return statement
    partner_ids = reading_tenants()
    if partner_ids is not None:
        criteria = with_loader_criteria(TenantScopedMixin, lambda cls: cls.tenant_id.in_(partner_ids), include_aliases=True)
    else:
        tenant_id = current_tenant_id()
        if tenant_id is None:
            raise TenantContextError(f"query on tenant-scoped {what} with no tenant set")
        criteria = with_loader_criteria(TenantScopedMixin, lambda cls: cls.tenant_id == tenant_id, include_aliases=True)
    return statement.options(criteria)


def _filter_to_scope(state: ORMExecuteState) -> None:
    what = "tables"
    if current_tenant_id() is None and not reading_across_tenants():  # it will raise: name the models
        what = ", ".join(sorted(m.class_.__name__ for m in _tenant_mappers(state))) or what
    state.statement = filtered_to_scope(state.statement, what)


def _tenant_for_bulk_write(state: ORMExecuteState, what: str) -> int:
    tenant_id = current_tenant_id()
    if reading_across_tenants() or tenant_id is None:
        raise TenantContextError(f"{what} of tenant-scoped {state.statement.table.name} with no tenant set")
    return tenant_id


def _check_bulk_update_or_delete(state: ORMExecuteState) -> None:
    tenant_id = _tenant_for_bulk_write(state, "bulk update" if state.is_update else "bulk delete")
    if isinstance(state.parameters, list):
        # An update by primary key with a list of rows has no WHERE for the criteria to go into.
        raise TenantContextError("bulk update of tenant rows by primary key: change the objects instead")
    if state.is_update:
        columns = {getattr(key, "key", key) for key in (state.statement._values or {})} | set(state.parameters or {})
        if "tenant_id" in columns:
            raise TenantContextError("a bulk update cannot move rows to another tenant")
    state.statement = state.statement.options(
        with_loader_criteria(TenantScopedMixin, lambda cls: cls.tenant_id == tenant_id, include_aliases=True)
    )


def _stamp_bulk_insert(state: ORMExecuteState, mapper) -> None:
    tenant_id = _tenant_for_bulk_write(state, "bulk insert")
    statement = state.statement
    if statement.select is not None:  # the rows' tenants come from the SELECT: nothing to stamp or check here
        if raw_sql_allowed():
            return
        raise TenantContextError("INSERT … SELECT into a tenant table: run it inside raw_sql(reason)")
    rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
    stamped = []
    for row in rows:
        if row.get("tenant_id", tenant_id) != tenant_id:
            raise TenantContextError(f"new {mapper.class_.__name__} belongs to another tenant")
        stamped.append({**row, "tenant_id": tenant_id})
    if "tenant_id" in {getattr(key, "key", key) for key in statement._values or {}}:
        raise TenantContextError("stamp tenant rows through the guard, not in values()")
    _check_references(state.session, tenant_id, [(mapper, row, None) for row in stamped])
    state.parameters = stamped if isinstance(state.parameters, list) else stamped[0]


def _tenant_mappers(state: ORMExecuteState) -> list:
    return [m for m in state.all_mappers if _is_tenant_model(m)]


def _guard_statement(state: ORMExecuteState) -> None:
    if state.is_column_load or state.is_relationship_load:  # the ORM's own loads of one entity
        reached, unfiltered = {m.local_table.name for m in _tenant_mappers(state)}, set()
    else:
        reached, unfiltered = _tenant_tables_in(state.statement)
    if not reached:
        return  # global tables only
    if unfiltered and not raw_sql_allowed():
        raise TenantContextError(
            f"SQL on tenant table(s) {', '.join(sorted(unfiltered))} that the guard cannot filter: "
            "use the ORM entity, or raw_sql(reason) for what the ORM cannot say"
        )
    if state.is_select and state.is_orm_statement and not state.is_column_load:
        _filter_to_scope(state)
    elif (state.is_update or state.is_delete) and _tenant_mappers(state):
        _check_bulk_update_or_delete(state)
    elif state.is_insert and (tenant_mappers := _tenant_mappers(state)):
        _stamp_bulk_insert(state, tenant_mappers[0])
    rls.apply_scope(state.session, widen_reads=state.is_column_load)


# --- Flush ---------------------------------------------------------------------------------------------------

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
    changed = []
    for obj in list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantScopedMixin):
            continue
        if reading_across_tenants() or tenant_id is None:
            raise TenantContextError(f"change to {type(obj).__name__} with no tenant set")
        original = sa.inspect(obj).attrs.tenant_id.history
        owners = set(original.deleted or ()) | set(original.unchanged or ()) | set(original.added or ())
        if not owners:  # an expired instance: load its tenant
            owners = {obj.tenant_id}
        if owners != {tenant_id}:
            raise TenantContextError(f"change to {type(obj).__name__} of another tenant refused")
        if obj not in session.deleted:
            changed.append(obj)
    written = [obj for obj in session.new if isinstance(obj, TenantScopedMixin)] + changed
    if written:
        _check_references(session, tenant_id, [(sa.inspect(obj).mapper, None, obj) for obj in written])
    if written or any(isinstance(obj, TenantScopedMixin) for obj in session.deleted):
        rls.apply_scope(session)  # the flush writes in the current scope, whatever the last statement ran in


def _check_references(session: Session, tenant_id: int, writes) -> None:
    """Refuse a row that points (many-to-one) at another tenant's row: a closure of another tenant's room.

    `writes` are (mapper, values, object) with either the values of a bulk insert or the object to flush;
    an object's unchanged references are not looked at again. Targets in the identity map are checked
    there; the others with one query per referenced table.
    """
    names, _pattern = _tenant_tables()
    wanted: dict = defaultdict(set)  # referenced column → values to find in this tenant
    for mapper, values, obj in writes:
        state = sa.inspect(obj) if obj is not None else None
        by_relationship = set()
        for relationship in mapper.relationships if state is not None else ():
            if relationship.direction is not RelationshipDirection.MANYTOONE or not _is_tenant_model(relationship.mapper):
                continue
            if relationship.key not in state.dict:
                continue
            related = state.attrs[relationship.key].history.added if state.has_identity else [state.dict[relationship.key]]
            related = [other for other in related or () if other is not None]
            if related:
                by_relationship.update(relationship.local_columns)
            for other in related:
                if other.tenant_id not in (None, tenant_id):  # a new one is stamped with this tenant
                    raise TenantContextError(f"{mapper.class_.__name__} refers to a {type(other).__name__} of another tenant")
        for foreign_key in mapper.local_table.foreign_keys:
            if foreign_key.column.table.name not in names or foreign_key.parent in by_relationship:
                continue
            key = mapper.get_property_by_column(foreign_key.parent).key
            if values is not None:
                value = values.get(key)
            elif not state.has_identity:
                value = state.dict.get(key)
            else:
                added = state.attrs[key].history.added
                value = added[0] if added else None
            if value is not None:
                wanted[foreign_key.column].add(value)
    for column, found_values in wanted.items():
        missing = set(found_values) - _in_identity_map(session, column, found_values, tenant_id)
        if missing:
            rls.apply_scope(session)
            table = column.table
            rows = session.connection().execute(sa.select(column).where(column.in_(missing), table.c.tenant_id == tenant_id))
            missing -= set(rows.scalars())
        if missing:
            raise TenantContextError(f"reference to {column.table.name} row(s) {sorted(missing)} of another tenant (or of none)")


def _in_identity_map(session: Session, column, values, tenant_id: int) -> set:
    """The values whose row is in the session already and belongs to the tenant (no query needed)."""
    from bibnet.extensions import db

    mapper = next((m for m in db.Model.registry.mappers if m.local_table is column.table), None)
    if mapper is None or list(mapper.primary_key) != [column]:
        return set()
    known = set()
    for value in values:
        obj = session.identity_map.get(mapper.identity_key_from_primary_key([value]))
        if obj is not None and sa.inspect(obj).dict.get("tenant_id") == tenant_id:
            known.add(value)
        elif obj is not None and "tenant_id" in sa.inspect(obj).dict:
            raise TenantContextError(f"reference to a {mapper.class_.__name__} of another tenant")
    return known


def install(session_class) -> None:
    """Attach the guard (and the row-level security settings it keeps in step) to a session class, once."""
    if not event.contains(session_class, "do_orm_execute", _guard_statement):
        rls.install(session_class)
        event.listen(session_class, "do_orm_execute", _guard_statement)
        event.listen(session_class, "before_flush", _check_writes)
