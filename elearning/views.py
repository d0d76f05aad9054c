"""Pages of the e-learning: the learner's courses and lessons, the coordinator's authoring, enrolment and progress
matrix under /t/<slug>/elearning/, and the project lead's authoring of shared courses under /projects/<id>/elearning/.

The authoring pages are the same for a library's course and a project's course; only where they live, who may
open them (the permissions in `bibnet.elearning`) and who owns a new course differ.
"""
import csv
import io

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import allowed, require
from bibnet.accounts.models import Membership, Role, User
from bibnet.elearning import (
    authoring,
    learning,
    lookups,  # noqa: F401  (the URL's course, module and lesson)
    media,
    translation_status,
)
from bibnet.elearning import progress as progress_matrix
from bibnet.elearning.catalogue import published_for_current_tenant, visible_to
from bibnet.elearning.content import render
from bibnet.elearning.forms import LOCALES, CourseForm, EnrolForm, LessonForm, MediaForm, ModuleForm
from bibnet.elearning.languages import choose, preferred_locales, text
from bibnet.elearning.models import Course, CourseMedia, CourseModule, CourseStatus, Enrolment, Lesson, MediaKind
from bibnet.elearning.packages import scorm
from bibnet.elearning.quizzes import services as quiz_services
from bibnet.elearning.quizzes import views as quiz_views
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.web import menu
from bibnet.web.downloads import neutralised
from bibnet.web.forms import saving
from bibnet.web.i18n import LANGUAGE_NAMES
from bibnet.web.pagination import paginate

bp = Blueprint("elearning", __name__, url_prefix="/t/<tenant_slug>/elearning", template_folder="templates")
project_bp = Blueprint("elearning_project", __name__, url_prefix="/projects/<int:project_id>/elearning")
menu.register(_l("Courses"), "elearning.index", "elearning.learn")  # short: the coordinator's menu fits one line at 1366 px in Lithuanian too

CSV_BATCH = 500


def _form_page(template: str, form, **context):
    return render_template(template, form=form, **context), 422 if form.errors else 200


# --- Learners -------------------------------------------------------------------------------------------------

@bp.route("/")
@require("elearning.learn")
def index():
    """My courses: assigned (due date, overdue), optional ones to start, completed."""
    enrolments = db.session.scalars(
        sa.select(Enrolment).where(Enrolment.user_id == current_user.id).options(joinedload(Enrolment.course)).order_by(Enrolment.id)
    ).all()
    required = learning.required_lesson_counts(e.course_id for e in enrolments)
    done = learning.done_required_counts(e.id for e in enrolments)
    today = g.tenant.today()
    open_ones = sorted((e for e in enrolments if e.completed_at is None), key=lambda e: (e.due_on is None, e.due_on or today, e.id))
    completed = sorted((e for e in enrolments if e.completed_at is not None), key=lambda e: e.completed_at, reverse=True)
    available = paginate(
        published_for_current_tenant().where(Course.id.not_in([e.course_id for e in enrolments] or [0])).order_by(Course.id)
    )
    return render_template(
        "elearning/index.html", open_ones=open_ones, completed=completed, available=available,
        required=required, done=done, today=today, can_manage=allowed("elearning.manage"),
    )


def _readable(course: Course) -> Course:
    if not (course.is_published or allowed("elearning.author")):
        abort(404)
    return course


@bp.route("/courses/<int:course_id>/")
@require("elearning.learn")
def course(course):
    _readable(course)
    enrolment = learning.current_enrolment(current_user.id, course.id)
    done = learning.done_lesson_ids(enrolment)
    required = {lesson.id for lesson in learning.lessons_in_order(course) if lesson.required}
    return render_template(
        "elearning/course.html", course=course, enrolment=enrolment, done=done,
        required_count=len(required), required_done=len(required & done),
        resume=learning.first_unfinished(course, done), today=g.tenant.today(),
    )


@bp.route("/courses/<int:course_id>/start", methods=["POST"])
@require("elearning.learn")
def start(course):
    _readable(course)
    learning.start(course, current_user)
    db.session.commit()
    return redirect(url_for("elearning.resume", course_id=course.id))


