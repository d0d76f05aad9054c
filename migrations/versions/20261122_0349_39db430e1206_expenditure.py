"""Expenditure items in the fields of Jems's list of expenditure, their attachments, and each partner's
finance settings. A duplicate invoice (same supplier and number, not deleted) is refused by a partial unique index.

Revision ID: 39db430e1206
Revises: 11d49a15ac66
Create Date: 2026-11-22 03:49:53.244372

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '39db430e1206'
down_revision = '11d49a15ac66'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('expenditure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('period_number', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('staff', 'office', 'travel', 'external', 'equipment', 'infrastructure', name='costcategory', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('internal_reference', sa.String(length=30), nullable=False),
    sa.Column('invoice_number', sa.String(length=30), nullable=True),
    sa.Column('invoice_date', sa.Date(), nullable=False),
    sa.Column('payment_date', sa.Date(), nullable=True),
    sa.Column('supplier', sa.String(length=200), nullable=False),
    sa.Column('supplier_key', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=False),
    sa.Column('comment', sa.String(length=255), nullable=False),
    sa.Column('invoice_total', sa.Numeric(precision=17, scale=2), nullable=False),
    sa.Column('vat', sa.Numeric(precision=17, scale=2), nullable=True),
    sa.Column('declared_amount', sa.Numeric(precision=17, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('conversion_rate', sa.Numeric(precision=15, scale=6), nullable=True),
    sa.Column('declared_eur', sa.Numeric(precision=17, scale=2), nullable=False),
    sa.Column('procurement_reference', sa.String(length=60), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'verified', 'rejected', name='expenditurestatus', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('status_comment', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('conversion_rate IS NULL OR conversion_rate > 0', name=op.f('ck_expenditure_rate_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_expenditure_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['user.id'], name=op.f('fk_expenditure_deleted_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_expenditure_project_id_project'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_expenditure_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expenditure'))
    )
    with op.batch_alter_table('expenditure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expenditure_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expenditure_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_expenditure_tenant_project_period', ['tenant_id', 'project_id', 'period_number'], unique=False)
        batch_op.create_index('uq_expenditure_invoice', ['tenant_id', 'project_id', 'supplier_key', 'invoice_number'], unique=True, sqlite_where=sa.text('deleted_at IS NULL AND invoice_number IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NULL AND invoice_number IS NOT NULL'))

    op.create_table('finance_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_may_draft', sa.Boolean(), nullable=False),
    sa.Column('import_mapping', sa.JSON(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_finance_settings_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_settings')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_finance_settings_tenant_id'))
    )
    with op.batch_alter_table('finance_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finance_settings_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('expenditure_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expenditure_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['expenditure_id'], ['expenditure.id'], name=op.f('fk_expenditure_attachment_expenditure_id_expenditure'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], name=op.f('fk_expenditure_attachment_file_id_stored_file'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_expenditure_attachment_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expenditure_attachment'))
    )
    with op.batch_alter_table('expenditure_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expenditure_attachment_expenditure_id'), ['expenditure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expenditure_attachment_tenant_id'), ['tenant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('expenditure_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expenditure_attachment_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_expenditure_attachment_expenditure_id'))

    op.drop_table('expenditure_attachment')
    with op.batch_alter_table('finance_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finance_settings_tenant_id'))

    op.drop_table('finance_settings')
    with op.batch_alter_table('expenditure', schema=None) as batch_op:
        batch_op.drop_index('uq_expenditure_invoice', sqlite_where=sa.text('deleted_at IS NULL AND invoice_number IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NULL AND invoice_number IS NOT NULL'))
        batch_op.drop_index('ix_expenditure_tenant_project_period')
        batch_op.drop_index(batch_op.f('ix_expenditure_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_expenditure_project_id'))

    op.drop_table('expenditure')
