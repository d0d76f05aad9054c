"""Notifications (the core's one way to tell users what waits for them) and each user's choice between a mail
each time and a daily digest. A global table: it holds personal data until the retention job deletes it.

Revision ID: 53f6af91391a
Revises: 8c2e5f71a4d3
Create Date: 2026-12-02 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

from bibnet.tenancy import rls

# revision identifiers, used by Alembic.
revision = '53f6af91391a'
down_revision = "8c2e5f71a4d3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_mailed_at'), ['mailed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notification_delivery', sa.Enum('immediate', 'daily_digest', name='notificationdelivery', native_enum=False, create_constraint=True, length=12), server_default='immediate', nullable=False))

    # Row-level security on every tenant table that lacks it (PostgreSQL; keep this last line).
    rls.enable_row_level_security(op)


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('notification_delivery')

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_user_id'))
        batch_op.drop_index(batch_op.f('ix_notification_mailed_at'))

    op.drop_table('notification')
