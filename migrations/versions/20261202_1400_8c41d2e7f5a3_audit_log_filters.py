"""Indexes for the audit log viewer's filters: by who made the change, by object, and newest first overall.

Revision ID: 8c41d2e7f5a3
Revises: 3d7a9e4c1b20
Create Date: 2026-12-02 14:00:00.000000

"""
from alembic import op

from bibnet.tenancy import rls

# revision identifiers, used by Alembic.
revision = '8c41d2e7f5a3'
down_revision = '3d7a9e4c1b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_audit_entry_actor_at', 'audit_entry', ['actor_id', 'at'], unique=False)
    op.create_index('ix_audit_entry_object', 'audit_entry', ['object_type', 'object_id'], unique=False)
    op.create_index('ix_audit_entry_at', 'audit_entry', ['at'], unique=False)
    rls.enable_row_level_security(op)


def downgrade():
    op.drop_index('ix_audit_entry_at', table_name='audit_entry')
    op.drop_index('ix_audit_entry_object', table_name='audit_entry')
    op.drop_index('ix_audit_entry_actor_at', table_name='audit_entry')
