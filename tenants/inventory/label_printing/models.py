"""The library's contact shown on the public page an item's label opens."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.db import Model
from bibnet.tenancy.mixins import TenantScopedMixin


class PublicContact(TenantScopedMixin, Model):
    """Whom a visitor who scanned an item's label should call: shown on the public item page, so only the
    library's own contact (a desk's phone and e-mail), never a person's."""

    __tablename__ = "inventory_public_contact"
    __table_args__ = (sa.UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(200), default="")
    hours: Mapped[str] = mapped_column(sa.String(200), default="")
