"""What the import of equipment remembers per tenant: the column mapping of its last file."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.db import Model
from bibnet.tenancy.mixins import TenantScopedMixin


class ItemImportSettings(TenantScopedMixin, Model):
    """The mapping of the tenant's last equipment file (our field → the file's column), offered for the next one."""

    __tablename__ = "inventory_import_settings"
    __table_args__ = (sa.UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mapping: Mapped[dict] = mapped_column(sa.JSON, default=dict)
