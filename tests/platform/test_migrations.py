"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
import sqlalchemy as sa

from bibnet.db import GlobalModel
from bibnet.extensions import db
from bibnet.tenancy.mixins import TenantScopedMixin


def test_models_and_migrations_agree(app_context):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_database_is_at_the_newest_migration(app_context):
    from alembic.script import ScriptDirectory
    from flask import current_app

    heads = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config(current_app.extensions["migrate"].directory)).get_heads()
    with db.engine.connect() as connection:
        assert [MigrationContext.configure(connection).get_current_revision()] == heads


def test_every_model_says_whether_it_belongs_to_a_tenant(app_context):
    for mapper in db.Model.registry.mappers:
        model = mapper.class_
        assert issubclass(model, TenantScopedMixin) != issubclass(model, GlobalModel), model.__name__


def test_constraints_are_named_by_the_convention(app_context):
    inspector = sa.inspect(db.engine)
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        for foreign_key in inspector.get_foreign_keys(table):
            assert foreign_key["name"].startswith(f"fk_{table}_"), foreign_key
        for unique in inspector.get_unique_constraints(table):
            assert unique["name"].startswith(f"uq_{table}_"), unique
