"""Lesson media of imported packages become the course's files: each `course_file` row under `media/` becomes a
`course_media` row (the same stored bytes), and the lessons' texts that named it by its path (`media/door.png`,
served by a route that is gone) name it `media:<id>` as every other lesson does. `course_file` keeps only the
files of SCORM lessons. Data only; the schema does not change.

The kind is taken from the type the package import recorded (read from the file's extension then): images,
audio and video of the types a course accepts keep it, WebVTT is captions, anything else is a document served
only as a download. Downgrade does not move files back (the lessons' texts would lose their names again).

Revision ID: 7d3f2a6c9e18
Revises: c4e1f5a9b7d2
Create Date: 2026-12-02 17:45:00

"""
from datetime import UTC, datetime
import re

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '7d3f2a6c9e18'
down_revision = "c4e1f5a9b7d2"
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
    pass
