"""The organisations a library works with (social services, disability societies, care homes, schools),
its cooperation agreements with them, and whom they referred or what they co-organised.
"""
from bibnet.access import TenantRole, register_permission, roles

# The partners' register: the library's own staff keep it; a visiting project lead does not.
register_permission("organisations.manage", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.ADMIN))


def init_app(app) -> None:
    from datetime import time, timedelta
    import os

    from flask_babel import lazy_gettext as _l
    from flask_babel import ngettext

    from bibnet import figures, jobs, retention
    from bibnet.access import allowed
    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.storage.views import guard_area
    from bibnet.tenants.organisations import api as organisations_api
    from bibnet.tenants.organisations import figures as organisation_figures
    from bibnet.tenants.organisations import (
        lookups,  # noqa: F401  (the URL's organisation and agreement)
        models,  # noqa: F401  (the tables, for the migrations)
        privacy,
        reminders,
        services,
        views,
    )

    app.config.setdefault(privacy.RETENTION_SETTING, int(os.environ.get(privacy.RETENTION_SETTING, "365")))
    app.register_blueprint(views.bp)
    api.register_blueprint(organisations_api.blp)
    register_object_type("Organisation", _l("Partner organisation"))
    register_object_type("Agreement", _l("Cooperation agreement"))
    guard_area(services.AGREEMENT_AREA, lambda stored: allowed("organisations.manage"))
    figures.register(organisation_figures.SOURCE)
    jobs.register(app, "organisations.agreement_reminders", timedelta(days=1), lambda now: f"reminded of {reminders.send_reminders(now)} expiring agreement(s)", at=time(7, 30))
    retention.register(app, retention.Retention(
        name="organisations.contacts",
        data=_l("Contact persons of partner organisations: name, phone and e-mail"),
        purpose=_l("Working with the organisation: agreements, referrals, programmes"),
        legal_basis=_l("Public task (GDPR Art. 6(1)(e))"),
        period=lambda days: ngettext("Kept while the organisation is active; erased %(num)d day after it is deactivated", "Kept while the organisation is active; erased %(num)d days after it is deactivated", days),
        days_setting=privacy.RETENTION_SETTING,
        erase=privacy.erase_contacts,
    ))


def load_demo() -> None:
    from bibnet.tenants.organisations.demo import load_demo as load

    load()
