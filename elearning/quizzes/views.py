"""Quiz pages: the learner takes a lesson's quiz as a plain HTML form (a fieldset per question, radio buttons or
checkboxes with labels: keyboard and screen readers, no script) and reads the result; authors set the quiz and
write its questions, on a library's pages and on a project's (the same views, as the course authoring)."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from bibnet.access import allowed, require
from bibnet.elearning import learning
from bibnet.elearning.languages import choose
from bibnet.elearning.models import Enrolment
from bibnet.elearning.quizzes import authoring, lookups, services  # noqa: F401  (lookups: the URL's attempt and question)
from bibnet.elearning.quizzes.forms import OPTION_ROWS, QuestionForm, QuizSettingsForm
from bibnet.elearning.quizzes.models import QuestionKind
from bibnet.extensions import db
from bibnet.web.forms import Outcome, saving
from bibnet.web.pagination import paginate

QUIZ = "/courses/<int:course_id>/lessons/<int:lesson_id>/quiz"
bp = Blueprint("quizzes", __name__, url_prefix="/t/<tenant_slug>/elearning" + QUIZ, template_folder="../templates")
MANAGE = "/manage/<int:course_id>/lessons/<int:lesson_id>/quiz"
authoring_bp = Blueprint("quiz_authoring", __name__, url_prefix="/t/<tenant_slug>/elearning" + MANAGE)
project_authoring_bp = Blueprint("quiz_authoring_project", __name__, url_prefix="/projects/<int:project_id>/elearning" + MANAGE)


def quiz_or_404(course, lesson):
    """The lesson's quiz, for a learner of a published course or its author (pages and API alike); else 404."""
    if not (course.is_published or allowed("elearning.author")):
        abort(404)
    quiz = services.quiz_of_lesson(lesson.id)
    if quiz is None:
        abort(404)
    return quiz


def lesson_entry(lesson) -> dict | None:
    """What the lesson page shows of its quiz instead of "mark as done" (None: the lesson has no quiz)."""
    quiz = services.quiz_of_lesson(lesson.id)
    if quiz is None:
        return None
    return {"quiz": quiz, "passed": services.has_passed(quiz, current_user.id), "left": services.attempts_left(quiz, current_user.id)}


# --- Learners -----------------------------------------------------------------------------------------------------

@bp.route("/")
@require("elearning.learn")
def quiz(course, lesson):
    found = quiz_or_404(course, lesson)
    attempts = paginate(services.attempts_of(found, current_user.id))
    return render_template(
        "elearning/quizzes/quiz.html", course=course, lesson=lesson, quiz=found, attempts=attempts,
        left=services.attempts_left(found, current_user.id), passed=services.has_passed(found, current_user.id),
        open_attempt=services.open_attempt(found, current_user.id), question_count=len(found.questions),
        percent=services.percent,
    )


@bp.route("/start", methods=["POST"])
@require("elearning.learn")
def start(course, lesson):
    found = quiz_or_404(course, lesson)
    attempt = services.start_attempt(course, lesson, found, current_user)
    db.session.commit()
    return redirect(url_for(".attempt", course_id=course.id, lesson_id=lesson.id, quiz_attempt_id=attempt.id))


def _answers_from_form(attempt) -> dict[int, list[int]]:
    """The form's `answers_<question id>` fields as ids; what is no id is kept as -1, which no option has, so the
    service refuses it like any unknown option."""
    answers: dict[int, list[int]] = {}
    for name in request.form:
        if not name.startswith("answers_"):
            continue
        key = name.removeprefix("answers_")
        question_id = int(key) if key.isdigit() and len(key) < 10 else -1
        answers[question_id] = [int(value) if value.isdigit() and len(value) < 10 else -1 for value in request.form.getlist(name)]
    return answers


