"""A stored file's record. The bytes live in the storage backend under `key`."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.db import Model, TimestampMixin
from bibnet.tenancy.mixins import TenantScopedMixin


class StoredFile(TenantScopedMixin, TimestampMixin, Model):
    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(300), unique=True)  # tenants/<tenant_id>/<area>/<random>
    area: Mapped[str] = mapped_column(sa.String(40))
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
