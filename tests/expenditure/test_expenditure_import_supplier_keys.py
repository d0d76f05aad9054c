"""The migration 8c2e5f71a4d3 gives the items already in a list the new supplier key, so that an import finds
"UAB Testas" to be the "UAB „Testas“" stored before issue 10's fix; two stored items the new key would make
duplicates keep their old keys (the unique index would refuse them)."""
import importlib.util
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.operations import Operations
from expenditure_items import make_item
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.expenditure.models import Expenditure

pytest_plugins = ["expenditure_items"]  # the fixture `project`

MIGRATION = next((Path(__file__).parents[2] / "migrations" / "versions").glob("*_8c2e5f71a4d3_*.py"))


def run_migration(step: str) -> None:
    spec = importlib.util.spec_from_file_location("supplier_keys_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    db.session.commit()  # nothing open that the migration's connection would wait for
    with db.engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        getattr(module, step)()
    db.session.expire_all()


def stored(tenant) -> list[tuple[str, str, str]]:
    with tenant_scope(tenant):
        rows = db.session.execute(sa.select(Expenditure.supplier, Expenditure.invoice_number, Expenditure.supplier_key).order_by(Expenditure.id)).all()
        db.session.rollback()
        return [tuple(row) for row in rows]


def test_the_migration_recomputes_keys_and_leaves_would_be_duplicates_apart(world, project):
    make_item(world.jelgava, project, supplier="UAB „Testas“", invoice_number="T-1")
    make_item(world.jelgava, project, supplier="UAB Testas", invoice_number="T-2")
    make_item(world.pasvalys, project, supplier="SIA „Gaisma“", invoice_number="G-1")
    run_migration("downgrade")  # the keys as they were stored before
    assert stored(world.jelgava) == [("UAB „Testas“", "T-1", "uab „testas“"), ("UAB Testas", "T-2", "uab testas")]
    with tenant_scope(world.jelgava):  # a second "T-1": the old keys told them apart
        db.session.scalar(sa.select(Expenditure).where(Expenditure.invoice_number == "T-2")).invoice_number = "T-1"
        db.session.commit()
    run_migration("upgrade")
    assert stored(world.jelgava) == [("UAB „Testas“", "T-1", "testas"), ("UAB Testas", "T-1", "uab testas")]
    assert stored(world.pasvalys) == [("SIA „Gaisma“", "G-1", "gaisma")]
