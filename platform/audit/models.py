"""Audit entries, and the `Audited` mark that makes a model's changes recorded automatically."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.db import GlobalModel, Model, utcnow


class Audited:
    """Mark: every insert, update and delete of this model is written to the audit log (see `recorder.py`).

    `__audit_redacted__` names columns whose change is recorded without its values (password hashes...).
    """

    __audit_redacted__: frozenset[str] = frozenset()


class AuditEntry(GlobalModel, Model):
    """One change. Global, because changes to users belong to no tenant; `tenant_id` is set where one applies."""

    __tablename__ = "audit_entry"
    # The log viewer's filters (bibnet.audit.log): a tenant's entries, a person's, an object's, all newest first.
    __table_args__ = (
        sa.Index("ix_audit_entry_tenant_at", "tenant_id", "at"),
        sa.Index("ix_audit_entry_actor_at", "actor_id", "at"),
        sa.Index("ix_audit_entry_object", "object_type", "object_id"),
        sa.Index("ix_audit_entry_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    tenant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tenant.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(20))
    object_type: Mapped[str] = mapped_column(sa.String(60))
    object_id: Mapped[int | None]
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
