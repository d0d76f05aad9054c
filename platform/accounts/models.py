"""Users, memberships (user × tenant × role) and personal API access tokens."""
from datetime import datetime
import enum
import secrets

from flask_login import UserMixin
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, validates

from bibnet.audit.models import Audited
from bibnet.db import GlobalModel, Model, TimestampMixin, relationship, str_enum
from bibnet.tenancy.mixins import TenantScopedMixin
from bibnet.tenancy.models import Tenant


class NotificationDelivery(enum.StrEnum):
    """How a user hears of what waits for them (`bibnet.notifications`): a mail each time, or one a day."""

    IMMEDIATE = "immediate"
    DAILY_DIGEST = "daily_digest"


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(GlobalModel, Audited, TimestampMixin, UserMixin, Model):
    """A person who logs in. E-mail addresses are stored lower-case, so they are unique ignoring case."""

    __tablename__ = "user"
    __audit_redacted__ = frozenset({"password_hash", "session_token"})

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    active: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    # Part of the Flask-Login id kept in the session cookie: replacing it ends every session of the user.
    session_token: Mapped[str] = mapped_column(sa.String(32), default=new_session_token)
    notification_delivery: Mapped[NotificationDelivery] = mapped_column(
        str_enum(NotificationDelivery, 12), default=NotificationDelivery.IMMEDIATE, server_default=NotificationDelivery.IMMEDIATE.value
    )

    @validates("email")
    def _normalise_email(self, key, value: str) -> str:
        return value.strip().lower()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses log-in to inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def end_all_sessions(self) -> None:
        self.session_token = new_session_token()


class Role(enum.StrEnum):
    COORDINATOR = "coordinator"
    STAFF = "staff"


class Membership(TenantScopedMixin, Audited, TimestampMixin, Model):
    """A user's role in one tenant. Deactivating it ends the user's access to that tenant at once."""

    __tablename__ = "membership"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, 20))
    active: Mapped[bool] = mapped_column(default=True)

    # Read on one object at a time by the services; list pages load it with options (their query counts are tested).
    user: Mapped[User] = relationship(lazy="select")
    tenant: Mapped[Tenant] = relationship()


class ApiToken(GlobalModel, TimestampMixin, Model):
    """A personal access token. Only its SHA-256 is stored; the token itself is shown once, at creation."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
