"""E-learning media and easy-read: a course's files (global rows owned by the course, bytes in the core storage),
and per lesson an easy-read text per language and an audio version.

Revision ID: 4c7d2b9e6f13
Revises: 8a1e8417d0a4
Create Date: 2026-12-02 16:13:35.772002

"""
from alembic import op
import sqlalchemy as sa

from bibnet.tenancy import rls

# revision identifiers, used by Alembic.
revision = '4c7d2b9e6f13'
down_revision = '8a1e8417d0a4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_media',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('image', 'audio', 'video', 'captions', 'document', name='mediakind', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_media_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_course_media_uploaded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_media')),
    sa.UniqueConstraint('key', name=op.f('uq_course_media_key'))
    )
    with op.batch_alter_table('course_media', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_media_course_id'), ['course_id'], unique=False)

    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.add_column(sa.Column('easy_read', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('audio_media_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_lesson_audio_media_id'), ['audio_media_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_lesson_audio_media_id_course_media'), 'course_media', ['audio_media_id'], ['id'], ondelete='SET NULL')

    # Existing lessons have no easy-read text yet: an empty object, then the column is required like the others.
    op.execute("UPDATE lesson SET easy_read = '{}'")
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.alter_column('easy_read', existing_type=sa.JSON(), nullable=False)
    # Row-level security on every tenant table that lacks it (PostgreSQL; keep this last line).
    rls.enable_row_level_security(op)


def downgrade():
    with op.batch_alter_table('lesson', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_lesson_audio_media_id_course_media'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_lesson_audio_media_id'))
        batch_op.drop_column('audio_media_id')
        batch_op.drop_column('easy_read')

    with op.batch_alter_table('course_media', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_media_course_id'))

    op.drop_table('course_media')
