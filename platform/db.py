"""The declarative base every model derives from, and the markers that say whether a model is tenant-scoped."""
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

# One naming convention, so that migrations can name (and later drop) every constraint predictably.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware, on SQLite as on PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are refused: pass an aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def result_processor(self, dialect, coltype):
        # PostgreSQL's timestamptz comes back aware: no Python call per value read (a calendar reads a thousand).
        return None if dialect.name == "postgresql" else super().result_processor(dialect, coltype)


def str_enum(enum_class, length: int) -> sa.Enum:
    """A Python enum stored as its string values (not its names), checked by a named CHECK constraint."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        length=length,
        create_constraint=True,
        values_callable=lambda members: [member.value for member in members],
    )


def relationship(*args, lazy: str = "raise_on_sql", **kwargs):
    """SQLAlchemy's `relationship`, except that reaching a relationship that was not loaded raises instead of
    running a query. A page that reads a relationship for every row of a list would otherwise run one query per
    row, unnoticed; this way it fails in the tests. Load what a page shows with `selectinload`/`joinedload`, or
    declare `lazy="selectin"` for what is needed wherever the object is (a project's reporting periods)."""
    return orm.relationship(*args, lazy=lazy, **kwargs)


def owner_engine(app) -> sa.Engine:
    """The engine of the tables' owner, which runs the migrations: `MIGRATIONS_DATABASE_URL`, else the app's.

    On PostgreSQL the app connects as a role that does not own the tables, so that row-level security
    applies to it (see `bibnet.tenancy.rls`).
    """
    from bibnet.extensions import db

    url = app.config.get("MIGRATIONS_DATABASE_URL")
    if not url or url == app.config["SQLALCHEMY_DATABASE_URI"]:
        return db.engine
    if "bibnet_owner_engine" not in app.extensions:
        app.extensions["bibnet_owner_engine"] = sa.create_engine(url)
    return app.extensions["bibnet_owner_engine"]


class Model(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )

    def __repr__(self) -> str:
        pk = getattr(self, "id", None)
        return f"<{type(self).__name__} {pk}>"


class GlobalModel:
    """Marker: rows of this model belong to no single tenant (users, tenants, projects...).

    Every model is either `GlobalModel` or `TenantScopedMixin`; a test fails on a model that is neither.
    """


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
