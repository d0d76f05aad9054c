"""Quizzes: a lesson's quiz with its questions and options (course content: global rows, like lessons), and the
learners' attempts (tenant rows under the guard and row-level security).

The question bank of a course is the questions of its quizzes; each quiz draws its questions from its own bank
(all of them, or `draw_count` of them at random). Every text a learner reads (question, option, feedback) is
per language (`Texts`), shown with the fallback of `bibnet.elearning.languages`.

An attempt keeps the order it was shown in (`layout`), so a reload shows the same questions and options in the
same order, and, once submitted, the answers given and the score computed by the server. After
`QUIZ_ANSWER_RETENTION_DAYS` the answers and the per-question results are erased; the score, the pass and the
dates stay as the training record (`bibnet.elearning.quizzes.retention`).
"""
from datetime import datetime
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.audit.models import Audited
from bibnet.db import GlobalModel, Model, relationship, str_enum
from bibnet.elearning.models import Texts
from bibnet.tenancy.mixins import TenantScopedMixin


class QuestionKind(enum.StrEnum):
    SINGLE = "single"  # one option is right; the learner picks one
    MULTIPLE = "multiple"  # one or more options are right; the learner picks every right one
    TRUE_FALSE = "true_false"  # a statement, true or false (two options, made by the editor)


class Quiz(GlobalModel, Audited, Model):
    """The quiz of one lesson: the lesson is done only when the learner passes it."""

    __tablename__ = "quiz"
    __table_args__ = (
        sa.CheckConstraint("pass_mark BETWEEN 0 AND 100", name="pass_mark_range"),
        sa.CheckConstraint("attempt_limit IS NULL OR attempt_limit >= 1", name="attempt_limit_positive"),
        sa.CheckConstraint("draw_count IS NULL OR draw_count >= 1", name="draw_count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lesson.id", ondelete="CASCADE"), unique=True)
    pass_mark: Mapped[int] = mapped_column(default=80)  # percent of the questions answered right, 0-100
    attempt_limit: Mapped[int | None]  # submitted attempts allowed; None: unlimited
    shuffle: Mapped[bool] = mapped_column(default=False)  # questions and options in a random order per attempt
    draw_count: Mapped[int | None]  # questions drawn from the bank per attempt; None: all of them
    show_feedback: Mapped[bool] = mapped_column(default=True)  # after submitting: which were right, and why

    questions: Mapped[list["QuizQuestion"]] = relationship(
        back_populates="quiz", cascade="all, delete-orphan", order_by="(QuizQuestion.position, QuizQuestion.id)"
    )


class QuizQuestion(GlobalModel, Audited, Model):
    __tablename__ = "quiz_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind, 12))
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    feedback: Mapped[Texts] = mapped_column(sa.JSON, default=dict)  # shown after submitting, right or wrong

    quiz: Mapped[Quiz] = relationship(back_populates="questions")
    options: Mapped[list["QuizOption"]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="(QuizOption.position, QuizOption.id)"
    )


class QuizOption(GlobalModel, Audited, Model):
    __tablename__ = "quiz_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz_question.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[Texts] = mapped_column(sa.JSON, default=dict)
    correct: Mapped[bool] = mapped_column(default=False)

    question: Mapped[QuizQuestion] = relationship(back_populates="options")


class QuizAttempt(TenantScopedMixin, Audited, Model):
    """One try at a quiz by a learner of the library. Open until submitted; a submitted attempt never changes
    (submitting it again changes nothing)."""

    __tablename__ = "quiz_attempt"
    # The audit log records that an attempt changed, never the answers: they are erased on time, the log is not.
    __audit_redacted__ = frozenset({"layout", "answers", "results"})
    __table_args__ = (
        sa.CheckConstraint("correct_count IS NULL OR (correct_count >= 0 AND correct_count <= question_count)", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime]
    # [[question id, [option id, …]], …]: the questions drawn and the order shown, fixed when the attempt starts.
    layout: Mapped[list] = mapped_column(sa.JSON, default=list)
    submitted_at: Mapped[datetime | None]
    # {question id: [chosen option ids]} and {question id: answered right}; None once erased (or before submitting).
    answers: Mapped[dict | None] = mapped_column(sa.JSON)
    results: Mapped[dict | None] = mapped_column(sa.JSON)
    question_count: Mapped[int | None]  # questions scored
    correct_count: Mapped[int | None]
    pass_mark: Mapped[int | None]  # the quiz's pass mark when it was submitted: a later change does not re-grade
    passed: Mapped[bool | None]
    answers_erased_at: Mapped[datetime | None]

    quiz: Mapped[Quiz] = relationship()

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