@bp.route("/courses/<int:course_id>/resume")
@require("elearning.learn")
def resume(course):
    _readable(course)
    done = learning.done_lesson_ids(learning.current_enrolment(current_user.id, course.id))
    lesson = learning.first_unfinished(course, done)
    if lesson is None:
        return redirect(url_for("elearning.course", course_id=course.id))
    return redirect(url_for("elearning.lesson", course_id=course.id, lesson_id=lesson.id))


def _lesson_language(lesson: Lesson):
    """The language the lesson is shown in: that of its text, or of its title when it has no text yet."""
    return choose(lesson.content) if lesson.content else choose(lesson.title)


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>/")
@require("elearning.learn")
def lesson(course, lesson):
    _readable(course)
    if scorm.package_of(lesson.id) is not None:  # a SCORM lesson plays in its player
        return redirect(url_for("elearning_packages.player", course_id=course.id, lesson_id=lesson.id))
    enrolment = learning.current_enrolment(current_user.id, course.id)
    chosen = _lesson_language(lesson)
    shown_locale = chosen.locale or chosen.wanted
    ordered = learning.lessons_in_order(course)
    files = media.served_media(course.id, lambda media_id: url_for("elearning.course_file", course_id=course.id, media_id=media_id))
    easy_read = choose(lesson.easy_read, [shown_locale, *preferred_locales()]) if lesson.easy_read else None
    return render_template(
        "elearning/lesson.html", course=course, lesson=lesson, enrolment=enrolment,
        title=lesson.title.get(shown_locale) or text(lesson.title), body=render(lesson.content.get(shown_locale, ""), files),
        easy_read=easy_read, easy_read_body=render(easy_read.text, files) if easy_read else None,
        easy_read_language=LANGUAGE_NAMES.get(easy_read.locale, easy_read.locale) if easy_read else None,
        audio_url=url_for("elearning.course_file", course_id=course.id, media_id=lesson.audio_media_id) if lesson.audio_media_id else None,
        shown_locale=shown_locale, fell_back=chosen.fell_back, wanted_language=LANGUAGE_NAMES.get(chosen.wanted, chosen.wanted),
        shown_language=LANGUAGE_NAMES.get(shown_locale, shown_locale), done=learning.done_lesson_ids(enrolment),
        number=ordered.index(lesson) + 1, count=len(ordered), next_lesson=learning.next_lesson(course, lesson),
        quiz_entry=quiz_views.lesson_entry(lesson),
    )


@bp.route("/courses/<int:course_id>/media/<int:media_id>")
@require("elearning.learn")
def course_file(course, course_file):
    """A file of a course the library may read; a draft's files only to its authors (as the course itself)."""
    _readable(course)
    return media.send(course_file)


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>/done", methods=["POST"])
@require("elearning.learn")
def mark_done(course, lesson):
    _readable(course)
    if quiz_services.quiz_of_lesson(lesson.id) is not None:  # done only by passing its quiz
        raise Refused({"lesson": [quiz_services.PASS_THE_QUIZ]})
    enrolment = learning.current_enrolment(current_user.id, course.id)
    if enrolment is None:  # reading an optional course starts it
        enrolment = learning.start(course, current_user)
    completed = learning.mark_done(enrolment, lesson, course)
    db.session.commit()
    if completed:
        flash(_("You have completed the course %(course)s.", course=text(course.title)), "success")
        return redirect(url_for("elearning.course", course_id=course.id))
    following = learning.next_lesson(course, lesson)
    if following is None:
        return redirect(url_for("elearning.course", course_id=course.id))
    return redirect(url_for("elearning.lesson", course_id=course.id, lesson_id=following.id))


# --- Authoring, shared by a library's and a project's pages ------------------------------------------------------

def _owner_args() -> dict:
    """What the authoring endpoints need besides their ids: the project on project pages (the tenant prefix is a URL default)."""
    return {"project_id": g.project.id} if g.get("tenant") is None else {}


