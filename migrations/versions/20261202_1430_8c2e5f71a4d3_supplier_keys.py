"""Suppliers' keys recomputed with `organisation_key`: "UAB „Testas“" and "UAB Testas" are one supplier for the
duplicate check (and its unique index). Data only.

Two items of a list that the new key makes duplicates keep their old keys, all but the first: the index
would refuse them, and deleting or merging a partner's items is not a migration's to decide. Their next edit
shows the duplicate to the partner.

On PostgreSQL the rows are read with every tenant visible and each is written in its own tenant's scope,
as the row-level security policies require.

Revision ID: 8c2e5f71a4d3
Revises: 8c41d2e7f5a3
Create Date: 2026-12-02 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from bibnet.names import organisation_key

# revision identifiers, used by Alembic.
revision = '8c2e5f71a4d3'
down_revision = "8c41d2e7f5a3"
branch_labels = None
depends_on = None

expenditure = sa.table(
    "expenditure",
    sa.column("id", sa.Integer),
    sa.column("tenant_id", sa.Integer),
    sa.column("project_id", sa.Integer),
    sa.column("supplier", sa.String),
    sa.column("supplier_key", sa.String),
    sa.column("invoice_number", sa.String),
    sa.column("deleted_at", sa.DateTime),
)


def _set_scope(connection, tenant_id: int | None) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(
            sa.text("SELECT set_config('bibnet.all_tenants', 'on', true), set_config('bibnet.tenant_id', :tenant, true)"),
            {"tenant": "" if tenant_id is None else str(tenant_id)},
        )


def _recompute(key_of) -> None:
    connection = op.get_bind()
    _set_scope(connection, None)
    rows = connection.execute(
        sa.select(expenditure.c.id, expenditure.c.tenant_id, expenditure.c.project_id, expenditure.c.supplier, expenditure.c.supplier_key, expenditure.c.invoice_number, expenditure.c.deleted_at).order_by(expenditure.c.id)
    ).all()
    taken = {(row.tenant_id, row.project_id, row.supplier_key, row.invoice_number) for row in rows if row.deleted_at is None and row.invoice_number is not None}
    for row in rows:
        key = key_of(row.supplier)[:200]
        if key == row.supplier_key:
            continue
        if row.deleted_at is None and row.invoice_number is not None:
            new = (row.tenant_id, row.project_id, key, row.invoice_number)
            if new in taken:
                continue
            taken.discard((row.tenant_id, row.project_id, row.supplier_key, row.invoice_number))
            taken.add(new)
        _set_scope(connection, row.tenant_id)
        connection.execute(sa.update(expenditure).where(expenditure.c.id == row.id).values(supplier_key=key))


def upgrade():
    _recompute(organisation_key)


def downgrade():
    _recompute(lambda supplier: " ".join(supplier.split()).casefold())
