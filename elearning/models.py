"""Courses → modules → lessons (the content), and enrolments with lesson progress (each library's results).

Content belongs to no single tenant's rows: a course is owned by one library (`owner_tenant_id`) or by a project
(`project_id`, shared with every partner of it, who use it but cannot edit it), so its tables are global, like
projects, and enrolments of several tenants refer to one course. Which courses a library may see is decided in
one place, `bibnet.elearning.catalogue`, which every page and loader goes through. Enrolments and lesson
progress are tenant rows: the tenant guard and row-level security keep each library's learners to itself.

Every text a learner reads exists per language: a JSON object from locale to text (`{"en": …, "lv": …}`), one
column per kind of text. A language is present when its text is non-empty; `bibnet.elearning.languages` picks
the one to show.
"""
from datetime import date, datetime
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.accounts.models import User
from bibnet.audit.models import Audited
from bibnet.db import GlobalModel, Model, TimestampMixin, relationship, str_enum
from bibnet.tenancy.mixins import TenantScopedMixin
from bibnet.tenancy.models import Project, Tenant

# Locale → text; a language without text is left out.
Texts = dict[str, str]


class CourseStatus(enum.StrEnum):
    DRAFT = "draft"  # only its authors see it
    PUBLISHED = "published"  # learners see it; later edits keep everyone's progress


class Course(GlobalModel, Audited, TimestampMixin, Model):
    """A course of one library (owner_tenant_id) or of a project (project_id): exactly one of them is set."""

    __tablename__ = "course"
    __table_args__ = (
        sa.CheckConstraint("(owner_tenant_id IS NULL) <> (project_id IS NULL)", name="one_owner"),
        sa.CheckConstraint("validity_months BETWEEN 1 AND 240", name="validity_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_tenant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"), index=True)
    status: Mapped[CourseStatus] = mapped_column(str_enum(CourseStatus, 10), default=CourseStatus.DRAFT)
    title: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    summary: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    published_at: Mapped[datetime | None]
    # How long a certificate of this course stays valid (None: for good); a refresher renews it.
    validity_months: Mapped[int | None]

    owner_tenant: Mapped[Tenant | None] = relationship()
    project: Mapped[Project | None] = relationship()
    modules: Mapped[list["CourseModule"]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="(CourseModule.position, CourseModule.id)"
    )

    @property
    def is_published(self) -> bool:
        return self.status is CourseStatus.PUBLISHED

    @property
    def is_shared(self) -> bool:
        return self.project_id is not None


class CourseModule(GlobalModel, Audited, Model):
    """A part of a course; its lessons are taken in order."""

    __tablename__ = "course_module"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[Texts] = mapped_column(sa.JSON, default=dict)

    course: Mapped[Course] = relationship(back_populates="modules")
    lessons: Mapped[list["Lesson"]] = relationship(
        back_populates="module", cascade="all, delete-orphan", order_by="(Lesson.position, Lesson.id)"
    )


class Lesson(GlobalModel, Audited, Model):
    """One lesson: Markdown content per language, rendered and sanitised when shown (`bibnet.elearning.content`).

    Progress is kept by the lesson's id, never its position: reordering or editing a lesson keeps who did it.
    """

    __tablename__ = "lesson"
    __table_args__ = (sa.CheckConstraint("estimated_minutes BETWEEN 0 AND 6000", name="minutes_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("course_module.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # A required lesson counts for the course's completion; an optional one is offered, not demanded.
    required: Mapped[bool] = mapped_column(default=True)
    estimated_minutes: Mapped[int] = mapped_column(default=0)
    title: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    content: Mapped[Texts] = mapped_column(sa.JSON, default=dict)  # Markdown
    # Optional: the lesson in easy-to-read language (Markdown, per language), and a reading of it (an audio item
    # of the course's media, whose transcript is the lesson text itself).
    easy_read: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    audio_media_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course_media.id", ondelete="SET NULL"), index=True)

    module: Mapped[CourseModule] = relationship(back_populates="lessons")
    audio: Mapped["CourseMedia | None"] = relationship()


class MediaKind(enum.StrEnum):
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    CAPTIONS = "captions"  # WebVTT, the captions of a video or audio
    DOCUMENT = "document"  # a PDF, an office document or a plain text: a handout or a transcript


class CourseMedia(GlobalModel, Audited, TimestampMixin, Model):
    """A file of a course (image, audio, video, captions, document), owned by the course like its lessons and
    read by whoever may read the course (`bibnet.elearning.media`). The bytes are in the core storage under `key`
    (`courses/<course_id>/<random>`: a course of a project belongs to no tenant); its type was read from its
    content, never from its name or the browser's word."""

    __tablename__ = "course_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MediaKind] = mapped_column(str_enum(MediaKind, 10))
    key: Mapped[str] = mapped_column(sa.String(300), unique=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))


class Enrolment(TenantScopedMixin, Audited, TimestampMixin, Model):
    """A staff member's place in a course, in their library. A completed enrolment stays as the record of that
    completion; a refresher is a new enrolment (only one open enrolment per person and course)."""

    __tablename__ = "enrolment"
    __table_args__ = (
        sa.Index(
            "uq_enrolment_open", "tenant_id", "user_id", "course_id", unique=True,
            sqlite_where=sa.text("completed_at IS NULL"), postgresql_where=sa.text("completed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Empty once the record is anonymised (a leaver's, `bibnet.elearning.leavers`): then
    # `former_learner_key`, a random number shared by that person's enrolments in the library, still tells one
    # person from another, so the counts of past periods stay the same.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    former_learner_key: Mapped[int | None] = mapped_column(sa.BigInteger)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date | None]
    # Who enrolled them (a coordinator), or None when they started an optional course themselves.
    enrolled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    completed_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    enrolled_by: Mapped[User | None] = relationship(foreign_keys=[enrolled_by_id])
    course: Mapped[Course] = relationship()
    progress: Mapped[list["LessonProgress"]] = relationship(back_populates="enrolment", cascade="all, delete-orphan")

    def overdue(self, today: date) -> bool:
        return self.completed_at is None and self.due_on is not None and self.due_on < today


class LessonProgress(TenantScopedMixin, Model):
    """A lesson done within an enrolment."""

    __tablename__ = "lesson_progress"
    __table_args__ = (sa.UniqueConstraint("enrolment_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lesson.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[datetime]
    # The in-person workshop that recorded the lesson; empty for online study. No ON DELETE action (the default
    # NO ACTION, checked at the end of the statement): a workshop is never deleted under the progress it
    # recorded, which would silently turn in-person training into online study in past reports (SET NULL would);
    # correcting a workshop removes or re-marks that progress itself, and deleting a whole tenant still cascades.
    workshop_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workshop.id"), index=True)

    enrolment: Mapped[Enrolment] = relationship(back_populates="progress")


class DueReminder(TenantScopedMixin, Model):
    """A due-date reminder sent for an enrolment: once per enrolment, kind ("due_soon", "overdue") and due date,
    so a later run sends nothing twice and a new due date is reminded of again."""

    __tablename__ = "due_reminder"
    __table_args__ = (sa.UniqueConstraint("enrolment_id", "kind", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    due_on: Mapped[date]
    sent_at: Mapped[datetime]


# The workshop table, which lesson progress refers to, is in the same metadata whenever progress is.
from bibnet.elearning.workshops import models as _workshops  # noqa: E402, F401