def _blueprint() -> str:
    return request.blueprint


def _authoring_url(name: str, **values) -> str:
    return url_for(f"{_blueprint()}.{name}", **_owner_args(), **values)


def _render_authoring(template: str, form=None, **context):
    context.update(bp_name=_blueprint(), owner_args=_owner_args())
    if form is None:
        return render_template(template, **context)
    return _form_page(template, form, **context)


def _first_locale() -> str:
    return str(get_locale())


def _authoring_index():
    if g.get("tenant") is not None:
        statement = sa.select(Course).where(
            visible_to(g.tenant.id), sa.or_(Course.owner_tenant_id == g.tenant.id, Course.status == CourseStatus.PUBLISHED)
        )
    else:
        statement = sa.select(Course).where(Course.project_id == g.project.id)
    page = paginate(statement.order_by(Course.project_id.is_not(None), Course.id))
    return _render_authoring("elearning/manage.html", page=page, shared_view=g.get("tenant") is None)


def _new_course():
    form = CourseForm()
    if form.validate_on_submit():
        course = Course(owner_tenant_id=g.tenant.id) if g.get("tenant") is not None else Course(project_id=g.project.id)
        with saving(form) as outcome:
            authoring.save_course(course, form.texts("title"), form.texts("summary"), _first_locale())
            course.validity_months = form.validity_months.data
            db.session.add(course)
        if outcome.saved:
            flash(_("The course is saved as a draft. Add its modules and lessons, then publish it."), "success")
            return redirect(_authoring_url("course_outline", course_id=course.id))
    return _render_authoring("elearning/course_form.html", form, course=None)


def _course_outline(course):
    return _render_authoring("elearning/outline.html", course=course)


def _edit_course(course):
    form = CourseForm()
    if request.method == "GET":
        form.fill("title", course.title)
        form.fill("summary", course.summary)
        form.validity_months.data = course.validity_months
    elif form.validate_on_submit():
        with saving(form) as outcome:
            authoring.save_course(course, form.texts("title"), form.texts("summary"), _first_locale())
            course.validity_months = form.validity_months.data  # applies to certificates issued from now on
        if outcome.saved:
            flash(_("The changes to the course are saved."), "success")
            return redirect(_authoring_url("course_outline", course_id=course.id))
    return _render_authoring("elearning/course_form.html", form, course=course)


def _publish(course):
    authoring.publish(course)
    db.session.commit()
    flash(_("The course is published: learners can see it now."), "success")
    return redirect(_authoring_url("course_outline", course_id=course.id))


def _module_form(course, module=None):
    form = ModuleForm()
    if request.method == "GET" and module is not None:
        form.fill("title", module.title)
    elif form.validate_on_submit():
        target = module or CourseModule(course=course)
        with saving(form) as outcome:
            authoring.save_module(target, form.texts("title"), _first_locale())
        if outcome.saved:
            flash(_("The module is saved."), "success")
            return redirect(_authoring_url("course_outline", course_id=course.id))
    return _render_authoring("elearning/module_form.html", form, course=course, module=module)


def _lesson_form(course, module, lesson=None):
    form = LessonForm()
    audio_files = db.session.scalars(
        sa.select(CourseMedia).where(CourseMedia.course_id == course.id, CourseMedia.kind == MediaKind.AUDIO).order_by(CourseMedia.id)
    ).all()
    form.offer_audio(audio_files)
    if request.method == "GET" and lesson is not None:
        form.fill("title", lesson.title)
        form.fill("content", lesson.content)
        form.fill("easy_read", lesson.easy_read)
        form.audio.data = lesson.audio_media_id or 0
        form.required.data = lesson.required
        form.hours.data, form.minutes.data = divmod(lesson.estimated_minutes, 60)
    elif form.validate_on_submit():
        target = lesson or Lesson(module=module)
        minutes = (form.hours.data or 0) * 60 + (form.minutes.data or 0)
        audio = db.session.get(CourseMedia, form.audio.data) if form.audio.data else None
        with saving(form) as outcome:
            authoring.save_lesson(
                target, form.texts("title"), form.texts("content"), form.required.data, minutes, _first_locale(),
                easy_read=form.texts("easy_read"), audio=audio,
            )
        if outcome.saved:
            flash(_("The lesson is saved."), "success")
            return redirect(_authoring_url("course_outline", course_id=course.id))
    return _render_authoring("elearning/lesson_form.html", form, course=course, module=module, lesson=lesson)


