"""Showing a service's refusal on a page: its field errors next to their fields, the rest in the error summary.

Services refuse with a dict of field name (or path, "periods.0.ends_on") to translated messages; forms name
the fields of rows with underscores (`periods_0_ends_on`), so that the shared error summary links to each.
"""


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


def all_messages(errors: dict[str, list]) -> str:
    """Every message of a refusal, joined, for a page that has no form to put them on."""
    return " ".join(str(message) for messages in errors.values() for message in messages)
