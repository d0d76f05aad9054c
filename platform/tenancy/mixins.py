"""The mark of a tenant-scoped model. Everything about filtering and stamping happens in `guard.py`."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


class TenantScopedMixin:
    """Rows belong to exactly one tenant. Reads see only the current tenant's rows; writes must stay in it."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(sa.ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
