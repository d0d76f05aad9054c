"""Bookings of the sensory rooms: single and recurring sessions, the rules they follow, attendance.

Every booking rule lives here: `recurrence` expands a series into dates, `rules` checks a request against
the room (hours, closures, notice, capacity...), `conflicts` takes the per-room lock and finds overlaps,
`services` is the only code that creates or changes bookings (pages and API both call it).
"""
from bibnet.access import TenantRole, register_permission, roles

# Project leads read every partner's calendar; they do not book.
register_permission("bookings.view", roles(*TenantRole))
register_permission("bookings.book", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.ADMIN))
register_permission("bookings.approve", roles(TenantRole.COORDINATOR, TenantRole.ADMIN))


def init_app(app) -> None:
    from bibnet.api import api
    from bibnet.tenants.bookings import api as bookings_api
    from bibnet.tenants.bookings import (
        cli,
        ical,
        models,  # noqa: F401  (the tables, for the migrations)
        notifications,
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(ical.bp)
    api.register_blueprint(bookings_api.blp)
    notifications.init_app(app)
    app.cli.add_command(cli.bookings)


def load_demo() -> None:
    from bibnet.tenants.bookings.demo import load_demo as load

    load()
