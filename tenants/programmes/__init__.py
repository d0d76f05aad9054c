"""Programmes: clubs, class series, workshops and events, with their sessions (in a sensory room through the
bookings feature, or elsewhere), registrations without accounts, the waitlist, rosters and attendance.

`registrations` holds the rules of places and the waitlist; pages, the API and the public form call it.
`services` creates and changes programmes, sessions and rosters.
"""
from bibnet.access import TenantRole, register_permission, roles

# Every role reads the programmes (a project lead follows the partners' activities); registrations and rosters
# name people, so managing them is the library's own staff's.
register_permission("programmes.view", roles(*TenantRole))
register_permission("programmes.manage", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.ADMIN))


def init_app(app) -> None:
    from datetime import timedelta
    import os

    from flask_babel import lazy_gettext as _l
    from flask_babel import ngettext

    from bibnet import figures, jobs, retention
    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.tenants.programmes import api as programmes_api
    from bibnet.tenants.programmes import figures as programme_figures
    from bibnet.tenants.programmes import (
        messages,
        models,  # noqa: F401  (the tables, for the migrations)
        privacy,
        public,
        registrations,
        views,
    )

    app.config.setdefault(privacy.DAYS_SETTING, int(os.environ.get(privacy.DAYS_SETTING, "90")))
    app.register_blueprint(views.bp)
    app.register_blueprint(public.bp)
    api.register_blueprint(programmes_api.blp)
    register_object_type("Programme", _l("Programme"))
    register_object_type("ProgrammeSession", _l("Programme session"))
    register_object_type("Registration", _l("Programme registration"))
    figures.register(programme_figures.SOURCE)
    registrations.on_promotion(messages.tell_promoted)
    # Hourly: a session added this afternoon for tomorrow still gets its reminders; `reminded_at` sends each once.
    jobs.register(app, "programmes.reminders", timedelta(hours=1), lambda now: f"mailed {messages.send_reminders(now)} reminder(s) of tomorrow's programme sessions")
    retention.register(app, retention.Retention(
        name="programmes.registrants",
        data=_l("Name, phone and e-mail of a person or group registered for a programme"),
        purpose=_l("Keeping places, telling participants of changes and reminding them of sessions"),
        legal_basis=_l("Public task (GDPR Art. 6(1)(e))"),
        period=lambda days: ngettext("Erased %(num)d day after the programme's last session", "Erased %(num)d days after the programme's last session", days),
        days_setting=privacy.DAYS_SETTING,
        erase=privacy.erase_registrants,
    ))


def load_demo() -> None:
    from bibnet.tenants.programmes.demo import load_demo as load

    load()
