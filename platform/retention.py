"""What personal data BibNet keeps and for how long: features declare it here (from their `init_app`), the
`retention.erase` job erases what is past its period, and the privacy page lists the entries with the periods
actually configured, so the notice never promises something other than what happens.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app


@dataclass(frozen=True)
class Retention:
    name: str
    data: object  # what is kept (a lazy string)
    purpose: object  # why (a lazy string)
    legal_basis: object  # the GDPR article that allows it (a lazy string)
    period: Callable[[int], str]  # the period in words for a number of days (an ngettext call)
    days_setting: str  # the config key holding the number of days
    erase: Callable[[datetime], int]  # erases what is past the period at `now`, commits, returns how many rows

    @property
    def days(self) -> int:
        return current_app.config[self.days_setting]

    def period_text(self) -> str:
        return self.period(self.days)


def register(app, entry: Retention) -> None:
    registered = app.extensions.setdefault("bibnet.retention", {})
    if entry.name in registered:
        raise ValueError(f"a retention entry named {entry.name!r} is registered already")
    registered[entry.name] = entry


def entries() -> list[Retention]:
    return sorted(current_app.extensions.get("bibnet.retention", {}).values(), key=lambda entry: entry.name)


def erase_due(now: datetime) -> str:
    """The job: run every entry's erase function; says how many rows each erased."""
    return ", ".join(f"{entry.name}: {entry.erase(now)}" for entry in entries()) or "nothing is registered"


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l
    from flask_babel import ngettext

    from bibnet import jobs, mail

    register(app, Retention(
        name="mail",
        data=_l("E-mail sent by BibNet: address and text"),
        purpose=_l("Delivering the message, and trying again when the mail server fails"),
        legal_basis=_l("Public task (GDPR Art. 6(1)(e))"),
        period=lambda days: ngettext("Deleted %(num)d day after it was sent", "Deleted %(num)d days after it was sent", days),
        days_setting="MAIL_SENT_RETENTION_DAYS",
        erase=mail.erase_finished,
    ))
    jobs.register(app, "retention.erase", timedelta(hours=1), erase_due)
