"""Writes an AuditEntry for every insert, update and delete of an `Audited` model, inside the same transaction.

Objects are recorded at flush; an ORM bulk `insert(Model)` of many rows is recorded row by row with the ids
the database gives them. Bulk `update()`/`delete()` of an audited model are refused: its rows are changed
through the objects, so each change is recorded.
"""
from datetime import date, datetime, time
from decimal import Decimal
import enum

from flask import g, has_app_context
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from bibnet.audit.models import Audited, AuditEntry
from bibnet.db import utcnow

REDACTED = "***"


def _jsonable(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _actor_id() -> int | None:
    # Only a user Flask-Login has already loaded: loading one here would query in the middle of a flush.
    if not has_app_context():
        return None
    user = g.get("_login_user")
    return getattr(user, "id", None) if user is not None and user.is_authenticated else None


def _changes(obj, creating: bool) -> dict:
    state = sa.inspect(obj)
    changes = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        history = state.attrs[key].history
        if not creating and not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else getattr(obj, key)
        if key in type(obj).__audit_redacted__:
            changes[key] = REDACTED
        elif creating:
            changes[key] = _jsonable(new)
        else:
            changes[key] = [_jsonable(old), _jsonable(new)]
    return changes


def _record(session: Session, flush_context) -> None:
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if not isinstance(obj, Audited):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = {} if action == "delete" else _changes(obj, creating=action == "create")
            if action == "update" and not changes:
                continue
            rows.append(
                {
                    "at": utcnow(),
                    "actor_id": _actor_id(),
                    "tenant_id": getattr(obj, "tenant_id", None),
                    "action": action,
                    "object_type": type(obj).__name__,
                    "object_id": getattr(obj, "id", None),
                    "changes": changes,
                }
            )
    if rows:
        session.connection().execute(sa.insert(AuditEntry), rows)


def _redacted(model, values: dict) -> dict:
    return {key: REDACTED if key in model.__audit_redacted__ else _jsonable(value) for key, value in values.items()}


def _record_bulk_writes(state: ORMExecuteState):
    if not (state.is_insert or state.is_update or state.is_delete):  # reads, most statements, are let by first
        return None
    audited = [m for m in state.all_mappers if issubclass(m.class_, Audited)]
    if not audited:
        return None
    model = audited[0].class_
    if not state.is_insert:
        raise RuntimeError(f"bulk update or delete of audited {model.__name__}: change the objects, so that each change is recorded")
    if state.statement._returning or state.statement.select is not None:
        raise RuntimeError(f"bulk insert of audited {model.__name__} with RETURNING or SELECT: add the objects instead")
    rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
    primary_key = audited[0].primary_key[0]
    result = state.invoke_statement(statement=state.statement.returning(primary_key, sort_by_parameter_order=True)).freeze()
    ids = [row[0] for row in result().all()]
    state.session.connection().execute(
        sa.insert(AuditEntry),
        [
            {"at": utcnow(), "actor_id": _actor_id(), "tenant_id": values.get("tenant_id"), "action": "create", "object_type": model.__name__, "object_id": object_id, "changes": _redacted(model, values)}
            for object_id, values in zip(ids, rows, strict=True)
        ],
    )
    return result()


def install(session_class) -> None:
    """After the tenant guard (installed first), which stamps the rows of a bulk insert with their tenant."""
    if not event.contains(session_class, "after_flush", _record):
        event.listen(session_class, "after_flush", _record)
        event.listen(session_class, "do_orm_execute", _record_bulk_writes)
