"""One way to keep each kind of a course's files: lesson media of imported packages become the course's files, and
the files of SCORM packages move to `scorm_file`, which belongs to its package (and goes with it).

- Each `course_file` row under `media/` becomes a `course_media` row (the same stored bytes), and the lessons'
  texts that named it by its path (`media/door.png`, served by a route that is gone) name it `media:<id>` as every
  other lesson does. The kind is taken from the type the package import recorded (read from the file's extension
  then): images, audio and video of the types a course accepts keep it, WebVTT is captions, anything else is a
  document served only as a download.
- Each row under `scorm/<package id>/` becomes a `scorm_file` row of that package, by its path inside it; then
  `course_file` goes.

Downgrade brings `course_file` back with the SCORM files; the media stay the course's files (moving them back
would take their names out of the lessons' texts again).

Revision ID: 7d3f2a6c9e18
Revises: c3e7b1a95d42
Create Date: 2026-12-02 17:45:00

"""
from datetime import UTC, datetime
import re

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '7d3f2a6c9e18'
down_revision = "c3e7b1a95d42"
branch_labels = None
depends_on = None

course_file = sa.table(
    "course_file", sa.column("id", sa.Integer), sa.column("course_id", sa.Integer), sa.column("path", sa.String),
    sa.column("key", sa.String), sa.column("content_type", sa.String), sa.column("size", sa.Integer),
)
course_media = sa.table(
    "course_media", sa.column("id", sa.Integer), sa.column("course_id", sa.Integer), sa.column("kind", sa.String),
    sa.column("key", sa.String), sa.column("filename", sa.String), sa.column("content_type", sa.String),
    sa.column("size", sa.Integer), sa.column("created_at", sa.DateTime(timezone=True)),
)
scorm_file = sa.table(
    "scorm_file", sa.column("id", sa.Integer), sa.column("package_id", sa.Integer), sa.column("path", sa.String),
    sa.column("key", sa.String), sa.column("content_type", sa.String), sa.column("size", sa.Integer),
)
scorm_package = sa.table("scorm_package", sa.column("id", sa.Integer), sa.column("lesson_id", sa.Integer))
course_module = sa.table("course_module", sa.column("id", sa.Integer), sa.column("course_id", sa.Integer))
lesson = sa.table("lesson", sa.column("id", sa.Integer), sa.column("module_id", sa.Integer), sa.column("content", sa.JSON), sa.column("easy_read", sa.JSON))

IMAGES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
AUDIO = {"audio/mpeg", "audio/ogg", "audio/mp4"}
VIDEO = {"video/mp4", "video/webm"}
_NAME_CHARACTER = r"A-Za-z0-9._/:-"


def kind_and_type(content_type: str) -> tuple[str, str]:
    bare = content_type.split(";", 1)[0].strip()
    if bare in IMAGES:
        return "image", bare
    if bare in AUDIO:
        return "audio", bare
    if bare in VIDEO:
        return "video", bare
    if bare == "text/vtt":
        return "captions", bare
    if bare == "application/pdf":
        return "document", bare
    return "document", "application/octet-stream"


def renamed(markdown: str, names: dict[str, str]) -> str:
    """Each path replaced where it stands whole (`media/door.png`, not the start of `media/door.png.txt`)."""
    if not markdown:
        return markdown
    alternatives = "|".join(re.escape(path) for path in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<![{_NAME_CHARACTER}])({alternatives})(?![{_NAME_CHARACTER}])")
    return pattern.sub(lambda found: names[found.group(1)], markdown)


def upgrade():
    connection = op.get_bind()
    _media_to_course_files(connection)
    op.create_table('scorm_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=400), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['scorm_package.id'], name=op.f('fk_scorm_file_package_id_scorm_package'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorm_file')),
    sa.UniqueConstraint('key', name=op.f('uq_scorm_file_key')),
    sa.UniqueConstraint('package_id', 'path', name=op.f('uq_scorm_file_package_id_path'))
    )
    with op.batch_alter_table('scorm_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scorm_file_package_id'), ['package_id'], unique=False)
    packages = set(connection.scalars(sa.select(scorm_package.c.id)))
    for row in connection.execute(sa.select(course_file).where(course_file.c.path.like("scorm/%")).order_by(course_file.c.id)).all():
        _scorm, package_id, path = [*row.path.split("/", 2), "", ""][:3]
        if package_id.isdigit() and int(package_id) in packages and path:  # else the file of a package already deleted
            connection.execute(scorm_file.insert().values(
                package_id=int(package_id), path=path, key=row.key, content_type=row.content_type, size=row.size,
            ))
    with op.batch_alter_table('course_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_file_course_id'))
    op.drop_table('course_file')


def _media_to_course_files(connection):
    rows = connection.execute(
        sa.select(course_file).where(course_file.c.path.like("media/%")).order_by(course_file.c.course_id, course_file.c.id)
    ).all()
    names_by_course: dict[int, dict[str, str]] = {}
    for row in rows:
        kind, content_type = kind_and_type(row.content_type)
        media_id = connection.execute(course_media.insert().values(
            course_id=row.course_id, kind=kind, key=row.key, filename=row.path.rsplit("/", 1)[-1][-255:],
            content_type=content_type, size=row.size, created_at=datetime.now(UTC),
        ).returning(course_media.c.id)).scalar_one()
        names_by_course.setdefault(row.course_id, {})[row.path] = f"media:{media_id}"
    for course_id, names in names_by_course.items():
        lessons = connection.execute(
            sa.select(lesson.c.id, lesson.c.content, lesson.c.easy_read).join(course_module, course_module.c.id == lesson.c.module_id)
            .where(course_module.c.course_id == course_id)
        ).all()
        for found in lessons:
            content = {locale: renamed(text, names) for locale, text in (found.content or {}).items()}
            easy_read = {locale: renamed(text, names) for locale, text in (found.easy_read or {}).items()}
            if content != (found.content or {}) or easy_read != (found.easy_read or {}):
                connection.execute(lesson.update().where(lesson.c.id == found.id).values(content=content, easy_read=easy_read))
    if rows:
        connection.execute(course_file.delete().where(course_file.c.id.in_([row.id for row in rows])))


def downgrade():
    connection = op.get_bind()
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
    rows = connection.execute(
        sa.select(scorm_file, course_module.c.course_id)
        .join(scorm_package, scorm_package.c.id == scorm_file.c.package_id).join(lesson, lesson.c.id == scorm_package.c.lesson_id)
        .join(course_module, course_module.c.id == lesson.c.module_id).order_by(scorm_file.c.id)
    ).all()
    for row in rows:
        connection.execute(course_file.insert().values(
            course_id=row.course_id, path=f"scorm/{row.package_id}/{row.path}", key=row.key, content_type=row.content_type, size=row.size,
        ))
    with op.batch_alter_table('scorm_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scorm_file_package_id'))
    op.drop_table('scorm_file')
