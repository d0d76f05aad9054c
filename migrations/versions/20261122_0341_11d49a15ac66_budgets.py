"""Budgets: the project's finance setup, partners' contribution sources, budget versions and lines
spread over reporting periods. Money is NUMERIC(17, 2).

Revision ID: 11d49a15ac66
Revises: 688407bdb397
Create Date: 2026-11-22 03:41:34.926053

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '11d49a15ac66'
down_revision = '688407bdb397'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('budget_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('in_force', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_budget_version_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_budget_version_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_version')),
    sa.UniqueConstraint('tenant_id', 'project_id', 'number', name=op.f('uq_budget_version_tenant_id_project_id_number'))
    )
    with op.batch_alter_table('budget_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_version_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_version_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('uq_budget_version_in_force', ['tenant_id', 'project_id'], unique=True, sqlite_where=sa.text('in_force'), postgresql_where=sa.text('in_force'))

    op.create_table('contribution_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('legal_status', sa.Enum('public', 'automatic_public', 'private', name='legalstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('kind', sa.Enum('percentage', 'amount', 'remainder', name='sourcekind', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('value', sa.Numeric(precision=17, scale=2), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("(kind = 'remainder') = (value IS NULL)", name=op.f('ck_contribution_source_value_unless_remainder')),
    sa.CheckConstraint('value IS NULL OR value >= 0', name=op.f('ck_contribution_source_value_not_negative')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_contribution_source_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_contribution_source_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution_source')),
    sa.UniqueConstraint('tenant_id', 'project_id', 'position', name=op.f('uq_contribution_source_tenant_id_project_id_position'))
    )
    with op.batch_alter_table('contribution_source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_source_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contribution_source_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('finance_setup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('fund_name', sa.String(length=40), nullable=False),
    sa.Column('fund_rate', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('office_flat_rate', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.CheckConstraint('fund_rate > 0 AND fund_rate <= 100', name=op.f('ck_finance_setup_fund_rate_range')),
    sa.CheckConstraint('office_flat_rate IS NULL OR (office_flat_rate > 0 AND office_flat_rate <= 15)', name=op.f('ck_finance_setup_office_rate_range')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_finance_setup_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_setup')),
    sa.UniqueConstraint('project_id', name=op.f('uq_finance_setup_project_id'))
    )
    op.create_table('budget_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('staff', 'office', 'travel', 'external', 'equipment', 'infrastructure', name='costcategory', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=False),
    sa.Column('unit_type', sa.String(length=60), nullable=False),
    sa.Column('units', sa.Numeric(precision=17, scale=2), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=17, scale=2), nullable=False),
    sa.Column('total', sa.Numeric(precision=17, scale=2), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('unit_price >= 0', name=op.f('ck_budget_line_price_not_negative')),
    sa.CheckConstraint('units > 0', name=op.f('ck_budget_line_units_positive')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_budget_line_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['budget_version.id'], name=op.f('fk_budget_line_version_id_budget_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_line'))
    )
    with op.batch_alter_table('budget_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_line_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_line_version_id'), ['version_id'], unique=False)

    op.create_table('budget_line_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('period_number', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=17, scale=2), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['budget_line.id'], name=op.f('fk_budget_line_period_line_id_budget_line'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_budget_line_period_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_line_period')),
    sa.UniqueConstraint('line_id', 'period_number', name=op.f('uq_budget_line_period_line_id_period_number'))
    )
    with op.batch_alter_table('budget_line_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_line_period_line_id'), ['line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_line_period_tenant_id'), ['tenant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('budget_line_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_line_period_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_budget_line_period_line_id'))

    op.drop_table('budget_line_period')
    with op.batch_alter_table('budget_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_line_version_id'))
        batch_op.drop_index(batch_op.f('ix_budget_line_tenant_id'))

    op.drop_table('budget_line')
    op.drop_table('finance_setup')
    with op.batch_alter_table('contribution_source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contribution_source_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_contribution_source_project_id'))

    op.drop_table('contribution_source')
    with op.batch_alter_table('budget_version', schema=None) as batch_op:
        batch_op.drop_index('uq_budget_version_in_force', sqlite_where=sa.text('in_force'), postgresql_where=sa.text('in_force'))
        batch_op.drop_index(batch_op.f('ix_budget_version_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_budget_version_project_id'))

    op.drop_table('budget_version')
