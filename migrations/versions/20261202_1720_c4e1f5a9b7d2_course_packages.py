"""Course packages: a course's files (lesson media, SCORM files; global, like the course), SCORM lessons, and each
learner's SCORM runtime data (tenant rows, with row-level security).

Revision ID: c4e1f5a9b7d2
Revises: 4c7d2b9e6f13
Create Date: 2026-12-02 17:20:00

"""
from alembic import op
import sqlalchemy as sa

from bibnet.tenancy import rls

# revision identifiers, used by Alembic.
revision = 'c4e1f5a9b7d2'
down_revision = "4c7d2b9e6f13"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=400), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_file_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_file')),
    sa.UniqueConstraint('course_id', 'path', name=op.f('uq_course_file_course_id_path')),
    sa.UniqueConstraint('key', name=op.f('uq_course_file_key'))
    )
    with op.batch_alter_table('course_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_file_course_id'), ['course_id'], unique=False)

    op.create_table('scorm_package',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('launch', sa.String(length=400), nullable=False),
    sa.Column('mastery_score', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], name=op.f('fk_scorm_package_lesson_id_lesson'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorm_package')),
    sa.UniqueConstraint('lesson_id', name=op.f('uq_scorm_package_lesson_id'))
    )
    op.create_table('scorm_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('lesson_status', sa.String(length=20), nullable=False),
    sa.Column('score_raw', sa.String(length=20), nullable=False),
    sa.Column('score_min', sa.String(length=20), nullable=False),
    sa.Column('score_max', sa.String(length=20), nullable=False),
    sa.Column('lesson_location', sa.String(length=255), nullable=False),
    sa.Column('suspend_data', sa.Text(), nullable=False),
    sa.Column('total_seconds', sa.Integer(), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], name=op.f('fk_scorm_attempt_lesson_id_lesson'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_scorm_attempt_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_scorm_attempt_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorm_attempt')),
    sa.UniqueConstraint('tenant_id', 'user_id', 'lesson_id', name=op.f('uq_scorm_attempt_tenant_id_user_id_lesson_id'))
    )
    with op.batch_alter_table('scorm_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scorm_attempt_lesson_id'), ['lesson_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scorm_attempt_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scorm_attempt_user_id'), ['user_id'], unique=False)

    # Row-level security on every tenant table that lacks it (PostgreSQL; keep this last line).
    rls.enable_row_level_security(op)


def downgrade():
    with op.batch_alter_table('scorm_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scorm_attempt_user_id'))
        batch_op.drop_index(batch_op.f('ix_scorm_attempt_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_scorm_attempt_lesson_id'))

    op.drop_table('scorm_attempt')
    op.drop_table('scorm_package')
    with op.batch_alter_table('course_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_file_course_id'))

    op.drop_table('course_file')