def _media_page(course):
    """The course's files, with the name to use in a lesson (`media:12`), and the upload of a new one."""
    form = MediaForm()
    if form.validate_on_submit():
        upload = form.file.data
        with saving(form) as outcome:
            item = media.upload(course, upload.read(), upload.filename, current_user)
        if outcome.saved:
            flash(_("The file is uploaded. Use it in a lesson as media:%(id)d.", id=item.id), "success")
            return redirect(_authoring_url("media", course_id=course.id))
    page = paginate(sa.select(CourseMedia).where(CourseMedia.course_id == course.id).order_by(CourseMedia.id.desc()))
    return _render_authoring("elearning/media.html", form, course=course, page=page, kind_names=media.KIND_NAMES)


def _authors_file(course, course_file):
    return media.send(course_file)


def _delete_file(course, course_file):
    key = course_file.key
    media.remove(course_file)
    db.session.commit()
    media.delete_stored(key)
    flash(_("The file is deleted."), "success")
    return redirect(_authoring_url("media", course_id=course.id))


def _translations(course):
    groups = translation_status.matrix(course, LOCALES)
    return _render_authoring(
        "elearning/translations.html", course=course, groups=groups, locales=LOCALES, language_names=LANGUAGE_NAMES,
        missing=translation_status.missing_counts(groups, LOCALES),
    )


def _step() -> int:
    return {"up": -1, "down": 1}.get(request.form.get("direction", ""), 0)


def _moved(course, anchor: str):
    db.session.commit()
    return redirect(_authoring_url("course_outline", course_id=course.id) + f"#{anchor}")


def _move_module(course, module):
    authoring.move(course.modules, module, _step())
    return _moved(course, f"module-{module.id}")


def _move_lesson(course, lesson):
    module = next(m for m in course.modules if m.id == lesson.module_id)
    authoring.move(module.lessons, lesson, _step())
    return _moved(course, f"lesson-{lesson.id}")


def _register_authoring(blueprint: Blueprint, permission: str) -> None:
    """The same authoring pages on a library's and on a project's blueprint."""

    def route(rule, name, implementation, methods=("GET",)):
        def view(**values):
            values.pop("project", None)  # the project resolver's; the views read g.project
            return implementation(**values)

        view.__name__ = name
        blueprint.add_url_rule(rule, name, require(permission)(view), methods=list(methods))

    route("/manage/", "manage", _authoring_index)
    route("/manage/new", "new_course", _new_course, ("GET", "POST"))
    route("/manage/<int:course_id>/", "course_outline", _course_outline)
    route("/manage/<int:course_id>/edit", "edit_course", _edit_course, ("GET", "POST"))
    route("/manage/<int:course_id>/publish", "publish", _publish, ("POST",))
    route("/manage/<int:course_id>/modules/new", "new_module", lambda course: _module_form(course), ("GET", "POST"))
    route("/manage/<int:course_id>/modules/<int:module_id>/edit", "edit_module", lambda course, module: _module_form(course, module), ("GET", "POST"))
    route("/manage/<int:course_id>/modules/<int:module_id>/lessons/new", "new_lesson", lambda course, module: _lesson_form(course, module), ("GET", "POST"))
    route(
        "/manage/<int:course_id>/lessons/<int:lesson_id>/edit", "edit_lesson",
        lambda course, lesson: _lesson_form(course, next(m for m in course.modules if m.id == lesson.module_id), lesson), ("GET", "POST"),
    )
    route("/manage/<int:course_id>/modules/<int:module_id>/move", "move_module", _move_module, ("POST",))
    route("/manage/<int:course_id>/lessons/<int:lesson_id>/move", "move_lesson", _move_lesson, ("POST",))
    route("/manage/<int:course_id>/media/", "media", _media_page, ("GET", "POST"))
    route("/manage/<int:course_id>/media/<int:media_id>", "media_file", _authors_file)
    route("/manage/<int:course_id>/media/<int:media_id>/delete", "delete_media", _delete_file, ("POST",))
    route("/manage/<int:course_id>/translations", "translations", _translations)


