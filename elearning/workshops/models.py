"""A workshop held in a library, and who attended it. Both are tenant rows (tenant guard and row-level security).

The lessons a workshop covered are marked on each attendee's progress (`LessonProgress.workshop_id`): that is
how a report tells in-person training from online study.
"""
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.accounts.models import User
from bibnet.audit.models import Audited
from bibnet.db import Model, TimestampMixin, relationship
from bibnet.elearning.models import Course, CourseModule
from bibnet.tenancy.mixins import TenantScopedMixin

NAME_LENGTH = 200


class Workshop(TenantScopedMixin, Audited, TimestampMixin, Model):
    """An in-person session on a whole course (`module_id` empty) or on one module of it."""

    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(index=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course_module.id", ondelete="CASCADE"), index=True)
    facilitator: Mapped[str] = mapped_column(sa.String(NAME_LENGTH))
    place: Mapped[str] = mapped_column(sa.String(NAME_LENGTH), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    course: Mapped[Course] = relationship()
    module: Mapped[CourseModule | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    attendees: Mapped[list["WorkshopAttendee"]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="WorkshopAttendee.id"
    )


class WorkshopAttendee(TenantScopedMixin, Model):
    """One person at a workshop, with the score of the paper quiz when one was written (a whole percent)."""

    __tablename__ = "workshop_attendee"
    __table_args__ = (
        sa.UniqueConstraint("workshop_id", "user_id"),
        sa.CheckConstraint("quiz_score BETWEEN 0 AND 100", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    quiz_score: Mapped[int | None]
    # The enrolment the workshop recorded the lessons in, and whether the workshop opened it (the person had no
    # open enrolment): removing the attendee later undoes exactly that.
    enrolment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="SET NULL"), index=True)
    opened_enrolment: Mapped[bool] = mapped_column(default=False)

    workshop: Mapped[Workshop] = relationship(back_populates="attendees")
    user: Mapped[User] = relationship()
