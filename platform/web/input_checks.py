"""Refusing what no feature can store, before any view sees it: one check for every request.

PostgreSQL refuses a NUL character in text, an unpaired surrogate cannot be encoded as UTF-8, an integer
column holds at most 2³¹ − 1, and a JSON body nested thousands of levels deep exhausts Python's stack.
Each of these used to surface as a server error in whichever view met it first; here they are refused
with a translated message and nothing is written:

- the path: a control character in it is a 404 (no page has one);
- query arguments, form values, uploaded files' names and every string (and key) of a JSON body: a
  control character other than tab, line feed and carriage return, or an unpaired surrogate, is a field
  error;
- JSON bodies: not UTF-8, not JSON, or nested deeper than `MAX_JSON_DEPTH` is a 400; a number that is
  not finite or is beyond ±`MAX_WHOLE_NUMBER` is a field error.

API requests get problem+json (422 with the errors under "json", "query" or "form", shaped like the
schemas' own); pages get the error page with a message saying what to change.
"""
from collections.abc import Iterator
import json
import math
import re

from flask import abort, make_response, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext as _l

from bibnet.api.problems import problem
from bibnet.web.errors import MESSAGES

# C0 controls except tab, line feed and carriage return (forms send line breaks as CR LF), and surrogates.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
MAX_JSON_DEPTH = 32  # the deepest schema nests 3 levels; this leaves room and keeps every walk shallow
MAX_WHOLE_NUMBER = 2**31 - 1  # every integer column is a 32-bit INTEGER; amounts are far below it

CONTROL_CHARACTER = _l("Remove the invisible control character (such as a NUL character) from this text: it cannot be saved.")
NUMBER_TOO_LARGE = _l("Enter a number from -%(max)d to %(max)d.", max=MAX_WHOLE_NUMBER)
NOT_UTF8 = _l("Send the JSON body encoded as UTF-8.")
NOT_JSON = _l("The body is not valid JSON.")
TOO_DEEP = _l("The JSON body is nested more than %(max)d levels deep.", max=MAX_JSON_DEPTH)
PAGE_TITLE = _l("The form contains a character that cannot be saved")
PAGE_EXPLANATION = _l(
    "An invisible control character (such as a NUL character) was pasted into the form or the address. "
    "Remove it, then send the form again. Nothing was saved."
)


def unstorable(text: str | None) -> bool:
    """Whether the text holds a character no text column can store (see `UNSTORABLE`).

    None counts as empty: werkzeug gives a multipart part without a usable name the name None."""
    return text is not None and UNSTORABLE.search(text) is not None


def _json_problems(document) -> Iterator[tuple[tuple, object]]:
    """(path, message) for every string, key or number of a parsed JSON document that cannot be stored.

    Walked with an explicit stack, so a deep document cannot exhaust Python's; deeper than MAX_JSON_DEPTH
    yields ((), TOO_DEEP) and stops.
    """
    stack = [((), document)]
    while stack:
        path, value = stack.pop()
        if len(path) > MAX_JSON_DEPTH:
            yield (), TOO_DEEP
            return
        if isinstance(value, dict):
            for key, item in value.items():
                if unstorable(key):
                    yield (*path, key.encode("unicode_escape", "backslashreplace").decode("ascii")), CONTROL_CHARACTER
                else:
                    stack.append(((*path, key), item))
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
        elif isinstance(value, str):
            if unstorable(value):
                yield path, CONTROL_CHARACTER
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and (not math.isfinite(value) or abs(value) > MAX_WHOLE_NUMBER):
            yield path, NUMBER_TOO_LARGE


def _nest(problems: list[tuple[tuple, object]]) -> dict:
    """{"a": {0: {"b": [message]}}} from [(("a", 0, "b"), message)]: marshmallow's shape of field errors."""
    errors: dict = {}
    for path, message in problems:
        node = errors
        for step in path[:-1]:
            node = node.setdefault(step, {})
        node.setdefault(path[-1] if path else "_schema", []).append(str(message))
    return errors


def _parsed_json_body():
    """The request's JSON body, or a problem response when it cannot be read. None when there is none."""
    data = request.get_data(cache=True)
    if not data.strip():
        return None, None  # no body: the schema says which fields are required
    try:
        return json.loads(data.decode("utf-8")), None
    except UnicodeDecodeError:
        return None, problem(400, detail=NOT_UTF8)
    except RecursionError:
        return None, problem(400, detail=TOO_DEEP)
    except ValueError:
        return None, problem(400, detail=NOT_JSON)


def refusal():
    """The response refusing the request's path, query arguments, form values or JSON body, or None."""
    if unstorable(request.path):
        abort(404)  # no page has a control character in its address, and it must not reach a query
    errors = {}
    file_names = ((name, upload.filename or "") for name, upload in request.files.items(multi=True))
    for location, values in (("query", request.args.items(multi=True)), ("form", [*request.form.items(multi=True), *file_names])):
        bad = {name: [str(CONTROL_CHARACTER)] for name, value in values if unstorable(name) or unstorable(value)}
        if bad:
            errors[location] = bad
    if request.is_json:
        document, refused = _parsed_json_body()
        if refused is not None:
            return refused
        problems = list(_json_problems(document))
        if ((), TOO_DEEP) in problems:
            return problem(400, detail=TOO_DEEP)
        if problems:
            errors["json"] = _nest(problems)
    if not errors:
        return None
    if request.path.startswith("/api/"):
        title, detail = MESSAGES[422]
        return problem(422, title=title, detail=detail, errors=errors)
    return make_response(render_template("errors/error.html", code=400, title=PAGE_TITLE, explanation=PAGE_EXPLANATION), 400)


def check_request(endpoint, values) -> None:
    """First of the URL value preprocessors: before the tenant is resolved and before any feature loads
    what the URL names, so that no query ever sees what is refused here."""
    response = refusal()
    if response is not None:
        abort(response)


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, where a body too deep to parse is invalid JSON (a 400 from `request.get_json`), not a
    RecursionError."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError(str(TOO_DEEP)) from error


def init_app(app) -> None:
    app.json_provider_class = JSONProvider
    app.json = JSONProvider(app)
    app.url_value_preprocessors.setdefault(None, []).insert(0, check_request)
