"""Bookings of the sensory rooms: single and recurring sessions, the rules they follow, attendance.

Every booking rule lives here: `recurrence` expands a series into dates, `rules` checks a request against
the room (hours, closures, notice, capacity...), `conflicts` takes the per-room lock and finds overlaps,
`services` is the only code that creates or changes bookings (pages and API both call it).
"""
from flask_babel import lazy_gettext as _l

from bibnet import gates
from bibnet.access import TenantRole, register_permission, roles

# Project leads read every partner's calendar; they do not book.
register_permission("bookings.view", roles(*TenantRole))
register_permission("bookings.book", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.ADMIN))
register_permission("bookings.approve", roles(TenantRole.COORDINATOR, TenantRole.ADMIN))

# What another feature may make conditional (e-learning: a course to complete first); services.py checks them.
HOST_SESSIONS = "bookings.host_session"
APPROVE_REQUESTS = "bookings.approve"
gates.declare(HOST_SESSIONS, _l("Host sessions in the sensory room (be a booking's responsible staff member)"))
gates.declare(APPROVE_REQUESTS, _l("Approve room requests"))


def init_app(app) -> None:
    from datetime import timedelta

    from flask_babel import ngettext

    from bibnet import jobs, retention
    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.tenants.bookings import api as bookings_api
    from bibnet.tenants.bookings import (
        home,  # noqa: F401  (registers the coordinator's task and the tenant home's box)
        ical,
        models,  # noqa: F401  (the tables, for the migrations)
        privacy,
        reminders,
        room_changes,
        views,
    )
    from bibnet.tenants.rooms import changes as schedule_changes
    from bibnet.web import help

    app.register_blueprint(views.bp)
    app.register_blueprint(ical.bp)
    api.register_blueprint(bookings_api.blp)
    register_object_type("Booking", _l("Booking"))
    register_object_type("Occurrence", _l("Booked session"))
    help.register_help("booking", _l("Booking a sensory room"), "bookings/help.html")
    schedule_changes.register(app, room_changes.GUARD)  # closures and opening hours ask about booked sessions first
    # Hourly: a session booked this afternoon for tomorrow still gets its reminder; each is sent once.
    jobs.register(app, "bookings.reminders", timedelta(hours=1), lambda now: f"queued {reminders.send_reminders(now)} reminder(s) for tomorrow's sessions")
    retention.register(app, retention.Retention(
        name="bookings.organiser_contacts",
        data=_l("Contact of a group's organiser for a room booking"),
        purpose=_l("Confirming and changing the booking"),
        legal_basis=_l("Public task (GDPR Art. 6(1)(e))"),
        period=lambda days: ngettext("Erased %(num)d day after the booking's last session", "Erased %(num)d days after the booking's last session", days),
        days_setting="BOOKING_CONTACT_RETENTION_DAYS",
        erase=privacy.erase_contacts,
    ))


def load_demo() -> None:
    from bibnet.tenants.bookings.demo import load_demo as load

    load()
