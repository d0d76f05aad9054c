"""Form fields for typed dates, times, whole numbers and amounts, shared by every feature's forms.

Date fields are the browser's native date input (`<input type="date">`), which shows the browser's calendar and
sends ISO (2027-03-31). Typed text is understood too, for browsers without one and for hand-made requests: ISO,
a dotted European date (31.03.2027) in every language, and the user's own short format (2027-03-31 in Lithuanian
and, in English, 31/03/2027: day-month-year, as in Ireland). A slash date whose day could be its month
(01/02/2027) is refused rather than guessed: Americans read it as 2 January. Times are typed on the 24-hour
clock (14:30). Amounts take a comma or a point as the decimal mark (1 250,50 or 1,250.50). Each field carries a hint with the expected format; templates tie it to the input with
aria-describedby.

Choices are `SelectField`s from here, never wtforms' own: the same field, with options written faster.
"""
from datetime import date, time
from decimal import Decimal, InvalidOperation
import re

from babel.dates import format_date, get_date_format, parse_date
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
import wtforms
from wtforms import Field, IntegerField
from wtforms.validators import StopValidation
from wtforms.widgets import DateInput, Select, TextInput

from bibnet.web.i18n import formatting_locale

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Day, month and four-digit year with dots: read that way all over Europe, whatever the user's language.
_DOTTED_DATE = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\.?")
# Three numbers with separators, the year with 2 or 4 digits; Latvian dates may end with a dot.
_LOCAL_DATE = re.compile(r"\d{1,4}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{1,4}\.?")
_CLOCK = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")


def _field_order(locale) -> str:
    """'dmy', 'mdy' or 'ymd': the order of day, month and year in the locale's short date format."""
    pattern = get_date_format("short", locale=locale).pattern.lower()
    return "".join(sorted("dmy", key=pattern.index))


def _date_pattern(locale) -> str:
    """The pattern dates are typed and prefilled in: the locale's short one with a four-digit year, dd.MM.y (lv)
    and y-MM-dd (lt); ISO where the short one has slashes (English, dd/MM/y), which people read both ways."""
    pattern = get_date_format("short", locale=locale).pattern
    return "y-MM-dd" if "/" in pattern else re.sub(r"y+", "y", pattern)


def format_local_date(day: date, locale=None) -> str:
    """A date as the user types it in their language."""
    locale = formatting_locale(locale)
    return format_date(day, _date_pattern(locale), locale=locale)


class AmbiguousDate(ValueError):
    """A typed date that reads as two different days (01/02/2027: 1 February or 2 January)."""

    def __init__(self, text: str, readings: tuple[date, date]):
        super().__init__(text)
        self.readings = readings


def parse_local_date(text: str, locale=None) -> date:
    """A date typed as YYYY-MM-DD or in the locale's short format; ValueError when it is no real date,
    AmbiguousDate when it has slashes and both its first numbers could be the month."""
    text = text.strip()
    if _ISO_DATE.fullmatch(text):
        return date.fromisoformat(text)
    if dotted := _DOTTED_DATE.fullmatch(text):
        day, month, year = (int(number) for number in dotted.groups())
        return date(year, month, day)
    if not _LOCAL_DATE.fullmatch(text):
        raise ValueError(text)
    locale = formatting_locale(locale)
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
    if "/" in text and _field_order(locale)[2] == "y" and parsed.day != parsed.month and parsed.day <= 12:
        raise AmbiguousDate(text, (parsed, parsed.replace(day=parsed.month, month=parsed.day)))
    return parsed


