"""API: a lesson's quiz for the learner (never its right answers), starting and submitting attempts, and the
learner's own attempts. Scores come from the server only: a submission carries the options chosen, nothing else
(any other member, such as a score, is refused as unknown).

Texts are in the caller's language with the learner's fallback (`bibnet.elearning.languages`); `lang` says which.
"""
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from bibnet.access import require
from bibnet.api.schemas import DecimalString, PaginationArgs, object_id, page_of
from bibnet.elearning.languages import choose
from bibnet.elearning.quizzes import services
from bibnet.elearning.quizzes.models import QuestionKind
from bibnet.elearning.quizzes.views import quiz_or_404
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.web.pagination import paginate

blp = Blueprint("api_quizzes", __name__, url_prefix="/api/v1/tenants/<tenant_slug>/elearning", description="Quizzes of e-learning lessons: the learner's attempts")

QUIZ = "/courses/<int:course_id>/lessons/<int:lesson_id>/quiz"
ATTEMPT = QUIZ + "/attempts/<int:quiz_attempt_id>"
INVALID = "UNPROCESSABLE_ENTITY"
MAX_ANSWERS = 500


class TextSchema(Schema):
    text = fields.String(required=True)
    lang = fields.String(required=True, allow_none=True, metadata={"description": "The language of the text (null: it has none)"})


class OptionSchema(Schema):
    id = fields.Integer(required=True)
    text = fields.Nested(TextSchema, required=True)


class QuestionSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf([kind.value for kind in QuestionKind]))
    text = fields.Nested(TextSchema, required=True)
    options = fields.List(fields.Nested(OptionSchema), required=True, metadata={"description": "In the order to show them"})


class QuizSchema(Schema):
    id = fields.Integer(required=True)
    lesson_id = fields.Integer(required=True)
    pass_mark = fields.Integer(required=True, metadata={"description": "Percent of the questions to answer right"})
    attempt_limit = fields.Integer(required=True, allow_none=True, metadata={"description": "Null: unlimited"})
    attempts_left = fields.Integer(required=True, allow_none=True, metadata={"description": "Null: unlimited"})
    question_count = fields.Integer(required=True, metadata={"description": "Questions of each attempt"})
    shuffle = fields.Boolean(required=True)
    show_feedback = fields.Boolean(required=True)
    passed = fields.Boolean(required=True, metadata={"description": "Whether the caller has passed it"})
    open_attempt_id = fields.Integer(required=True, allow_none=True)


class ResultSchema(Schema):
    question_id = fields.Integer(required=True)
    right = fields.Boolean(required=True)
    chosen_option_ids = fields.List(fields.Integer(), required=True)
    right_option_ids = fields.List(fields.Integer(), required=True)
    feedback = fields.Nested(TextSchema, required=True)


class AttemptSchema(Schema):
    id = fields.Integer(required=True)
    quiz_id = fields.Integer(required=True)
    started_at = fields.DateTime(required=True)
    submitted_at = fields.DateTime(required=True, allow_none=True)
    questions = fields.List(fields.Nested(QuestionSchema), required=True, metadata={"description": "The attempt's questions in its order"})
    question_count = fields.Integer(required=True, allow_none=True)
    correct_count = fields.Integer(required=True, allow_none=True)
    percent = DecimalString(1, required=True, allow_none=True, metadata={"description": "Right answers in percent, rounded down to one decimal"})
    pass_mark = fields.Integer(required=True, allow_none=True)
    passed = fields.Boolean(required=True, allow_none=True)
    results = fields.List(
        fields.Nested(ResultSchema), required=True, allow_none=True,
        metadata={"description": "Per question, after submitting, when the quiz shows feedback; null before, without feedback, or once erased"},
    )


class AttemptSummarySchema(Schema):
    id = fields.Integer(required=True)
    started_at = fields.DateTime(required=True)
    submitted_at = fields.DateTime(required=True, allow_none=True)
    percent = DecimalString(1, required=True, allow_none=True)
    passed = fields.Boolean(required=True, allow_none=True)


AttemptPageSchema = page_of(AttemptSummarySchema, "QuizAttemptPageSchema")


class AnswerSchema(Schema):
    question_id = object_id(required=True)
    option_ids = fields.List(object_id(), required=True, validate=validate.Length(max=50))


class SubmissionSchema(Schema):
    answers = fields.List(fields.Nested(AnswerSchema), required=True, validate=validate.Length(max=MAX_ANSWERS))


def _text(texts) -> dict:
    chosen = choose(texts)
    return {"text": chosen.text, "lang": chosen.locale}


