"""Impact surveys: a bank of items shared by every library, templates picked from it, runs, anonymous responses.

The item bank (`SurveyItem`) is global so that answers stay comparable across libraries and countries: each
item measures one outcome area and reads the same in plain, easy-read and large-print form, in every language.
A library's template picks items from the bank; a run puts a template before people after a programme, a room
visit or a course, at once or as a follow-up, and optionally pairs a "before" with an "after" run.

A response is anonymous: it names no person, account or address, and keeps only the day it came in. A
participant who wants their before and after matched picks a code of their own; only a keyed hash of it
is stored (`match_key`), the same in both runs of the pair.
"""
from datetime import date
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.audit.models import Audited
from bibnet.db import GlobalModel, Model, TimestampMixin, relationship, str_enum
from bibnet.tenancy.mixins import TenantScopedMixin

# Locale → text; a language without text is left out.
Texts = dict[str, str]

CODE_LENGTH = 8


class Outcome(enum.StrEnum):
    """The outcome areas of PLA's Project Outcome, and wellbeing for the sensory rooms."""

    KNOWLEDGE = "knowledge"
    CONFIDENCE = "confidence"
    APPLICATION = "application"
    AWARENESS = "awareness"
    WELLBEING = "wellbeing"


class Timing(enum.StrEnum):
    IMMEDIATE = "immediate"  # at the end of the session or course
    FOLLOW_UP = "follow_up"  # weeks later: did it last, was it applied


class Phase(enum.StrEnum):
    SINGLE = "single"
    BEFORE = "before"
    AFTER = "after"  # names its BEFORE run: `before_run_id`


class Channel(enum.StrEnum):
    ONLINE = "online"  # the public link or its QR code
    PAPER = "paper"  # a printed form, typed in by staff
    ASSISTED = "assisted"  # staff read out the questions and entered the answers


class SurveyItem(GlobalModel, Audited, Model):
    """A statement rated on a five-point scale (1 strongly disagree … 5 strongly agree), in three forms."""

    __tablename__ = "survey_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable, for the bank's seed and for exports: "wellbeing.calm".
    key: Mapped[str] = mapped_column(sa.String(60), unique=True)
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, 12))
    plain: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    easy_read: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    large_print: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)


class SurveyTemplate(TenantScopedMixin, Audited, TimestampMixin, Model):
    __tablename__ = "survey_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    items: Mapped[list["TemplateItem"]] = relationship(back_populates="template", cascade="all, delete-orphan", order_by="TemplateItem.position")


class TemplateItem(TenantScopedMixin, Model):
    __tablename__ = "survey_template_item"
    __table_args__ = (sa.UniqueConstraint("template_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_template.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_item.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    template: Mapped[SurveyTemplate] = relationship(back_populates="items")
    item: Mapped[SurveyItem] = relationship()


class SurveyRun(TenantScopedMixin, Audited, TimestampMixin, Model):
    """A template put before people about one subject: a programme, a sensory room or a course (one of them)."""

    __tablename__ = "survey_run"
    __table_args__ = (
        sa.CheckConstraint(
            "(CASE WHEN programme_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN room_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN course_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_subject",
        ),
        sa.CheckConstraint("phase = 'after' OR before_run_id IS NULL", name="only_after_has_before"),
        sa.CheckConstraint("closes_on IS NULL OR opens_on IS NULL OR closes_on >= opens_on", name="closes_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_template.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    programme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("programme.id", ondelete="RESTRICT"), index=True)
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id", ondelete="RESTRICT"), index=True)
    course_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course.id", ondelete="RESTRICT"), index=True)
    timing: Mapped[Timing] = mapped_column(str_enum(Timing, 10), default=Timing.IMMEDIATE)
    phase: Mapped[Phase] = mapped_column(str_enum(Phase, 8), default=Phase.SINGLE)
    before_run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("survey_run.id", ondelete="SET NULL"))
    # Ask respondents for a code of their own, to match their before and after answers.
    matched: Mapped[bool] = mapped_column(default=False)
    # The public code: the online link, the QR code and the printed paper form carry it.
    code: Mapped[str] = mapped_column(sa.String(CODE_LENGTH), unique=True)
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]

    template: Mapped[SurveyTemplate] = relationship()
    before_run: Mapped["SurveyRun | None"] = relationship(remote_side=[id])


class SurveyResponse(TenantScopedMixin, Model):
    """One anonymous set of answers. Not audited: an audit entry would tie it to a time and, online, to nobody
    useful; typed-in paper forms are counted per channel instead."""

    __tablename__ = "survey_response"
    __table_args__ = (sa.Index("ix_survey_response_run_match_key", "run_id", "match_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_run.id", ondelete="CASCADE"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, 8))
    # The day only: a time of day could be matched against who was in the room.
    received_on: Mapped[date]
    match_key: Mapped[str | None] = mapped_column(sa.String(64))

    answers: Mapped[list["SurveyAnswer"]] = relationship(back_populates="response", cascade="all, delete-orphan")


class SurveyAnswer(TenantScopedMixin, Model):
    """A rating 1..5 of one item; None: not answered, or "I don't know"."""

    __tablename__ = "survey_answer"
    __table_args__ = (
        sa.UniqueConstraint("response_id", "item_id"),
        sa.Index("ix_survey_answer_item_id", "item_id"),
        sa.CheckConstraint("value IS NULL OR value BETWEEN 1 AND 5", name="value_on_scale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_response.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_item.id", ondelete="RESTRICT"))
    value: Mapped[int | None] = mapped_column(sa.SmallInteger)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
