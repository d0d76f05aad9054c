"""Writing quizzes: the only code that creates or changes a quiz, its questions and answers. The library's
coordinators and a project's lead call it from the same pages (permissions in `bibnet.elearning`).

Every check comes first and raises `Refused` naming the field ("text_lv", "option_2_text_en"); nothing changes
then. Editing the quiz of a published course re-grades nobody: submitted attempts keep their score and pass,
and lessons done stay done (`QuizAttempt` keeps its own results and the pass mark it was graded with).
"""
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.elearning.models import Lesson, Texts
from bibnet.elearning.quizzes.models import QuestionKind, Quiz, QuizOption, QuizQuestion
from bibnet.extensions import db
from bibnet.refusals import refuse_if_any

TEXT_LENGTH = 2000
OPTION_LENGTH = 500

PASS_MARK_RANGE = _l("Enter the pass mark, a whole number from 0 to 100.")
LIMIT_RANGE = _l("Enter a whole number from 1 to 100, or leave it empty for no limit.")
DRAW_RANGE = _l("Enter a whole number from 1 to 500, or leave it empty to use every question.")
QUESTION_NEEDED = _l("Write the question in at least one language.")
TOO_LONG = _l("Keep this text to %(max)d characters.", max=TEXT_LENGTH)
OPTION_TOO_LONG = _l("Keep an answer to %(max)d characters.", max=OPTION_LENGTH)
TWO_OPTIONS_NEEDED = _l("Give at least two answers to choose from.")
ONE_RIGHT_NEEDED = _l("Mark exactly one answer as right.")
SOME_RIGHT_NEEDED = _l("Mark at least one answer as right.")
RIGHT_WITHOUT_TEXT = _l("An answer marked as right needs its text.")
UNKNOWN_KIND = _l("Choose the kind of question.")

# The two answers of a true-or-false question, in every language of the platform.
TRUE = {"en": "True", "lv": "Patiesi", "lt": "Tiesa"}
FALSE = {"en": "False", "lv": "Nepatiesi", "lt": "Netiesa"}


def _cleaned(texts: Texts) -> Texts:
    return {locale: text.strip() for locale, text in texts.items() if text and text.strip()}


def quiz_settings(lesson: Lesson, quiz: Quiz | None, pass_mark, attempt_limit, shuffle: bool, draw_count, show_feedback: bool) -> Quiz:
    """Give the lesson its quiz, or change its settings. Returns the quiz (added to the session)."""
    errors: dict[str, list] = {}
    if not isinstance(pass_mark, int) or not 0 <= pass_mark <= 100:
        errors["pass_mark"] = [PASS_MARK_RANGE]
    if attempt_limit is not None and not (isinstance(attempt_limit, int) and 1 <= attempt_limit <= 100):
        errors["attempt_limit"] = [LIMIT_RANGE]
    if draw_count is not None and not (isinstance(draw_count, int) and 1 <= draw_count <= 500):
        errors["draw_count"] = [DRAW_RANGE]
    refuse_if_any(errors)
    quiz = quiz or Quiz(lesson_id=lesson.id)
    quiz.pass_mark, quiz.attempt_limit, quiz.shuffle = pass_mark, attempt_limit, shuffle
    quiz.draw_count, quiz.show_feedback = draw_count, show_feedback
    db.session.add(quiz)
    db.session.flush()
    return quiz


def _check_length(errors: dict, name: str, texts: Texts, limit: int, message) -> None:
    for locale, text in texts.items():
        if len(text) > limit:
            errors.setdefault(f"{name}_{locale}", []).append(message)


def save_question(
    quiz: Quiz, question: QuizQuestion | None, kind: str, texts: Texts, feedback: Texts,
    options: list[tuple[Texts, bool]], true_answer: bool = True, first_locale: str = "en",
) -> QuizQuestion:
    """Create or change a question. `options` are the page's rows (texts, right?) in order; rows without text
    are left out. A true-or-false question gets its two answers from the platform (`TRUE`, `FALSE`)."""
    texts, feedback = _cleaned(texts), _cleaned(feedback)
    errors: dict[str, list] = {}
    try:
        kind = QuestionKind(kind)
    except ValueError:
        errors["kind"] = [UNKNOWN_KIND]
    if not texts:
        errors[f"text_{first_locale}"] = [QUESTION_NEEDED]
    _check_length(errors, "text", texts, TEXT_LENGTH, TOO_LONG)
    _check_length(errors, "feedback", feedback, TEXT_LENGTH, TOO_LONG)
    rows: list[tuple[Texts, bool]] = []
    if kind is QuestionKind.TRUE_FALSE:
        rows = [(dict(TRUE), true_answer), (dict(FALSE), not true_answer)]
    elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        for number, (option_texts, right) in enumerate(options, start=1):
            option_texts = _cleaned(option_texts)
            _check_length(errors, f"option_{number}_text", option_texts, OPTION_LENGTH, OPTION_TOO_LONG)
            if option_texts:
                rows.append((option_texts, right))
            elif right:
                errors[f"option_{number}_text_{first_locale}"] = [RIGHT_WITHOUT_TEXT]
        right_count = sum(right for _texts, right in rows)
        if len(rows) < 2:
            errors.setdefault("option_1_text_" + first_locale, []).append(TWO_OPTIONS_NEEDED)
        elif kind is QuestionKind.SINGLE and right_count != 1:
            errors.setdefault("option_1_correct", []).append(ONE_RIGHT_NEEDED)
        elif kind is QuestionKind.MULTIPLE and right_count < 1:
            errors.setdefault("option_1_correct", []).append(SOME_RIGHT_NEEDED)
    refuse_if_any(errors)
    if question is None:
        last = db.session.scalar(sa.select(sa.func.max(QuizQuestion.position)).where(QuizQuestion.quiz_id == quiz.id))
        question = QuizQuestion(quiz_id=quiz.id, position=1 + (last or 0))
        question.options = []
        db.session.add(question)
    question.kind, question.text, question.feedback = kind, texts, feedback
    # Rows keep the ids of the options they replace, so an open attempt still finds its answers.
    existing = list(question.options)
    for position, (option_texts, right) in enumerate(rows, start=1):
        option = existing[position - 1] if position <= len(existing) else QuizOption()
        option.text, option.correct, option.position = option_texts, right, position
        if option not in question.options:
            question.options.append(option)
    for option in existing[len(rows):]:
        question.options.remove(option)
    db.session.flush()
    return question


def delete_question(question: QuizQuestion) -> None:
    """Submitted attempts keep their score; an open attempt goes on without the question."""
    db.session.delete(question)
    db.session.flush()
