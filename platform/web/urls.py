"""URL converters shared by every route.

Every id in BibNet's URLs is written `<int:…>`. The core replaces werkzeug's `int` converter with one that
matches only the ids a database column can hold (PostgreSQL INTEGER), so `/rooms/2147483648` or a 70-digit id is
a URL that names nothing (404), on every database and in every feature, without a check in any view.

The bound is in the converter's regular expression rather than in `to_python`: werkzeug answers a refused
conversion with 405 when the same path has rules for other methods, which would tell a caller the path exists.
"""
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**31 - 1


def digits_up_to(largest: int) -> str:
    """A regular expression matching the decimal numbers from 0 to `largest`, without leading zeros."""
    text = str(largest)
    choices = ["0", f"[1-9]\\d{{0,{len(text) - 2}}}"] if len(text) > 1 else [f"[0-{text}]"]
    for position, digit in enumerate(text):
        rest = len(text) - position - 1
        low = "1" if position == 0 else "0"
        if int(digit) > int(low):
            choices.append(f"{text[:position]}[{low}-{int(digit) - 1}]" + (f"\\d{{{rest}}}" if rest else ""))
    if len(text) > 1:
        choices.append(text)
    return "(?:" + "|".join(choices) + ")"


class IdConverter(IntegerConverter):
    """`<int:…>`: a whole number from 0 to LARGEST_ID (or to the route's own `max`)."""

    def __init__(self, map, fixed_digits=0, min=None, max=LARGEST_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
        if max is not None and not fixed_digits and not signed:
            self.regex = digits_up_to(max)


def init_app(app) -> None:
    """Before any blueprint is registered: rules pick their converter when they are added to the map."""
    app.url_map.converters["int"] = IdConverter
