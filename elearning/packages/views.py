"""Pages of course packages: export and import on the authoring pages (a library's and a project's alike), the
SCORM lesson player, its runtime endpoint, and the files of SCORM lessons. (A lesson's media are the course's files,
served by `bibnet.elearning.media`.)

How a SCO runs, and why so. A SCO is a third party's HTML and JavaScript. It runs in an iframe with
`sandbox="allow-scripts allow-forms"` and **without** `allow-same-origin`, and its files are served with the same
sandbox in their Content-Security-Policy (so opening one directly is sandboxed too). The SCO therefore has an opaque
origin: it cannot read the learner's page, cookies or CSRF token, nor call BibNet's endpoints as the learner, and its
CSP gives it no network access beyond its own package (`connect-src 'none'`, `form-action 'none'`). The price: a SCO
cannot reach `window.parent.API` (a cross-origin access), so BibNet injects its SCORM 1.2 API object into the SCO's
HTML pages (`scorm-api.js` with the learner's initial values); that object answers the SCO at once and passes every
change to the player page by `postMessage`, and only the player page, with the learner's session and CSRF token,
sends them to the runtime endpoint, which checks them again. An opaque origin sends no session cookie, so SCO files
are reached through a signed address that names the package, the library and the learner and lives a few hours
(`_content_token`); it is issued only by the player page, after the course's checks. Allowing `allow-same-origin`
instead would let any SCO script act as the learner (and remove its own sandbox): a sandbox in name only.
"""
import json
import re

from flask import Blueprint, Response, abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup
import sqlalchemy as sa

from bibnet.access import public, require
from bibnet.accounts.models import User
from bibnet.api.problems import problem
from bibnet.elearning import views as elearning_views
from bibnet.elearning.catalogue import visible_to
from bibnet.elearning.languages import text
from bibnet.elearning.models import Course, CourseModule, Lesson
from bibnet.elearning.packages import exchange, files, scorm
from bibnet.elearning.packages.models import ScormPackage
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.storage.backends import get_storage
from bibnet.tenancy.context import tenant_scope
from bibnet.web.forms import saving

bp = Blueprint("elearning_packages", __name__, url_prefix="/t/<tenant_slug>/elearning")
project_bp = Blueprint("elearning_project_packages", __name__, url_prefix="/projects/<int:project_id>/elearning")
content_bp = Blueprint("scorm_content", __name__, url_prefix="/scorm-content")
# The player's and the SCO's scripts, outside the tenant's pages: a SCO's sandboxed frame sends no session cookie.
assets = Blueprint("elearning_packages_assets", __name__, static_folder="static", static_url_path="/elearning-packages-assets")

_HEAD = re.compile(rb"<head(\s[^>]*)?>", re.IGNORECASE)
CONTENT_HOURS = 6  # how long a SCO's signed address works: a long lesson, not a day
UPLOAD_HINT = _l("A zip file: a BibNet course package (with course.yaml) or a SCORM 1.2 package (with imsmanifest.xml).")
# The SCO's pages: sandboxed (opaque origin), its own files only, no requests of its own, framed by BibNet only.
SCO_POLICY = (
    "sandbox allow-scripts allow-forms; default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; "
    "connect-src 'none'; form-action 'none'; base-uri 'self'; object-src 'none'; frame-ancestors 'self'"
)


class PackageForm(FlaskForm):
    file = FileField(_l("Package"), validators=[FileRequired(message=_l("Choose a zip file to import."))], description=UPLOAD_HINT,
                     render_kw={"accept": ".zip,application/zip"})


class ScormForm(FlaskForm):
    file = FileField(_l("SCORM 1.2 package"), validators=[FileRequired(message=_l("Choose a zip file to import."))],
                     description=_l("A zip file with imsmanifest.xml at its root and one SCO."), render_kw={"accept": ".zip,application/zip"})


def _upload(form) -> bytes:
    return form.file.data.read()  # the request body is bounded by MAX_CONTENT_LENGTH (MAX_UPLOAD_BYTES)


# --- Export and import, on a library's and a project's authoring pages ----------------------------------------

