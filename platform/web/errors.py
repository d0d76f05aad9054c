"""Error pages in the user's language, and RFC 9457 problem+json for the API. One handler for both, and one
for every refusal (`bibnet.refusals.Refused`) that a page did not show itself."""
from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from bibnet.api.problems import problem
from bibnet.extensions import db
from bibnet.refusals import Refused, nested

MESSAGES = {
    400: (_l("The request could not be understood"), _l("Go back, reload the page and try again.")),
    401: (_l("Please log in"), _l("Log in to see this page.")),
    403: (_l("You do not have access to this page"), _l("Your role does not allow this. Ask your partner coordinator if you need access.")),
    404: (_l("Page not found"), _l("Check the address, or go back to your dashboard.")),
    405: (_l("This action is not possible here"), _l("Go back to the previous page and use its buttons.")),
    410: (_l("This link has expired"), _l("Ask for a new link.")),
    413: (_l("The file is too large"), _l("Choose a smaller file and try again.")),
    422: (_l("The information could not be processed"), _l("Correct the marked fields and try again.")),
    429: (_l("Too many attempts"), _l("Wait a minute, then try again.")),  # a limit's own `error_message` replaces it
    500: (_l("Something went wrong on our side"), _l("Nothing was saved. Try again later; if it keeps happening, tell your partner coordinator.")),
}
MESSAGES[503] = MESSAGES[500]  # a part of the server is missing (e.g. a system library): the same words to the user
CSRF_MESSAGE = (_l("The form has expired"), _l("Go back, reload the page and send the form again."))


def _wants_problem_json() -> bool:
    return request.path.startswith("/api/")


def handle_http_error(error: HTTPException):
    if error.code and error.code >= 500:
        db.session.rollback()
    if _wants_problem_json():
        data = getattr(error, "data", None) or {}
        messages = data.get("messages")
        title, detail = MESSAGES.get(error.code, (None, None))
        if isinstance(error, CSRFError):
            title, detail = CSRF_MESSAGE
        return problem(error.code, title=title, detail=data.get("message") or detail, errors=messages)
    title, explanation = CSRF_MESSAGE if isinstance(error, CSRFError) else MESSAGES.get(error.code, MESSAGES[400])
    if isinstance(error, RateLimitExceeded) and error.limit.error_message:
        explanation = error.description
    response = render_template("errors/error.html", code=error.code, title=title, explanation=explanation)
    return response, error.code, error.get_headers() if error.code == 405 else {}


def handle_unexpected_error(error: Exception):
    db.session.rollback()
    current_app.logger.exception("unhandled error at %s", request.path)
    return handle_http_error(InternalServerError())


def handle_refusal(refusal: Refused):
    """Drops what the request wrote, then answers problem+json with the field errors under /api/ (placed
    as in the request body: "files" for an upload, else "json"), or the error page with the messages."""
    db.session.rollback()
    title = refusal.title or MESSAGES.get(refusal.status, MESSAGES[422])[0]
    if _wants_problem_json():
        errors = {"files" if request.mimetype == "multipart/form-data" else "json": nested(refusal.errors)} if refusal.errors else None
        return problem(refusal.status, title=title, detail=refusal.detail or refusal.summary(), errors=errors, **refusal.problem_members())
    return render_template("errors/error.html", code=refusal.status, title=title, explanation=refusal.summary()), refusal.status


def init_app(app) -> None:
    app.register_error_handler(Refused, handle_refusal)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
