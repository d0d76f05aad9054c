"""Showing a service's refusal on a page: its field errors next to their fields, the rest in the error summary.

Services refuse with `bibnet.refusals.Refused`, whose field errors are named by their path in the API's
request body ("periods.0.ends_on"); forms name the fields of rows with underscores (`periods_0_ends_on`), so
that the shared error summary links to each. A page that shows its form again after a refusal calls
`show_refusal`; any other refusal is shown by the core's error handler.
"""
from bibnet.extensions import db
from bibnet.refusals import Refused


def show_refusal(form, refusal: Refused, rename: dict[str, str] | None = None) -> str | None:
    """Drop what the request wrote (so the page shows what is stored), put the refusal's messages next to
    the form's fields and return the rest, joined, for the error summary. `rename` maps a path of the
    refusal to a form field whose name differs from it."""
    db.session.rollback()
    errors: dict[str, list] = {}
    for path, messages in refusal.errors.items():
        errors.setdefault((rename or {}).get(path, path), []).extend(messages)
    if not errors:
        return refusal.summary() or None
    return attach_errors(form, errors)


def attach_errors(form, errors: dict[str, list]) -> str | None:
    """Put the messages next to their fields ("periods.0.ends_on" is `periods_0_ends_on`); the messages of
    no field (every message when `form` is None) are returned, joined, for the error summary."""
    extra = []
    for path, messages in errors.items():
        field = form._fields.get(path.replace(".", "_")) if form is not None else None
        if field is None:
            extra += [str(message) for message in messages]
        else:
            field.errors = list(field.errors) + [str(message) for message in messages]
    return " ".join(extra) or None


def has_errors(form) -> bool:
    return any(field.errors for field in form)
