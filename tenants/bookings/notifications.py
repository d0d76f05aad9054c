"""E-mails about bookings: to the organiser (when a contact e-mail was given) and to the coordinators (through
the core's notifications, which honour each user's choice of a mail each time or a daily digest).

Messages go to the core's outbox (`bibnet.mail.send`) in the transaction of the change, so a refused or
rolled-back booking never sends mail. Everything a message shows is formatted in the recipient's language
and the tenant's time zone. No message carries the internal note or visitor counts.
"""
from babel.dates import format_time
from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet import mail
from bibnet import notifications as core_notifications
from bibnet.accounts.models import Membership, Role, User
from bibnet.extensions import db
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings import services
from bibnet.tenants.bookings.labels import activity_label
from bibnet.tenants.bookings.models import Booking, Occurrence, Status
from bibnet.tenants.bookings.recurrence import to_local
from bibnet.web.i18n import format_date, formatting_locale

# A year of daily sessions would make a very long mail; the organiser sees the rest in the booking.
MAX_LISTED_SESSIONS = 25


def organiser_address(contact: str | None) -> str | None:
    """The organiser's contact if it is an e-mail address; a phone number (or nothing) gets no mail."""
    if not contact or "@" not in contact:
        return None
    try:
        return validate_email(contact.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _when(occurrence: Occurrence, zone: str) -> str:
    """'Monday 30 March 2026, 10:00–11:30' in the current (forced) locale's conventions (English is day-month-year
    and 24-hour, as everywhere in BibNet), in the tenant's time zone."""
    starts, ends = to_local(occurrence.starts_at, zone), to_local(occurrence.ends_at, zone)
    return _(
        "%(date)s, %(start)s–%(end)s",
        date=format_date(starts.date(), "full"),
        start=format_time(starts, "short", locale=formatting_locale()),
        end=format_time(ends, "short", locale=formatting_locale()),
    )


def _sessions(occurrences: list[Occurrence], zone: str) -> dict:
    ordered = sorted(occurrences, key=lambda o: o.starts_at)
    listed = [_when(o, zone) for o in ordered[:MAX_LISTED_SESSIONS]]
    more = len(ordered) - len(listed)
    return {
        "sessions": listed,
        "more_sessions": ngettext("… and %(num)d more session", "… and %(num)d more sessions", more) if more else "",
    }


def _about(booking: Booking, tenant: Tenant) -> dict:
    return {
        "title": booking.title,
        "activity": activity_label(booking.activity),
        "room": booking.room.name,
        "library": booking.room.library,
        "tenant": tenant.name,
    }


def _by_booking(occurrences) -> dict[Booking, list[Occurrence]]:
    grouped: dict[Booking, list[Occurrence]] = {}
    for occurrence in occurrences:
        grouped.setdefault(occurrence.booking, []).append(occurrence)
    return grouped


def _by_reason(occurrences: list[Occurrence]) -> dict[str, list[Occurrence]]:
    grouped: dict[str, list[Occurrence]] = {}
    for occurrence in occurrences:
        grouped.setdefault(occurrence.status_reason or "", []).append(occurrence)
    return grouped


def _to_organiser(booking: Booking, occurrences: list[Occurrence], subject, template: str, with_reasons: bool = False) -> bool:
    """Queue one mail to the organiser about `occurrences`, in the tenant's language. False: no e-mail to write to."""
    address = organiser_address(booking.organiser_contact)
    if address is None or not occurrences:
        return False
    tenant = db.session.get(Tenant, booking.tenant_id)
    locale = tenant.default_locale
    with force_locale(locale):
        context = {**_about(booking, tenant), "organiser": booking.organiser_name or ""}
        if with_reasons:
            context["groups"] = [
                {"reason": services.reason_text(reason) if reason else "", **_sessions(sessions, tenant.timezone)}
                for reason, sessions in _by_reason(occurrences).items()
            ]
        else:
            context.update(_sessions(occurrences, tenant.timezone))
    mail.send(address, subject, template, locale, **context)
    return True


def booking_requested(booking) -> None:
    """A new request waits for approval: tell the tenant's coordinators, each in their own language."""
    requested = [o for o in booking.occurrences if o.status is Status.REQUESTED]
    if not requested:
        return
    tenant = db.session.get(Tenant, booking.tenant_id)
    coordinators = db.session.scalars(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.role == Role.COORDINATOR, Membership.active, User.active)
        .order_by(User.id)
    ).all()
    responsible = db.session.get(User, booking.responsible_id)  # not loaded when it is neither the caller nor a coordinator, as when a gate made a coordinator's booking a request
    # A request may also come from the demo loader or a command: there is no host to link to then.
    link = mail.link("bookings.view", tenant_slug=tenant.slug, booking_id=booking.id)
    # Through the core's notifications, so that a coordinator who chose the daily digest gets it there; the dates
    # are formatted in each coordinator's own language.
    for coordinator in coordinators:
        with force_locale(core_notifications.language_of(coordinator)):
            context = {**_about(booking, tenant), **_sessions(requested, tenant.timezone), "responsible": responsible.name}
        core_notifications.notify(
            [coordinator], "bookings.requested", _l("Booking request to approve: %(title)s", title=booking.title), "bookings/mail/requested.txt", link, **context
        )


def occurrences_confirmed(booking, occurrences) -> None:
    """Tell the organiser which sessions are confirmed. The occurrences are grouped by their own booking:
    an approval may confirm sessions of several bookings at once."""
    for owner, sessions in _by_booking(occurrences).items():
        _to_organiser(owner, sessions, _l("Your booking is confirmed: %(title)s", title=owner.title), "bookings/mail/confirmed.txt")


def occurrences_rejected(occurrences) -> None:
    """Tell each organiser which sessions were rejected, and why."""
    for booking, sessions in _by_booking(occurrences).items():
        _to_organiser(booking, sessions, _l("Your booking request was declined: %(title)s", title=booking.title), "bookings/mail/rejected.txt", with_reasons=True)


def occurrences_cancelled(occurrences) -> None:
    """Tell each organiser which sessions were cancelled."""
    for booking, sessions in _by_booking(occurrences).items():
        _to_organiser(booking, sessions, _l("Sessions cancelled: %(title)s", title=booking.title), "bookings/mail/cancelled.txt", with_reasons=True)


def session_reminder(occurrence: Occurrence) -> bool:
    """Remind the organiser of a session the day before. False: the organiser left no e-mail address."""
    booking = occurrence.booking
    return _to_organiser(booking, [occurrence], _l("Reminder: %(title)s tomorrow", title=booking.title), "bookings/mail/reminder.txt")
