"""Form fields for typed dates, times and numbers, for every form of the rooms and their bookings.

Dates are typed, not picked: ISO (2025-12-31) always works, and so does the user's own short format
(31.12.25 in Latvian, 12/31/25 in English). Times are typed on the 24-hour clock (14:30). Each field
carries a hint that shows the expected format; templates tie it to the input with aria-describedby.
"""
from datetime import date, time
import re

from babel.dates import get_date_format, parse_date
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

# A day past the 12th shows which number is the day in the hint.
EXAMPLE_DAY = date(2025, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Three numbers with separators, the year with 2 or 4 digits; Latvian dates may end with a dot.
_LOCAL_DATE = re.compile(r"\d{1,4}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{1,4}\.?")
_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")


def _field_order(locale) -> str:
    """'dmy', 'mdy' or 'ymd': the order of day, month and year in the locale's short date format."""
    pattern = get_date_format("short", locale=locale).pattern.lower()
    return "".join(sorted("dmy", key=pattern.index))


def parse_local_date(text: str, locale=None) -> date:
    """A date typed as YYYY-MM-DD or in the locale's short format; ValueError when it is neither."""
    text = text.strip()
    if _ISO_DATE.fullmatch(text):
        return date.fromisoformat(text)
    if not _LOCAL_DATE.fullmatch(text):
        raise ValueError(text)
    locale = locale or get_locale()
    numbers = dict(zip(_field_order(locale), re.findall(r"\d+", text), strict=True))
    if len(numbers["y"]) not in (2, 4):
        raise ValueError(text)
    try:
        parsed = parse_date(text, locale=locale, format="short")
    except (ValueError, IndexError) as error:  # babel's ParseError is a ValueError
        raise ValueError(text) from error
    # Babel swaps day and month when the month is over 12; a typo must not silently become another date.
    if (parsed.day, parsed.month) != (int(numbers["d"]), int(numbers["m"])):
        raise ValueError(text)
    return parsed


def date_hint() -> str:
    iso, local = EXAMPLE_DAY.isoformat(), format_date(EXAMPLE_DAY, "short")
    if iso == local:
        return _("Type the date like this: %(example)s.", example=iso)
    return _("Type the date like this: %(iso)s or %(local)s.", iso=iso, local=local)


class LocalDateField(Field):
    """A date typed in ISO or in the user's short format. Shown as ISO, which every language accepts."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("description", date_hint())  # bound per request, so in the user's language
        kwargs.setdefault("render_kw", {"autocomplete": "off", "spellcheck": "false"})
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if self.data else ""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_local_date(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(_("Enter a real date. %(hint)s", hint=date_hint())) from None


class TimeField24(Field):
    """A time of day typed as HH:MM on the 24-hour clock (9:00, 09:00 and 9.00 are accepted too)."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("description", _l("24-hour clock, for example 14:30."))
        kwargs.setdefault("render_kw", {"autocomplete": "off", "spellcheck": "false", "size": 6})
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if self.data else ""

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        if not text:
            self.data = None
            return
        match = _TIME.fullmatch(text)
        if match is None:
            self.data = None
            raise ValueError(_("Enter a time as hours and minutes on the 24-hour clock, for example 14:30."))
        self.data = time(int(match.group(1)), int(match.group(2)))


class WholeNumberField(Field):
    """A whole number between `minimum` and `maximum`, with one message for text and for numbers out of range."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, minimum=0, maximum=1000, **kwargs):
        self.minimum, self.maximum = minimum, maximum
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off", "size": 6})
        super().__init__(label, validators, **kwargs)

    @property
    def message(self) -> str:
        return _("Enter a whole number from %(min)d to %(max)d.", min=self.minimum, max=self.maximum)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        if not text:
            self.data = None
            return
        if not re.fullmatch(r"[+-]?\d{1,9}", text):
            self.data = None
            raise ValueError(self.message)
        self.data = int(text)

    def pre_validate(self, form):
        if self.data is not None and not self.minimum <= self.data <= self.maximum:
            raise StopValidation(self.message)