def _export(course):
    package = exchange.export_parts(course)
    filename = f"course-{course.id}.zip"
    return Response(
        exchange.stream_zip(package), mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _authoring_blueprint() -> str:
    return "elearning" if g.get("tenant") is not None else "elearning_project"


def _outline(course) -> str:
    return url_for(f"{_authoring_blueprint()}.course_outline", course_id=course.id, **elearning_views._owner_args())


def _render(template: str, form, **context):
    context.update(bp_name=_authoring_blueprint(), owner_args=elearning_views._owner_args())
    return elearning_views._form_page(template, form, **context)


def _owner() -> dict:
    return {"owner_tenant_id": g.tenant.id} if g.get("tenant") is not None else {"project_id": g.project.id}


def _import():
    form = PackageForm()
    if form.validate_on_submit():
        with saving(form) as outcome:
            course = exchange.import_package(_upload(form), elearning_views._first_locale(), **_owner())
        if outcome.saved:
            flash(_("The course is imported as a draft. Check it, then publish it."), "success")
            return redirect(_outline(course))
    return _render("elearning/packages/import.html", form)


def _import_scorm(course, module):
    form = ScormForm()
    if form.validate_on_submit():
        with saving(form) as outcome:
            exchange.scorm_lesson(_upload(form), module, elearning_views._first_locale())
        if outcome.saved:
            flash(_("The SCORM package is added as a lesson."), "success")
            return redirect(_outline(course))
    return _render("elearning/packages/scorm_form.html", form, course=course, module=module)


def _register_authoring(blueprint: Blueprint, permission: str) -> None:
    def route(rule, name, implementation, methods=("GET",)):
        def view(**values):
            values.pop("project", None)  # the project resolver's; the views read g.project
            return implementation(**values)

        view.__name__ = name
        blueprint.add_url_rule(rule, name, require(permission)(view), methods=list(methods))

    route("/manage/<int:course_id>/package.zip", "export", _export)
    route("/manage/import", "import_package", _import, ("GET", "POST"))
    route("/manage/<int:course_id>/modules/<int:module_id>/scorm", "import_scorm", _import_scorm, ("GET", "POST"))


_register_authoring(bp, "elearning.author")
_register_authoring(project_bp, "elearning.author_project")


# --- The SCORM player and its runtime ----------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="bibnet.scorm-content")


def _content_token(package: ScormPackage) -> str:
    return _serializer().dumps([package.id, g.tenant.id, current_user.id])


def _scorm_lesson(course, lesson) -> ScormPackage:
    elearning_views._readable(course)
    package = scorm.package_of(lesson.id)
    if package is None:
        abort(404)
    return package


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>/scorm/")
@require("elearning.learn")
def player(course, lesson):
    package = _scorm_lesson(course, lesson)
    attempt = scorm.attempt_of(current_user.id, lesson.id)
    launch = url_for("scorm_content.file", token=_content_token(package), name=package.launch.split("?", 1)[0])
    if "?" in package.launch:
        launch += "?" + package.launch.split("?", 1)[1]
    enrolment_done = lesson.id in elearning_views.learning.done_lesson_ids(elearning_views.learning.current_enrolment(current_user.id, course.id))
    return render_template(
        "elearning/packages/player.html", course=course, lesson=lesson, title=text(lesson.title), launch=launch,
        attempt=attempt, done=enrolment_done, next_lesson=elearning_views.learning.next_lesson(course, lesson),
        runtime_url=url_for("elearning_packages.runtime", course_id=course.id, lesson_id=lesson.id),
    )


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>/scorm/runtime", methods=["POST"])
@require("elearning.learn")
def runtime(course, lesson):
    """What the SCO stored (JSON: `{"values": {element: value}, "finish": bool}`), checked against SCORM 1.2."""
    _scorm_lesson(course, lesson)
    body = request.get_json(silent=True)
    with saving() as outcome:
        if not isinstance(body, dict):
            raise Refused({"values": [_l("Send the values as an object from element name to value.")]})
        attempt, completed = scorm.record(current_user, course, lesson, body.get("values") or {}, bool(body.get("finish")))
    if outcome.refused:  # JSON for the player's script, as the API answers (this endpoint is no page)
        refusal = outcome.refusal
        # Keyed by the element's whole name ("cmi.core.score.raw"), whose dots are no path into the body.
        return problem(refusal.status, detail=refusal.summary(), errors={"json": refusal.errors})
    return jsonify(lesson_status=attempt.lesson_status, total_time=scorm.timespan(attempt.total_seconds), course_completed=completed)


def _send(record, policy: str) -> Response:
    response = Response(files.chunks(record), mimetype=record.content_type)
    response.headers["Content-Security-Policy"] = policy
    response.headers["Content-Length"] = str(record.size)
    return response


def _inject_api(html: bytes, values: dict) -> bytes:
    """The SCO's page with BibNet's SCORM API first in its head, so the SCO finds `window.API` in its own window;
    the learner's values ride along as a data attribute (no inline script)."""
    script = Markup('<script src="{}" data-cmi="{}" data-parent-origin="{}"></script>').format(
        url_for("elearning_packages_assets.static", filename="scorm-api.js"), json.dumps(values), request.host_url.rstrip("/"),
    ).encode()
    head = _HEAD.search(html, 0, 8192)
    if head is not None:
        return html[: head.end()] + script + html[head.end():]
    return script + html


@content_bp.route("/<token>/<path:name>")
@public
def file(token, name):
    """A file of a SCO, to the learner the signed address was issued to; the course must still be the library's to see."""
    try:
        package_id, tenant_id, user_id = _serializer().loads(token, max_age=CONTENT_HOURS * 3600)
    except (BadSignature, ValueError, TypeError):
        abort(404)
    package = db.session.scalar(
        sa.select(ScormPackage)
        .join(Lesson, Lesson.id == ScormPackage.lesson_id).join(CourseModule, CourseModule.id == Lesson.module_id)
        .join(Course, Course.id == CourseModule.course_id)
        .where(ScormPackage.id == package_id, visible_to(tenant_id))
    )
    if package is None:
        abort(404)
    record = files.find(package.id, name)
    if record is None:
        abort(404)
    if record.content_type.startswith("text/html"):
        with tenant_scope(tenant_id, reason="the learner's SCORM values, for the SCO their signed address names"):
            values = scorm.initial_values(scorm.attempt_of(user_id, package.lesson_id), db.session.get(User, user_id))
        with get_storage().open(record.key) as stream:
            body = _inject_api(stream.read(), values)
        response = Response(body, mimetype=record.content_type)
        response.headers["Content-Security-Policy"] = SCO_POLICY
        response.headers["Cache-Control"] = "no-store"  # it carries the learner's values of this moment
    else:
        response = _send(record, SCO_POLICY)
        response.headers["Cache-Control"] = "private, max-age=600"
    return response