_register_authoring(bp, "elearning.author")
_register_authoring(project_bp, "elearning.author_project")


# --- Enrolment and the progress matrix (coordinators) ----------------------------------------------------------

def _people() -> list[tuple[int, str]]:
    rows = db.session.execute(
        sa.select(User.id, User.name).join(Membership, Membership.user_id == User.id).where(Membership.active).order_by(User.name, User.id)
    )
    return [(user_id, name) for user_id, name in rows]


@bp.route("/manage/enrol", methods=["GET", "POST"])
@require("elearning.manage")
def enrol():
    courses = db.session.scalars(published_for_current_tenant().order_by(Course.id)).all()
    form = EnrolForm([(c.id, text(c.title)) for c in courses], _people())
    if request.method == "GET" and request.args.get("course", "").isdigit():
        form.course.data = int(request.args["course"])
    if form.validate_on_submit():
        chosen = next((c for c in courses if c.id == form.course.data), None)
        with saving(form) as outcome:
            if chosen is None:
                raise Refused({"course": [_l("Choose a course.")]})
            if form.who.data == "person":
                if form.person.data not in {choice.value for choice in form.person.choices[1:]}:
                    raise Refused({"person": [learning.NOBODY_CHOSEN]})
                user_ids = [form.person.data]
            else:
                user_ids = learning.members(Role(form.role.data) if form.who.data == "role" else None)
            added = learning.enrol(chosen, user_ids, form.due_on.data, current_user)
        if outcome.saved:
            flash(ngettext("%(num)d person enrolled in %(course)s.", "%(num)d people enrolled in %(course)s.", added, course=text(chosen.title)), "success")
            return redirect(url_for("elearning.progress"))
    return _form_page("elearning/enrol.html", form)


@bp.route("/manage/progress")
@require("elearning.manage")
def progress():
    """Staff × course (see `progress.matrix`): a page of staff, the courses with enrolments, one cell each."""
    return render_template("elearning/progress.html", matrix=progress_matrix.matrix())


@bp.route("/manage/progress.csv")
@require("elearning.manage")
def progress_csv():
    """Every enrolment of the library, one row each. Words and course titles are ready before the response starts;
    the rows are fetched in batches while it streams, from a session of the download's own (closed at the end),
    so that fetching needs no request context."""
    header = [_("Name"), _("E-mail"), _("Course"), _("Enrolled on"), _("Due date"), _("Completed on"), _("Required lessons done"), _("Required lessons"), _("In person")]
    words = {True: _("yes"), False: _("no")}
    everything = progress_matrix.every_enrolment()
    titles, required = everything.titles, everything.required
    session = db.session.session_factory()
    try:
        with tenant_scope(g.tenant, reason="the library's own training records, for its CSV"):
            result = session.execute(everything.statement, execution_options={"yield_per": CSV_BATCH})
    except BaseException:
        session.close()
        raise

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        try:
            writer.writerow(header)
            for batch in result.partitions():
                for name, email, course_id, created, due, completed, lessons_done, in_person in batch:
                    writer.writerow([
                        neutralised(name), neutralised(email), neutralised(titles.get(course_id, "")), created.date().isoformat(),
                        due.isoformat() if due else "", completed.date().isoformat() if completed else "",
                        lessons_done, required.get(course_id, 0), words[bool(in_person)] if completed else "",
                    ])
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
            if buffer.getvalue():
                yield buffer.getvalue()
        finally:
            session.close()

    filename = f"training-{g.tenant.slug}-{g.tenant.today().isoformat()}.csv"
    return Response(lines(), mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'})
