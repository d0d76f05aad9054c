"""In-person workshops and due-date reminders sent (tenant rows, with row-level security), the workshop that recorded a lesson's progress,
and anonymised enrolments of people who left (no user, a random key telling one former learner from another).

Revision ID: c4e7a91d3b62
Revises: 4c9e2b7d1f30
Create Date: 2026-12-02 17:00:00

"""
from alembic import op
import sqlalchemy as sa

from bibnet.tenancy import rls

# revision identifiers, used by Alembic.
revision = 'c4e7a91d3b62'
down_revision = "4c9e2b7d1f30"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('workshop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=True),
    sa.Column('facilitator', sa.String(length=200), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_workshop_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['course_module.id'], name=op.f('fk_workshop_module_id_course_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_workshop_recorded_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_workshop_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop'))
    )
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_module_id'), ['module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('workshop_attendee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('quiz_score', sa.Integer(), nullable=True),
    sa.Column('enrolment_id', sa.Integer(), nullable=True),
    sa.Column('opened_enrolment', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('quiz_score BETWEEN 0 AND 100', name=op.f('ck_workshop_attendee_score_range')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_workshop_attendee_enrolment_id_enrolment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_workshop_attendee_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_workshop_attendee_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_workshop_attendee_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_attendee')),
    sa.UniqueConstraint('workshop_id', 'user_id', name=op.f('uq_workshop_attendee_workshop_id_user_id'))
    )
    with op.batch_alter_table('workshop_attendee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_attendee_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_attendee_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_attendee_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_attendee_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('due_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_due_reminder_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_due_reminder_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_due_reminder')),
    sa.UniqueConstraint('enrolment_id', 'kind', 'due_on', name=op.f('uq_due_reminder_enrolment_id_kind_due_on'))
    )
    with op.batch_alter_table('due_reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_due_reminder_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_due_reminder_tenant_id'), ['tenant_id'], unique=False)

    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workshop_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_lesson_progress_workshop_id'), ['workshop_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_lesson_progress_workshop_id_workshop'), 'workshop', ['workshop_id'], ['id'])

    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('former_learner_key', sa.BigInteger(), nullable=True))
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)

    # Row-level security on every tenant table that lacks it (PostgreSQL; keep this last line).
    rls.enable_row_level_security(op)


def downgrade():
    op.execute(sa.text("DELETE FROM enrolment WHERE user_id IS NULL"))  # anonymised records have nobody to go back to
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('former_learner_key')

    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_lesson_progress_workshop_id_workshop'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_lesson_progress_workshop_id'))
        batch_op.drop_column('workshop_id')

    with op.batch_alter_table('due_reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_due_reminder_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_due_reminder_enrolment_id'))

    op.drop_table('due_reminder')
    with op.batch_alter_table('workshop_attendee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_attendee_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_attendee_user_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_attendee_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_attendee_enrolment_id'))

    op.drop_table('workshop_attendee')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_module_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_held_on'))
        batch_op.drop_index(batch_op.f('ix_workshop_course_id'))

    op.drop_table('workshop')
