"""Showing a service's refusal on a page: its field errors next to their fields, the rest in the error summary.

Services refuse with `bibnet.refusals.Refused`, whose field errors are named by their path in the API's
request body ("periods.0.ends_on"); forms name the fields of rows with underscores (`periods_0_ends_on`), so
that the shared error summary links to each. A page that shows its form again after a refusal calls
`show_refusal`; any other refusal is shown by the core's error handler.

A form view's save step is one `with saving(form) as outcome:` block around the service calls: the block's writes
are committed when it ends, or its refusal is put on the form and its writes dropped. There is no other way to save.
"""
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bibnet.extensions import db
from bibnet.refusals import Refused


@dataclass
class Outcome:
    """What a `saving` block came to: `saved` once committed; otherwise `error`, the refusal's messages that
    belong to no field, for the page's error summary. A view starts with `Outcome()` for a form not sent yet."""

    saved: bool = False
    refusal: Refused | None = None
    error: str | None = None

    @property
    def refused(self) -> bool:
        return self.refusal is not None


@contextmanager
def saving(form=None, rename: dict[str, str] | Callable[[dict], dict[str, str]] | None = None) -> Iterator[Outcome]:
    """Commit what the block's service calls wrote; on `Refused`, show the refusal on `form` (see
    `show_refusal`; `rename` may also be worked out from the refusal's errors) instead, and go on after the
    block with `outcome.saved` false and `outcome.refusal` set."""
    outcome = Outcome()
    try:
        yield outcome
    except Refused as refusal:
        outcome.refusal = refusal
        outcome.error = show_refusal(form, refusal, rename(refusal.errors) if callable(rename) else rename)
        return
    db.session.commit()
    outcome.saved = True


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
