"""Home visits to borrowers of record (`bibnet.tenants.lending`'s borrowers): scheduled for a day and a part of
it, made by a staff member or a volunteer, then logged as held or missed. They count as services at home in
the figures, per target group (counts on the visit, never on the person).
"""
from bibnet.access import TenantRole, register_permission, roles

# Visits name people at home: the library's own staff, never a visiting project lead.
register_permission("home_visits.visit", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.ADMIN))


def init_app(app) -> None:
    from datetime import time, timedelta

    from flask_babel import lazy_gettext as _l
    import sqlalchemy as sa

    from bibnet import figures, jobs
    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.tenants.home_visits import api as visits_api
    from bibnet.tenants.home_visits import figures as visit_figures
    from bibnet.tenants.home_visits import (
        home,
        models,
        views,
    )
    from bibnet.tenants.lending.privacy import register_last_served

    app.register_blueprint(views.bp)
    api.register_blueprint(visits_api.blp)
    register_object_type("HomeVisit", _l("Home visit"))
    figures.register(visit_figures.SOURCE)
    # A borrower visited at home is served: lending keeps their details until a year after the last visit too.
    register_last_served(lambda: sa.select(models.HomeVisit.borrower_id, sa.func.max(models.HomeVisit.visit_on)).group_by(models.HomeVisit.borrower_id))
    # Daily in the morning: each staff member gets tomorrow's route in one mail.
    jobs.register(app, "home_visits.reminders", timedelta(days=1), lambda now: f"mailed {home.send_reminders(now)} route(s) of tomorrow's home visits", at=time(7))


def load_demo() -> None:
    from bibnet.tenants.home_visits.demo import load_demo as load

    load()
