"""Durability of funded equipment: a project's final payment date and durability period (1 to 10 years, 5 by
default), and requests to dispose of a funded item before its durability ends with the project lead's decision
(a tenant table, with row-level security).

Revision ID: 61089acd4e3b
Revises: 79fae5ff093b
Create Date: 2026-12-02 22:57:25.981962

"""
from alembic import op
import sqlalchemy as sa

from bibnet.tenancy import rls

# revision identifiers, used by Alembic.
revision = '61089acd4e3b'
down_revision = "79fae5ff093b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('inventory_disposal_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision', sa.Enum('approved', 'rejected', name='decision', native_enum=False, create_constraint=True, length=10), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(decision IS NULL) = (decided_at IS NULL)', name=op.f('ck_inventory_disposal_request_decided_with_time')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_inventory_disposal_request_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['inventory_item.id'], name=op.f('fk_inventory_disposal_request_item_id_inventory_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_inventory_disposal_request_requested_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_inventory_disposal_request_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_disposal_request'))
    )
    with op.batch_alter_table('inventory_disposal_request', schema=None) as batch_op:
        batch_op.create_index('ix_inventory_disposal_request_item', ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_disposal_request_tenant_id'), ['tenant_id'], unique=False)

    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('final_payment_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('durability_years', sa.Integer(), server_default='5', nullable=False))
        batch_op.create_check_constraint(op.f('ck_project_durability_years_in_range'), 'durability_years BETWEEN 1 AND 10')

    # Row-level security on every tenant table that lacks it (PostgreSQL; keep this last line).
    rls.enable_row_level_security(op)


def downgrade():
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_project_durability_years_in_range'), type_='check')
        batch_op.drop_column('durability_years')
        batch_op.drop_column('final_payment_on')

    with op.batch_alter_table('inventory_disposal_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_disposal_request_tenant_id'))
        batch_op.drop_index('ix_inventory_disposal_request_item')

    op.drop_table('inventory_disposal_request')
