"""The job runner's last run per job, and the mail outbox. Both are global tables (no tenant); the outbox
holds personal data (addresses and texts) until the retention job deletes sent mail.

Revision ID: 3d7a9e4c1b20
Revises: 5b1f0c7e2a91
Create Date: 2026-12-02 11:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

from bibnet.tenancy import rls

# revision identifiers, used by Alembic.
revision = '3d7a9e4c1b20'
down_revision = '5b1f0c7e2a91'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_run',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('last_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_outcome', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_run'))
    )
    op.create_table('queued_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('gave_up_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queued_mail'))
    )
    with op.batch_alter_table('queued_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_queued_mail_next_attempt_at'), ['next_attempt_at'], unique=False)
    # Row-level security on every tenant table that lacks it (PostgreSQL; keep this last line).
    rls.enable_row_level_security(op)


def downgrade():
    with op.batch_alter_table('queued_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_queued_mail_next_attempt_at'))
    op.drop_table('queued_mail')
    op.drop_table('job_run')
