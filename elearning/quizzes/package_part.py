"""The quizzes in a course package: course.yaml's `quizzes`, one entry per lesson that has a quiz, with its settings,
its questions and their answers (which are right), every text per language. See the packages' FORMAT.md.

A part of the package format (`bibnet.elearning.packages.parts`), registered when this module is imported (from
`bibnet.elearning.quizzes.init_app`), after the structure part: it finds the new lessons by their file name. The
import checks every quiz with the editor's rules before anything is written, naming the lesson and the question,
then creates them through the quiz authoring services (the same rules once more) in the import's transaction.
"""
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.elearning.forms import LOCALES
from bibnet.elearning.models import Course
from bibnet.elearning.packages.course_parts import DOCUMENT, lesson_entries, refuse, texts
from bibnet.elearning.packages.parts import Exported, Imported, register
from bibnet.elearning.quizzes import authoring
from bibnet.elearning.quizzes.forms import OPTION_ROWS
from bibnet.elearning.quizzes.models import QuestionKind, Quiz, QuizQuestion
from bibnet.extensions import db
from bibnet.refusals import Refused

KEY = "quizzes"
MAX_QUESTIONS = 500  # as many as a quiz may draw
# Defaults of a key left out, as a new quiz has them (`Quiz`).
DEFAULTS = {"pass_mark": 80, "attempt_limit": None, "shuffle": False, "draw_count": None, "show_feedback": True}


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Quizzes:
    name = "quizzes"

    def claims(self, path: str) -> bool:
        return False  # everything is in course.yaml

    def export(self, course: Course, package: Exported) -> None:
        lessons = [lesson for module in course.modules for lesson in module.lessons]
        quizzes = {quiz.lesson_id: quiz for quiz in db.session.scalars(
            sa.select(Quiz).where(Quiz.lesson_id.in_([lesson.id for lesson in lessons] or [0]))
            .options(selectinload(Quiz.questions).selectinload(QuizQuestion.options))
        )}
        entries, languages = [], set(package.document.get("languages", []))
        for lesson in lessons:
            quiz = quizzes.get(lesson.id)
            if quiz is None:
                continue
            questions = []
            for question in quiz.questions:
                questions.append({
                    "kind": question.kind.value, "text": dict(question.text), "feedback": dict(question.feedback),
                    "options": [{"text": dict(option.text), "correct": option.correct} for option in question.options],
                })
                languages |= set(question.text) | set(question.feedback) | {locale for option in question.options for locale in option.text}
            entries.append({
                "lesson": package.lesson_entry(lesson)["file"], "pass_mark": quiz.pass_mark, "attempt_limit": quiz.attempt_limit,
                "shuffle": quiz.shuffle, "draw_count": quiz.draw_count, "show_feedback": quiz.show_feedback, "questions": questions,
            })
        if entries:
            package.document[KEY] = entries
            package.document["languages"] = sorted(languages & set(LOCALES))

    def _entries(self, package: Imported) -> list:
        return package.document.get(KEY) or []

    def check(self, package: Imported) -> None:
        entries = self._entries(package)
        if not isinstance(entries, list):
            refuse(f"{DOCUMENT}, {KEY}", _l("list the quizzes, one for each lesson that has one."))
        lessons = {entry.get("file") for entry in lesson_entries(package)}
        seen: set[str] = set()
        for number, entry in enumerate(entries, 1):
            lesson = entry.get("lesson") if isinstance(entry, dict) else None
            if not isinstance(lesson, str) or lesson not in lessons:
                refuse(f"{DOCUMENT}, {KEY} {number}, lesson", _l("name the quiz's lesson by its file, one of the lessons of course.yaml (as in 01-02)."))
            if lesson in seen:
                refuse(f"{DOCUMENT}, {KEY}, {lesson}", _l("the lesson has two quizzes; a lesson has at most one."))
            seen.add(lesson)
            self._check_quiz(entry, f"{DOCUMENT}, {KEY}, {lesson}")

    def _check_quiz(self, entry: dict, where: str) -> None:
        settings = {**DEFAULTS, **{key: entry[key] for key in DEFAULTS if key in entry}}
        if not _whole(settings["pass_mark"]) or not 0 <= settings["pass_mark"] <= 100:
            refuse(f"{where}, pass_mark", authoring.PASS_MARK_RANGE)
        limit = settings["attempt_limit"]
        if limit is not None and not (_whole(limit) and 1 <= limit <= 100):
            refuse(f"{where}, attempt_limit", authoring.LIMIT_RANGE)
        draw = settings["draw_count"]
        if draw is not None and not (_whole(draw) and 1 <= draw <= MAX_QUESTIONS):
            refuse(f"{where}, draw_count", authoring.DRAW_RANGE)
        for key in ("shuffle", "show_feedback"):
            if not isinstance(settings[key], bool):
                refuse(f"{where}, {key}", _l("write true or false."))
        questions = entry.get("questions", [])
        if not isinstance(questions, list):
            refuse(f"{where}, questions", _l("list the quiz's questions."))
        if len(questions) > MAX_QUESTIONS:
            refuse(f"{where}, questions", _l("a quiz has at most %(max)d questions.", max=MAX_QUESTIONS))
        for number, question in enumerate(questions, 1):
            self._check_question(question, f"{where}, questions {number}")

    def _check_question(self, question, where: str) -> None:
        if not isinstance(question, dict):
            refuse(where, _l("a question needs its kind, text and answers."))
        kinds = [kind.value for kind in QuestionKind]
        if question.get("kind") not in kinds:
            refuse(f"{where}, kind", _l("the kind of question is one of %(kinds)s.", kinds=", ".join(kinds)))
        kind = QuestionKind(question["kind"])
        text = texts(question.get("text"), f"{where}, text")
        if not any(value.strip() for value in text.values()):
            refuse(f"{where}, text", authoring.QUESTION_NEEDED)
        _check_lengths(text, f"{where}, text", authoring.TEXT_LENGTH, authoring.TOO_LONG)
        _check_lengths(texts(question.get("feedback"), f"{where}, feedback"), f"{where}, feedback", authoring.TEXT_LENGTH, authoring.TOO_LONG)
        options = question.get("options")
        if not isinstance(options, list):
            refuse(f"{where}, options", _l("list the question's answers, each with its text and whether it is right."))
        for number, option in enumerate(options, 1):
            if not isinstance(option, dict) or not isinstance(option.get("correct", False), bool):
                refuse(f"{where}, options {number}", _l("give the answer's text, and correct: true or false."))
            option_text = texts(option.get("text"), f"{where}, options {number}, text")
            if kind is not QuestionKind.TRUE_FALSE and not any(value.strip() for value in option_text.values()):
                refuse(f"{where}, options {number}, text", _l("write the answer in at least one language."))
            _check_lengths(option_text, f"{where}, options {number}, text", authoring.OPTION_LENGTH, authoring.OPTION_TOO_LONG)
        right = sum(option.get("correct", False) for option in options)
        if kind is QuestionKind.TRUE_FALSE and len(options) != 2:
            refuse(f"{where}, options", _l("a true-or-false question has two answers: true, then false."))
        if not 2 <= len(options) <= OPTION_ROWS:
            refuse(f"{where}, options", _l("give from 2 to %(max)d answers to choose from.", max=OPTION_ROWS))
        if kind is QuestionKind.MULTIPLE and right < 1:
            refuse(f"{where}, options", authoring.SOME_RIGHT_NEEDED)
        if kind is not QuestionKind.MULTIPLE and right != 1:
            refuse(f"{where}, options", authoring.ONE_RIGHT_NEEDED)

    def apply(self, course: Course, package: Imported) -> None:
        for entry in self._entries(package):
            lesson, _lesson_entry = package.lessons[entry["lesson"]]
            where = f"{DOCUMENT}, {KEY}, {entry['lesson']}"
            settings = {**DEFAULTS, **{key: entry[key] for key in DEFAULTS if key in entry}}
            try:
                quiz = authoring.quiz_settings(lesson, None, **settings)
            except Refused as refused:
                refuse(where, refused.summary())
            for number, question in enumerate(entry.get("questions", []), 1):
                options = [(texts(option.get("text"), ""), option.get("correct", False)) for option in question["options"]]
                try:
                    # A true-or-false question's answers are the platform's (true, then false): only which is right travels.
                    authoring.save_question(
                        quiz, None, question["kind"], texts(question.get("text"), ""), texts(question.get("feedback"), ""),
                        options, true_answer=options[0][1], first_locale=package.locale,
                    )
                except Refused as refused:
                    refuse(f"{where}, questions {number}", refused.summary())


def _check_lengths(values: dict[str, str], where: str, limit: int, message) -> None:
    for locale, value in sorted(values.items()):
        if len(value.strip()) > limit:
            refuse(f"{where}, {locale}", message)


register(Quizzes())
