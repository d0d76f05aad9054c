"""The attempt and the question a URL names: found only inside the lesson's quiz the URL names (itself found only in
a course the library may see, `bibnet.elearning.lookups`), and an attempt only when it is the caller's own, in the
current library (the tenant guard). Anything else is a 404."""
from flask_login import current_user
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.elearning import lookups  # noqa: F401  (the course and lesson loaders run first)
from bibnet.elearning.quizzes.models import Quiz, QuizAttempt, QuizQuestion
from bibnet.extensions import db
from bibnet.loading import addressed, register_loader


def _quiz_of_addressed_lesson() -> Quiz | None:
    lesson = addressed("lesson")
    return db.session.scalar(sa.select(Quiz).where(Quiz.lesson_id == lesson.id)) if lesson is not None else None


def own_attempt(attempt_id: int) -> QuizAttempt | None:
    quiz = _quiz_of_addressed_lesson()
    if quiz is None or not current_user.is_authenticated:
        return None
    return db.session.scalar(sa.select(QuizAttempt).where(QuizAttempt.id == attempt_id, QuizAttempt.quiz_id == quiz.id, QuizAttempt.user_id == current_user.id))


def question_of_quiz(question_id: int) -> QuizQuestion | None:
    quiz = _quiz_of_addressed_lesson()
    if quiz is None:
        return None
    return db.session.scalar(
        sa.select(QuizQuestion).where(QuizQuestion.id == question_id, QuizQuestion.quiz_id == quiz.id).options(selectinload(QuizQuestion.options))
    )


register_loader("quiz_attempt_id", "attempt", own_attempt)
register_loader("quiz_question_id", "question", question_of_quiz)
