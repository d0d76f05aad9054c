"""One way to refuse a request: a service raises `Refused` with field errors; the core shows it.

A service checks first and raises; it never rolls back. The core drops what the request wrote, once, where
the refusal is shown: `bibnet.web.forms.show_refusal` on a page that shows its form again, the handler in
`bibnet.web.errors` otherwise (problem+json under /api/, RFC 9457, with the field errors; else an error page).

Field errors map a path as in the API's request body ("periods.0.ends_on", "expected.adults") to messages,
translated lazily (`lazy_gettext`), so that they are rendered in the language of whoever reads them. Pages
name the fields of rows with underscores (`periods_0_ends_on`), so the same paths find their form fields.
"""
from collections.abc import Mapping

SCHEMA = "_schema"  # marshmallow's key for the messages of an object itself, next to those of its fields


class Refused(Exception):
    """The request is refused; nothing it wrote is kept. `errors` maps field paths to lazily translated
    messages; `status` is 422 (wrong input) or 409 (a conflict with the current state). Subclasses name a
    kind of refusal that callers tell apart (a taken room slot) and may add members to the problem+json."""

    status = 422
    title = None

    def __init__(self, errors: Mapping[str, list] | None = None, *, status: int | None = None, title=None, detail=None):
        self.errors = {path: list(messages) for path, messages in (errors or {}).items()}
        super().__init__(self.errors)
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title
        self.detail = detail

    def messages(self) -> list[str]:
        """Every message, translated now: the field errors', else the detail."""
        found = [str(message) for messages in self.errors.values() for message in messages]
        return found or ([str(self.detail)] if self.detail else [])

    def summary(self) -> str:
        return " ".join(self.messages())

    def problem_members(self) -> dict:
        """Further members of the problem+json body (RFC 9457, section 3.2)."""
        return {}


def refuse_if_any(errors: Mapping[str, list], **options) -> None:
    """Raise `Refused(errors)` when there is at least one error."""
    if errors:
        raise Refused(errors, **options)


def nested(errors: Mapping[str, list]) -> dict:
    """Field errors by path as nested objects, as marshmallow reports a request body's: "periods.0.ends_on"
    is `{"periods": {"0": {"ends_on": [...]}}}`. A path that is also the parent of others (an error on the
    list of periods and one on a period) keeps its own messages under "_schema", as marshmallow does."""
    tree: dict = {}
    for path, messages in errors.items():
        *parents, leaf = path.split(".")
        place = tree
        for parent in parents:
            below = place.get(parent)
            if not isinstance(below, dict):
                below = place[parent] = {SCHEMA: below} if below else {}
            place = below
        texts = [str(message) for message in messages]
        if isinstance(place.get(leaf), dict):
            place[leaf].setdefault(SCHEMA, []).extend(texts)
        else:
            place.setdefault(leaf, []).extend(texts)
    return tree