def _quiz(quiz) -> dict:
    count = len(quiz.questions)
    opened = services.open_attempt(quiz, current_user.id)
    return {
        "id": quiz.id, "lesson_id": quiz.lesson_id, "pass_mark": quiz.pass_mark, "attempt_limit": quiz.attempt_limit,
        "attempts_left": services.attempts_left(quiz, current_user.id),
        "question_count": min(count, quiz.draw_count) if quiz.draw_count else count,
        "shuffle": quiz.shuffle, "show_feedback": quiz.show_feedback, "passed": services.has_passed(quiz, current_user.id),
        "open_attempt_id": opened.id if opened else None,
    }


def _attempt(attempt, quiz) -> dict:
    shown = services.shown(attempt, quiz)
    results = None
    if attempt.is_submitted and quiz.show_feedback and attempt.results is not None:
        results = [
            {
                "question_id": question.id, "right": attempt.results[str(question.id)],
                "chosen_option_ids": attempt.answers.get(str(question.id), []),
                "right_option_ids": [option.id for option in options if option.correct], "feedback": _text(question.feedback),
            }
            for question, options in shown if str(question.id) in attempt.results
        ]
    return {
        "id": attempt.id, "quiz_id": attempt.quiz_id, "started_at": attempt.started_at, "submitted_at": attempt.submitted_at,
        "questions": [
            {"id": question.id, "kind": question.kind.value, "text": _text(question.text), "options": [{"id": option.id, "text": _text(option.text)} for option in options]}
            for question, options in shown
        ],
        "question_count": attempt.question_count, "correct_count": attempt.correct_count,
        "percent": services.percent(attempt) if attempt.is_submitted else None,
        "pass_mark": attempt.pass_mark, "passed": attempt.passed, "results": results,
    }


@blp.route(QUIZ)
@require("elearning.learn")
@blp.response(200, QuizSchema)
def get_quiz(course, lesson):
    """The lesson's quiz: its rules and where the caller stands (the questions come with an attempt)"""
    return _quiz(quiz_or_404(course, lesson))


@blp.route(QUIZ + "/attempts")
@require("elearning.learn")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, AttemptPageSchema)
def list_attempts(course, lesson, page, per_page):
    """The caller's attempts at the quiz, newest first"""
    quiz = quiz_or_404(course, lesson)
    found = paginate(services.attempts_of(quiz, current_user.id), page, per_page)
    items = [
        {"id": a.id, "started_at": a.started_at, "submitted_at": a.submitted_at, "percent": services.percent(a) if a.is_submitted else None, "passed": a.passed}
        for a in found.items
    ]
    return {"items": items, "page": found.page, "per_page": found.per_page, "total": found.total, "pages": found.pages}


@blp.route(QUIZ + "/attempts", methods=["POST"])
@require("elearning.learn")
@blp.response(200, AttemptSchema)
@blp.alt_response(422, INVALID)
def start_attempt(course, lesson):
    """Start an attempt (or go on with the open one): its questions and options in the order to show them"""
    quiz = quiz_or_404(course, lesson)
    attempt = services.start_attempt(course, lesson, quiz, current_user)
    body = _attempt(attempt, quiz)
    db.session.commit()
    return body


@blp.route(ATTEMPT)
@require("elearning.learn")
@blp.response(200, AttemptSchema)
def get_attempt(course, lesson, attempt):
    """One of the caller's attempts, with its score and, when the quiz gives feedback, the right answers"""
    return _attempt(attempt, quiz_or_404(course, lesson))


@blp.route(ATTEMPT + "/submit", methods=["POST"])
@require("elearning.learn")
@blp.arguments(SubmissionSchema)
@blp.response(200, AttemptSchema)
def submit_attempt(body, course, lesson, attempt):
    """Submit the options chosen per question; the server scores them. A submitted attempt is never submitted again (422)"""
    quiz = quiz_or_404(course, lesson)
    index_of: dict[int, int] = {}
    answers: dict[int, list[int]] = {}
    for index, answer in enumerate(body["answers"]):
        if answer["question_id"] in index_of:
            raise Refused({f"answers.{index}.question_id": [services.ANSWER_ONCE]})
        index_of[answer["question_id"]] = index
        answers[answer["question_id"]] = answer["option_ids"]
    try:
        services.submit(attempt, course, lesson, quiz, answers)
    except Refused as refused:  # the service names answers by question id; the request body by position
        renamed = {}
        for path, messages in refused.errors.items():
            head, _dot, question = path.partition(".")
            if head == "answers" and question.isdigit() and int(question) in index_of:
                path = f"answers.{index_of[int(question)]}.option_ids"
            renamed[path] = messages
        raise Refused(renamed) from refused
    result = _attempt(attempt, quiz)
    db.session.commit()
    return result
