"""Recurrence rules: which dates a series falls on, and how a local wall-clock time becomes UTC.

A rule is a subset of RFC 5545 RRULE that libraries use: once, daily, every n weeks on chosen weekdays,
monthly on the nth weekday of the first date (a 5th weekday means "the last"). It ends on a date or after
a number of sessions, and never runs longer than one year.
"""
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
import enum
from zoneinfo import ZoneInfo

from dateutil import rrule
from dateutil.relativedelta import relativedelta

MAX_SPAN = relativedelta(years=1)


class Frequency(enum.StrEnum):
    ONCE = "once"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class RuleError(ValueError):
    """A rule that cannot be expanded; `field` names the input to correct, `code` the reason."""

    def __init__(self, field: str, code: str):
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code


_RRULE_FREQUENCY = {Frequency.DAILY: rrule.DAILY, Frequency.WEEKLY: rrule.WEEKLY, Frequency.MONTHLY: rrule.MONTHLY}
_WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


def nth_weekday(day: date) -> int:
    """Which weekday of its month `day` is: 1 to 4, or -1 for a fifth (the last one of the month)."""
    n = (day.day - 1) // 7 + 1
    return -1 if n == 5 else n


@dataclass(frozen=True)
class Rule:
    frequency: Frequency
    first_date: date
    interval: int = 1
    weekdays: frozenset[int] = frozenset()  # 0 = Monday; weekly rules only, default the first date's weekday
    until: date | None = None
    count: int | None = None

    def _rrule(self) -> rrule.rrule:
        options = {"dtstart": datetime.combine(self.first_date, time()), "interval": self.interval}
        if self.frequency is Frequency.WEEKLY:
            options["byweekday"] = [_WEEKDAYS[day] for day in sorted(self.weekdays or {self.first_date.weekday()})]
        elif self.frequency is Frequency.MONTHLY:
            options["byweekday"] = _WEEKDAYS[self.first_date.weekday()](nth_weekday(self.first_date))
        if self.until is not None:
            options["until"] = datetime.combine(self.until, time())
        if self.count is not None:
            options["count"] = self.count
        return rrule.rrule(_RRULE_FREQUENCY[self.frequency], **options)

    def validate(self) -> None:
        if self.frequency is Frequency.ONCE:
            return
        if self.interval < 1 or self.interval > 52:
            raise RuleError("interval", "interval_range")
        if any(day not in range(7) for day in self.weekdays):
            raise RuleError("weekdays", "weekday_unknown")
        if self.until is None and self.count is None:
            raise RuleError("until", "end_missing")
        if self.until is not None and self.until < self.first_date:
            raise RuleError("until", "until_before_start")
        if self.count is not None and self.count < 1:
            raise RuleError("count", "count_positive")
        if self.until is not None and self.until > self.first_date + MAX_SPAN:
            raise RuleError("until", "longer_than_a_year")

    def dates(self) -> list[date]:
        """Every date of the series, in order. Raises RuleError for an invalid rule or one over a year long."""
        self.validate()
        if self.frequency is Frequency.ONCE:
            return [self.first_date]
        limit = self.first_date + MAX_SPAN
        dates = []
        for moment in self._rrule():
            if moment.date() > limit:
                raise RuleError("count" if self.count is not None else "until", "longer_than_a_year")
            dates.append(moment.date())
        if not dates:
            raise RuleError("weekdays", "no_dates")
        return dates

    def ical_recur(self) -> dict | None:
        """The rule as RFC 5545 RRULE parts for `icalendar.vRecur` (None for a single session)."""
        if self.frequency is Frequency.ONCE:
            return None
        parts: dict = {"FREQ": self.frequency.value.upper(), "INTERVAL": self.interval}
        codes = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
        if self.frequency is Frequency.WEEKLY:
            parts["BYDAY"] = [codes[day] for day in sorted(self.weekdays or {self.first_date.weekday()})]
        elif self.frequency is Frequency.MONTHLY:
            parts["BYDAY"] = [f"{nth_weekday(self.first_date)}{codes[self.first_date.weekday()]}"]
        if self.count is not None:
            parts["COUNT"] = self.count
        elif self.until is not None:
            parts["UNTIL"] = self.until
        return parts


def to_utc(day: date, wall_clock: time, zone: str) -> datetime:
    """The UTC instant of a local date and time in `zone` (the tenant's), whatever the daylight saving."""
    return datetime.combine(day, wall_clock, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def to_local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))
