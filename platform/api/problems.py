"""RFC 9457 problem details for every API error; 422 carries the field errors."""
from flask import jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.http import HTTP_STATUS_CODES

PROBLEM_TYPE = "application/problem+json"

# marshmallow's own messages, marked here so that they are extracted and translated like ours.
VALIDATION_MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Field may not be null.": _l("This field cannot be empty."),
    "Not a valid integer.": _l("Enter a whole number."),
    "Not a valid string.": _l("Enter text."),
    "Not a valid email address.": _l("Enter an e-mail address in the right format, like name@example.lv."),
    "Not a valid date.": _l("Enter a date in the format YYYY-MM-DD."),
    "Not a valid time.": _l("Enter a time like 14:30."),
    "Not a valid boolean.": _l("Enter true or false."),
    "Unknown field.": _l("This field is not known."),
    "Must be greater than or equal to 1.": _l("Enter a number of at least 1."),
    "Must be greater than or equal to 1 and less than or equal to 100.": _l("Enter a number from 1 to 100."),
}


def translate_messages(messages):
    if isinstance(messages, dict):
        return {key: translate_messages(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [translate_messages(message) for message in messages]
    return str(VALIDATION_MESSAGES.get(messages, messages))


def problem(status: int, title=None, detail=None, errors=None, **extensions):
    """A problem+json response; `extensions` are further members of the body (RFC 9457, section 3.2)."""
    body = {"type": "about:blank", "title": str(title or _(HTTP_STATUS_CODES.get(status, "Error"))), "status": status}
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = translate_messages(errors)
    body.update(extensions)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_TYPE
    return response
