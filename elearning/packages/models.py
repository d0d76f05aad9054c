"""SCORM lessons: their files, their packages, and each learner's SCORM runtime data.

A SCORM lesson's files belong to its course, which is a global row (one course serves every partner of a
project), so their records are global too; the bytes live in the core storage backend under `courses/<course id>/<random>`. They reach a learner only through
`bibnet.elearning.packages.views`, after the same checks as the course's lessons (`bibnet.elearning.catalogue`).

A SCORM lesson is an ordinary lesson with a `ScormPackage` and its `ScormFile`s: the player shows the package
instead of Markdown.
What a learner's SCO stores (status, score, suspend data, times) is a tenant row, `ScormAttempt`, under the
guard and row-level security like every other learning record.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.db import GlobalModel, Model, TimestampMixin
from bibnet.elearning import models as _course_tables  # noqa: F401  (course and lesson, which these refer to)
from bibnet.tenancy.mixins import TenantScopedMixin


class ScormPackage(GlobalModel, Model):
    """A SCORM 1.2 package shown as one lesson; its files are the course's files under `scorm/<id>/`."""

    __tablename__ = "scorm_package"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lesson.id", ondelete="CASCADE"), unique=True)
    # The SCO's launch file inside the package, with its query string if the manifest gives one.
    launch: Mapped[str] = mapped_column(sa.String(400))
    # The mastery score of the manifest (adlcp:masteryscore), which the SCO may use to decide passed or failed.
    mastery_score: Mapped[int | None]


class ScormFile(GlobalModel, Model):
    """One file of a SCORM package, by its path inside the package ("index.html", "js/api.js"); it goes with its
    package. (Media that lessons show are the course's files, `CourseMedia`: `bibnet.elearning.media`.)"""

    __tablename__ = "scorm_file"
    __table_args__ = (sa.UniqueConstraint("package_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(sa.ForeignKey("scorm_package.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(sa.String(400))
    key: Mapped[str] = mapped_column(sa.String(300), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]


class ScormAttempt(TenantScopedMixin, TimestampMixin, Model):
    """What one learner's SCO has stored: SCORM 1.2 `cmi` values, checked before they are kept."""

    __tablename__ = "scorm_attempt"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lesson.id", ondelete="CASCADE"), index=True)
    lesson_status: Mapped[str] = mapped_column(sa.String(20), default="not attempted")
    score_raw: Mapped[str] = mapped_column(sa.String(20), default="")  # CMIDecimal as the SCO wrote it, or blank
    score_min: Mapped[str] = mapped_column(sa.String(20), default="")
    score_max: Mapped[str] = mapped_column(sa.String(20), default="")
    lesson_location: Mapped[str] = mapped_column(sa.String(255), default="")
    suspend_data: Mapped[str] = mapped_column(sa.Text, default="")
    total_seconds: Mapped[int] = mapped_column(default=0)  # the sessions' cmi.core.session_time, added up
    finished_at: Mapped[datetime | None]  # the last LMSFinish
