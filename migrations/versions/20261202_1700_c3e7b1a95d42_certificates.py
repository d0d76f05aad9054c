"""Certificates of completed courses, courses required for gated actions, expiry reminders sent (tenant rows, with
row-level security), and a course's validity in months.

Revision ID: c3e7b1a95d42
Revises: c4e7a91d3b62
Create Date: 2026-12-02 17:00:00

"""
from alembic import op
import sqlalchemy as sa

from bibnet.tenancy import rls

# revision identifiers, used by Alembic.
revision = 'c3e7b1a95d42'
down_revision = "c4e7a91d3b62"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.add_column(sa.Column('validity_months', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_course_validity_range'), 'validity_months BETWEEN 1 AND 240')

    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revocation_reason', sa.String(length=500), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_certificate_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_certificate_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], name=op.f('fk_certificate_revoked_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_certificate_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_certificate_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('code', name=op.f('uq_certificate_code')),
    sa.UniqueConstraint('enrolment_id', name=op.f('uq_certificate_enrolment_id'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_valid_until'), ['valid_until'], unique=False)

    op.create_table('course_requirement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=100), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_requirement_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_course_requirement_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_requirement')),
    sa.UniqueConstraint('tenant_id', 'action', 'course_id', name=op.f('uq_course_requirement_tenant_id_action_course_id'))
    )
    with op.batch_alter_table('course_requirement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_requirement_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_requirement_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('certificate_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('days_before', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], name=op.f('fk_certificate_reminder_certificate_id_certificate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_certificate_reminder_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_reminder')),
    sa.UniqueConstraint('certificate_id', 'days_before', name=op.f('uq_certificate_reminder_certificate_id_days_before'))
    )
    with op.batch_alter_table('certificate_reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_reminder_certificate_id'), ['certificate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_reminder_tenant_id'), ['tenant_id'], unique=False)

    # Row-level security on every tenant table that lacks it (PostgreSQL; keep this last line).
    rls.enable_row_level_security(op)


def downgrade():
    with op.batch_alter_table('certificate_reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_reminder_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_reminder_certificate_id'))

    op.drop_table('certificate_reminder')
    with op.batch_alter_table('course_requirement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_requirement_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_course_requirement_course_id'))

    op.drop_table('course_requirement')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_valid_until'))
        batch_op.drop_index(batch_op.f('ix_certificate_user_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_course_id'))

    op.drop_table('certificate')
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_course_validity_range'), type_='check')
        batch_op.drop_column('validity_months')
