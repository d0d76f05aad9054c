"""Row-level security on every tenant table (PostgreSQL): rows are visible and writable only in the tenant
scope the app sets for the transaction (`bibnet.tenancy.rls`). Computed from the models: every table of a
`TenantScopedMixin` model that exists gets it. SQLite has no row-level security; nothing changes there.

Revision ID: 5b1f0c7e2a91
Revises: 39db430e1206
Create Date: 2026-12-02 09:45:00.000000

"""
from alembic import op

from bibnet.tenancy import rls

# revision identifiers, used by Alembic.
revision = '5b1f0c7e2a91'
down_revision = '39db430e1206'
branch_labels = None
depends_on = None


def upgrade():
    rls.enable_row_level_security(op)


def downgrade():
    rls.disable_row_level_security(op, rls.tenant_table_names())