@bp.route("/attempts/<int:quiz_attempt_id>/", methods=["GET", "POST"])
@require("elearning.learn")
def attempt(course, lesson, attempt):
    found = quiz_or_404(course, lesson)
    errors: dict[str, list] = {}
    chosen: dict[int, list[int]] = {}
    if request.method == "POST":
        chosen = _answers_from_form(attempt)
        with saving() as outcome:
            was_done = lesson.id in learning.done_lesson_ids(db.session.get(Enrolment, attempt.enrolment_id))
            services.submit(attempt, course, lesson, found, chosen)
        if outcome.saved:
            if attempt.passed and not was_done:
                flash(_("You passed the quiz: the lesson is done."), "success")
            return redirect(url_for(".attempt", course_id=course.id, lesson_id=lesson.id, quiz_attempt_id=attempt.id))
        errors = {path.replace(".", "_"): [str(message) for message in messages] for path, messages in outcome.refusal.errors.items()}
    context = {
        "course": course, "lesson": lesson, "quiz": found, "attempt": attempt, "shown": services.shown(attempt, found),
        "errors": errors, "chosen": chosen, "choose": choose, "kinds": QuestionKind,
    }
    if attempt.is_submitted:
        return render_template(
            "elearning/quizzes/result.html", **context, percent=services.percent(attempt),
            left=services.attempts_left(found, current_user.id), next_lesson=learning.next_lesson(course, lesson),
        )
    return render_template("elearning/quizzes/take.html", **context), 422 if errors else 200


# --- Authoring --------------------------------------------------------------------------------------------------

def _owner_args() -> dict:
    return {"project_id": g.project.id} if g.get("tenant") is None else {}


def _url(name: str, **values) -> str:
    return url_for(f"{request.blueprint}.{name}", **_owner_args(), **values)


def _render(template: str, form, **context):
    context.update(bp_name=request.blueprint, owner_args=_owner_args(), course_bp="elearning" if g.get("tenant") is not None else "elearning_project")
    return render_template(template, form=form, **context), 422 if any(field.errors for field in form) else 200


def _settings(course, lesson):
    quiz = services.quiz_of_lesson(lesson.id)
    form = QuizSettingsForm()
    if request.method == "GET" and quiz is not None:
        form.pass_mark.data, form.attempt_limit.data, form.draw_count.data = quiz.pass_mark, quiz.attempt_limit, quiz.draw_count
        form.shuffle.data, form.show_feedback.data = quiz.shuffle, quiz.show_feedback
    elif form.validate_on_submit():
        with saving(form) as outcome:
            authoring.quiz_settings(lesson, quiz, form.pass_mark.data, form.attempt_limit.data, form.shuffle.data, form.draw_count.data, form.show_feedback.data)
        if outcome.saved:
            flash(_("The quiz settings are saved."), "success")
            return redirect(_url("settings", course_id=course.id, lesson_id=lesson.id))
    return _render("elearning/quizzes/settings.html", form, course=course, lesson=lesson, quiz=quiz)


def _question_form(course, lesson, question=None):
    quiz = services.quiz_of_lesson(lesson.id)
    if quiz is None:
        abort(404)
    form = QuestionForm()
    outcome = Outcome()
    if request.method == "GET" and question is not None:
        form.kind.data = question.kind.value
        form.fill("text", question.text)
        form.fill("feedback", question.feedback)
        if question.kind is QuestionKind.TRUE_FALSE:
            form.true_answer.data = "true" if question.options and question.options[0].correct else "false"
        else:
            form.fill_options(question.options)
    elif form.validate_on_submit():
        with saving(form) as outcome:
            authoring.save_question(
                quiz, question, form.kind.data, form.texts("text"), form.texts("feedback"), form.option_rows(),
                form.true_answer.data != "false", str(get_locale()),
            )
        if outcome.saved:
            flash(_("The question is saved."), "success")
            return redirect(_url("settings", course_id=course.id, lesson_id=lesson.id))
    return _render("elearning/quizzes/question_form.html", form, course=course, lesson=lesson, question=question, rows=range(1, OPTION_ROWS + 1), summary=outcome.error)


def _delete_question(course, lesson, question):
    authoring.delete_question(question)
    db.session.commit()
    flash(_("The question is deleted. Submitted attempts keep their score."), "success")
    return redirect(_url("settings", course_id=course.id, lesson_id=lesson.id))


def _register_authoring(blueprint: Blueprint, permission: str) -> None:
    def route(rule, name, implementation, methods=("GET",)):
        def view(**values):
            values.pop("project", None)  # the project resolver's; the views read g.project
            return implementation(**values)

        view.__name__ = name
        blueprint.add_url_rule(rule, name, require(permission)(view), methods=list(methods))

    route("/", "settings", _settings, ("GET", "POST"))
    route("/questions/new", "new_question", _question_form, ("GET", "POST"))
    route("/questions/<int:quiz_question_id>/edit", "edit_question", lambda course, lesson, question: _question_form(course, lesson, question), ("GET", "POST"))
    route("/questions/<int:quiz_question_id>/delete", "delete_question", _delete_question, ("POST",))


_register_authoring(authoring_bp, "elearning.author")
_register_authoring(project_authoring_bp, "elearning.author_project")
