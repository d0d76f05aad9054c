"""Taking a quiz: the only code that starts and submits attempts. Pages, the API and the demo call it alike.

Every check comes first and raises `Refused` (422) with the field that is wrong; nothing is written then. Answers
are `{question id: [option ids]}`; field errors are named `answers.<question id>` (on pages `answers_<id>`).
A passed attempt marks its lesson done through `learning.mark_done`, which completes the course when it was the
last required lesson (and runs the completion listeners, such as certificates).
"""
from collections.abc import Mapping
import random

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.db import utcnow
from bibnet.elearning import learning
from bibnet.elearning.models import Course, Enrolment, Lesson
from bibnet.elearning.quizzes import scoring
from bibnet.elearning.quizzes.models import QuestionKind, Quiz, QuizAttempt, QuizOption, QuizQuestion
from bibnet.extensions import db
from bibnet.refusals import Refused, refuse_if_any

NOT_PUBLISHED = _l("This course is not published yet: its quiz cannot be taken.")
NO_QUESTIONS = _l("This quiz has no questions yet.")
NO_ATTEMPTS_LEFT = _l("You have used every attempt this quiz allows.")
ALREADY_SUBMITTED = _l("This attempt is submitted already; its result stays as it was. Start a new attempt to try again.")
UNKNOWN_QUESTION = _l("This question is not part of your attempt.")
UNKNOWN_OPTION = _l("Choose one of the answers shown for this question.")
ONE_ANSWER_ONLY = _l("Choose only one answer to this question.")
PASS_THE_QUIZ = _l("This lesson is done when you pass its quiz.")
ANSWER_ONCE = _l("Give each question's answer once.")

Answers = Mapping[int, list[int]]


def quiz_of_lesson(lesson_id: int) -> Quiz | None:
    """With its questions and their options, which every quiz page counts or shows."""
    return db.session.scalar(
        sa.select(Quiz).where(Quiz.lesson_id == lesson_id).options(selectinload(Quiz.questions).selectinload(QuizQuestion.options))
    )


def lessons_with_quiz(lesson_ids: list[int]) -> set[int]:
    return set(db.session.scalars(sa.select(Quiz.lesson_id).where(Quiz.lesson_id.in_(lesson_ids or [0]))))


def attempts_of(quiz: Quiz, user_id: int) -> sa.Select:
    """The learner's attempts at the quiz in their library, newest first (through the tenant guard)."""
    return sa.select(QuizAttempt).where(QuizAttempt.quiz_id == quiz.id, QuizAttempt.user_id == user_id).order_by(QuizAttempt.id.desc())


def submitted_count(quiz: Quiz, user_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(QuizAttempt.id)).where(QuizAttempt.quiz_id == quiz.id, QuizAttempt.user_id == user_id, QuizAttempt.submitted_at.is_not(None))
    )


def attempts_left(quiz: Quiz, user_id: int) -> int | None:
    """Submitted attempts still allowed (None: unlimited)."""
    if quiz.attempt_limit is None:
        return None
    return max(0, quiz.attempt_limit - submitted_count(quiz, user_id))


def has_passed(quiz: Quiz, user_id: int) -> bool:
    return db.session.scalar(
        sa.select(QuizAttempt.id).where(QuizAttempt.quiz_id == quiz.id, QuizAttempt.user_id == user_id, QuizAttempt.passed.is_(True)).limit(1)
    ) is not None


def open_attempt(quiz: Quiz, user_id: int) -> QuizAttempt | None:
    return db.session.scalar(attempts_of(quiz, user_id).where(QuizAttempt.submitted_at.is_(None)).limit(1))


def _load_questions(quiz: Quiz) -> dict[int, QuizQuestion]:
    questions = db.session.scalars(
        sa.select(QuizQuestion).where(QuizQuestion.quiz_id == quiz.id).options(selectinload(QuizQuestion.options)).order_by(QuizQuestion.position, QuizQuestion.id)
    ).all()
    return {question.id: question for question in questions}


def _layout(questions: list[QuizQuestion], quiz: Quiz, rng: random.Random) -> list:
    drawn = questions
    if quiz.draw_count is not None and quiz.draw_count < len(questions):
        chosen = set(rng.sample([question.id for question in questions], quiz.draw_count))
        drawn = [question for question in questions if question.id in chosen]
    layout = [[question.id, [option.id for option in question.options]] for question in drawn]
    if quiz.shuffle:
        rng.shuffle(layout)
        for _question_id, option_ids in layout:
            rng.shuffle(option_ids)
    return layout


