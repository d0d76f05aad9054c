"""Writes an AuditEntry for every insert, update and delete of an `Audited` model, inside the same transaction."""
from datetime import date, datetime, time
from decimal import Decimal
import enum

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from bibnet.audit.models import AuditEntry, Audited
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


def install(session_class) -> None:
    if not event.contains(session_class, "after_flush", _record):
        event.listen(session_class, "after_flush", _record)
