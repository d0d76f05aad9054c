"""Programmes: clubs, class series, workshops and events, with their sessions (in a sensory room through the
bookings feature, or elsewhere), registrations without accounts, the waitlist, rosters and attendance.

`registrations` holds the rules of places and the waitlist; pages, the API and the public form call it.
"""


def init_app(app) -> None:
    from bibnet.tenants.programmes import models  # noqa: F401  (the tables, for the migrations)
    from bibnet.tenants.programmes.public import bp as public_bp

    app.register_blueprint(public_bp)