def _check_can_attempt(course: Course, quiz: Quiz, user_id: int) -> None:
    if not course.is_published:
        raise Refused({"course": [NOT_PUBLISHED]})
    left = attempts_left(quiz, user_id)
    if left == 0:
        raise Refused({"attempt": [NO_ATTEMPTS_LEFT]})


def start_attempt(course: Course, lesson: Lesson, quiz: Quiz, user, rng: random.Random | None = None) -> QuizAttempt:
    """The learner's open attempt, or a new one with its questions drawn and ordered now. The caller commits."""
    _check_can_attempt(course, quiz, user.id)
    questions = _load_questions(quiz)
    current = open_attempt(quiz, user.id)
    if current is not None:
        if any(question_id in questions for question_id, _options in current.layout):
            return current
        db.session.delete(current)  # every question it showed was deleted since: it can never be answered
    if not questions:
        raise Refused({"quiz": [NO_QUESTIONS]})
    enrolment = learning.current_enrolment(user.id, course.id) or learning.start(course, user)
    attempt = QuizAttempt(
        quiz_id=quiz.id, user_id=user.id, enrolment_id=enrolment.id, started_at=utcnow(),
        layout=_layout(list(questions.values()), quiz, rng or random.SystemRandom()),
    )
    db.session.add(attempt)
    db.session.flush()
    return attempt


def shown(attempt: QuizAttempt, quiz: Quiz) -> list[tuple[QuizQuestion, list[QuizOption]]]:
    """The attempt's questions and options in the order it was shown; those deleted since are left out."""
    questions = _load_questions(quiz)
    result = []
    for question_id, option_ids in attempt.layout:
        question = questions.get(question_id)
        if question is None:
            continue
        options = {option.id: option for option in question.options}
        # Options added since the attempt started come last, so an edit never hides a right answer.
        ordered = [options[i] for i in option_ids if i in options] + [o for o in question.options if o.id not in option_ids]
        result.append((question, ordered))
    return result


def _check_answers(answers: Answers, asked: dict[int, QuizQuestion]) -> dict[int, set[int]]:
    errors: dict[str, list] = {}
    chosen: dict[int, set[int]] = {}
    for question_id, option_ids in answers.items():
        field = f"answers.{question_id}"
        question = asked.get(question_id)
        if question is None:
            errors[field] = [UNKNOWN_QUESTION]
            continue
        own = {option.id for option in question.options}
        picked = set(option_ids)
        if not picked <= own:
            errors[field] = [UNKNOWN_OPTION]
        elif question.kind is not QuestionKind.MULTIPLE and len(picked) > 1:
            errors[field] = [ONE_ANSWER_ONLY]
        chosen[question_id] = picked
    refuse_if_any(errors)
    return chosen


def submit(attempt: QuizAttempt, course: Course, lesson: Lesson, quiz: Quiz, answers: Answers) -> QuizAttempt:
    """Score the attempt on the server and keep it; a pass marks the lesson done. The caller commits.

    Refused, and nothing written: an attempt submitted already, a draft course, no attempts left, a question
    not in the attempt, an option not of its question, two answers to a one-answer question."""
    if attempt.is_submitted:
        raise Refused({"attempt": [ALREADY_SUBMITTED]})
    if not course.is_published:
        raise Refused({"course": [NOT_PUBLISHED]})
    if attempts_left(quiz, attempt.user_id) == 0:
        raise Refused({"attempt": [NO_ATTEMPTS_LEFT]})
    asked = {question.id: question for question, _options in shown(attempt, quiz)}
    chosen = _check_answers(answers, asked)
    results = {str(question_id): scoring.is_right(question, chosen.get(question_id, set())) for question_id, question in asked.items()}
    attempt.answers = {str(question_id): sorted(chosen.get(question_id, set())) for question_id in asked}
    attempt.results = results
    attempt.question_count = len(asked)
    attempt.correct_count = sum(results.values())
    attempt.pass_mark = quiz.pass_mark
    attempt.passed = scoring.passes(attempt.correct_count, attempt.question_count, quiz.pass_mark)
    attempt.submitted_at = utcnow()
    db.session.flush()
    if attempt.passed:
        enrolment = db.session.get(Enrolment, attempt.enrolment_id)
        learning.mark_done(enrolment, lesson, course)
    return attempt


def percent(attempt: QuizAttempt):
    return scoring.percent(attempt.correct_count or 0, attempt.question_count or 0)