def parse_clock(text: str) -> time:
    """A time typed as HH:MM on the 24-hour clock (9:30 and 09.30 work too); ValueError otherwise."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    return time(int(match.group(1)), int(match.group(2)))


YEARS_AROUND_TODAY = 10


def date_bounds(today: date | None = None) -> tuple[date, date]:
    """The first and last date anyone may type: YEARS_AROUND_TODAY years either side of today.

    Further is a typing mistake (0001-01-01, 9999-12-31), and such a range once made the usage figures walk
    millennia day by day. Every typed date passes here: forms (`LocalDateField`) and the API (`bibnet.api.
    schemas.Day`), so a feature's dates are bounded without the feature asking.
    """
    today = today or date.today()
    return _years_later(today, -YEARS_AROUND_TODAY), _years_later(today, YEARS_AROUND_TODAY)


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_out_of_bounds(day: date, iso: bool = False) -> str | None:
    """The message for a date outside `date_bounds()`, naming them in the user's format (in ISO for the API);
    None inside them."""
    first, last = date_bounds()
    if first <= day <= last:
        return None
    shown = date.isoformat if iso else format_local_date
    return _("Enter a date from %(first)s to %(last)s.", first=shown(first), last=shown(last))


def _date_example() -> str:
    return format_local_date(date(date.today().year, 3, 31))  # a day past the 12th shows which number is the day


def _date_hint() -> str:
    example = date(date.today().year, 3, 31)
    return _("For example %(iso)s or %(dotted)s.", iso=example.isoformat(), dotted=example.strftime("%d.%m.%Y"))


DATE_HINT = LazyString(_date_hint)
TIME_HINT = _l("24-hour clock, for example 14:30.")


class _TypedField(Field):
    """A text input parsed into a value. Not sent: the default stays; sent empty: None (or `required_message`)."""

    widget = TextInput()
    invalid_message = None

    def __init__(self, label=None, validators=None, required_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required_message = required_message

    def parse(self, text: str):
        raise NotImplementedError

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = None
        if valuelist[0].strip():
            try:
                self.data = self.parse(valuelist[0])
            except ValueError as error:
                raise ValueError(self.invalid_message()) from error

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        if self.data is None and self.required_message:
            raise StopValidation(str(self.required_message))


def without_negative_zero(amount: Decimal) -> Decimal:
    """-0 ("-0", "-0,00", or -0.0 sent as a JSON number) is 0: Decimal keeps the sign of a zero, which would be
    stored and shown as "-0". Every way money comes in (forms, the API's fields, imports) passes through here."""
    return amount.copy_abs() if amount.is_zero() else amount


def parse_amount(text: str) -> Decimal:
    """1234.56, 1 234,56, 1.234,56 or 1,234.56: when both marks appear the last one is the decimal mark,
    when one appears it is. "1,234" is therefore 1.234, which amounts refuse (three decimals) rather than
    read as 1234: an ambiguous amount is never taken silently."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text)
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        cleaned = cleaned.replace("." if decimal_mark == "," else ",", "").replace(decimal_mark, ".")
    else:
        cleaned = cleaned.replace(",", ".")
    cleaned = cleaned.replace("\u2212", "-")  # the minus sign some locales print
    # ASCII digits only (str.isdigit and \d take "²" and other scripts' digits), and no more than a
    # NUMERIC(17, 2) column could hold: longer numbers are typing mistakes, not amounts.
    if not re.fullmatch(r"-?[0-9]{1,15}(\.[0-9]{1,15})?", cleaned):
        raise ValueError(text)
    try:
        return without_negative_zero(Decimal(cleaned))
    except InvalidOperation as error:
        raise ValueError(text) from error


def parse_whole_number(text: str | None, maximum: int = 2**31 - 1) -> int | None:
    """A whole number from a URL or form value typed in ASCII digits, up to `maximum`; else None."""
    text = (text or "").strip()
    if not re.fullmatch(r"[0-9]{1,10}", text) or int(text) > maximum:
        return None
    return int(text)


class AmountField(_TypedField):
    """An amount of money typed by hand (see `parse_amount`), as a Decimal; at most two decimals."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"autocomplete": "off", "inputmode": "decimal", "spellcheck": "false"})
        super().__init__(label, validators, **kwargs)

    def parse(self, text):
        amount = parse_amount(text)
        if amount != amount.quantize(Decimal("0.01")):
            raise ValueError(text)
        return amount

    def invalid_message(self):
        return _("Enter an amount with at most two decimals, like 1250.50.")

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:.2f}"


class LocalDateField(_TypedField):
    """A native date input (the browser sends ISO) that also takes a date typed as `parse_local_date` reads it."""

    widget = DateInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("description", DATE_HINT)
        kwargs.setdefault("render_kw", {"autocomplete": "off", "spellcheck": "false"})
        super().__init__(label, validators, **kwargs)

    def parse(self, text):
        return parse_local_date(text)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            if isinstance(error.__cause__, AmbiguousDate):
                first, second = (format_date(day, "long", locale=formatting_locale()) for day in error.__cause__.readings)
                raise ValueError(_("%(text)s could be %(first)s or %(second)s. Type the date as year-month-day, for example %(iso)s.", text=error.__cause__.args[0], first=first, second=second, iso=error.__cause__.readings[0].isoformat())) from error
            raise

    def invalid_message(self):
        return _("Enter a real date, for example %(example)s.", example=_date_example())

    def pre_validate(self, form):
        super().pre_validate(form)
        if self.data is not None and (message := date_out_of_bounds(self.data)):
            raise StopValidation(message)

    def _value(self):
        # A date input takes only ISO: the date that was understood, else the text as sent (which the browser
        # shows empty, next to the message that says what was wrong with it).
        if self.data:
            return self.data.isoformat()
        return self.raw_data[0] if self.raw_data else ""


class ClockField(_TypedField):
    """A time of day typed as HH:MM on the 24-hour clock."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("description", TIME_HINT)
        kwargs.setdefault("render_kw", {"autocomplete": "off", "spellcheck": "false", "size": 6})
        super().__init__(label, validators, **kwargs)

    def parse(self, text):
        return parse_clock(text)

    def invalid_message(self):
        return _("Enter a time like 14:30.")

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if self.data else ""


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


class NumberField(IntegerField):
    """A whole number typed by hand: empty gives `empty`, anything but digits a clear message."""

    def __init__(self, label=None, validators=None, empty=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.empty = empty

    def process_formdata(self, valuelist):
        if not valuelist:
            return  # not sent: keep the default
        self.data = self.empty
        if str(valuelist[0]).strip():
            try:
                self.data = int(str(valuelist[0]).strip())
            except ValueError as error:
                self.data = None
                raise ValueError(_("Enter a whole number, like 3.")) from error

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


class CountField(NumberField):
    """A number of people: empty counts as 0."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"min": 0, "max": 1000, "inputmode": "numeric"})
        super().__init__(label, validators, empty=0, **kwargs)

    def pre_validate(self, form):
        super().pre_validate(form)
        if self.data is not None and self.data < 0:
            raise StopValidation(_("Enter a number of 0 or more."))


class _Select(Select):
    """wtforms' select, each plain option written with one format: through `html_params`, a list of fifty rooms
    took 1.7 ms, a sixth of the day view's time. The markup is the same (`selected` before `value`, both escaped)."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = "selected " if choice.selected else ""
        return Markup(f'<option {selected}value="{escape(value)}">{escape(choice.label or choice.value)}</option>')


class SelectField(wtforms.SelectField):
    widget = _Select()
