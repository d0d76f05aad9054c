"""Services at home and remote (home delivery of books, the talking-book service, consultations by phone, e-mail
or video, interlibrary loans), logged with the people served counted per target group; and who needs the
services: estimates per target group, so that the reach can be shown as a share. Held home visits
(`bibnet.tenants.home_visits`) count as services at home. Counts only: nothing here names a person served, so
there is no retention entry (see `models`).
"""
from bibnet.access import TenantRole, register_permission, roles

# The library's own staff log what they gave; a visiting project lead sees the figures on the usage pages.
register_permission("outreach.log", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.ADMIN))


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from bibnet import figures
    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.tenants.outreach import api as outreach_api
    from bibnet.tenants.outreach import figures as outreach_figures
    from bibnet.tenants.outreach import (
        models,  # noqa: F401  (the tables, for the migrations)
        views,
    )

    app.register_blueprint(views.bp)
    api.register_blueprint(outreach_api.blp)
    register_object_type("OutreachService", _l("Service at home or remote"))
    register_object_type("NeedEstimate", _l("Estimate of people who may need the services"))
    figures.register(outreach_figures.SOURCE)


def load_demo() -> None:
    from bibnet.tenants.outreach.demo import load_demo as load

    load()
