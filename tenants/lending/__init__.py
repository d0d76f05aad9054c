"""Lending equipment to people at home and to institutions, without accounts: borrowers of record, loans,
returns through cleaning and a check, reservations. Items move through `inventory.services.change_status`.

`services` is the only code that writes (pages and API both call it); `overdue` has the overdue list's rules,
the "use it or return it" flag and the daily digests; `privacy` erases borrowers after the retention period.
"""
import os

from bibnet.access import TenantRole, register_permission, roles

register_permission("lending.lend", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.ADMIN))


def init_app(app) -> None:
    from datetime import time, timedelta

    from flask_babel import lazy_gettext as _l
    from flask_babel import ngettext

    from bibnet import figures, jobs, retention
    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.storage.views import guard_area
    from bibnet.tenants.lending import api as lending_api
    from bibnet.tenants.lending import figures as lending_figures
    from bibnet.tenants.lending import (
        home,  # noqa: F401  (registers the lenders' task)
        item_section,  # noqa: F401  (registers lending's part of the item page)
        models,  # noqa: F401  (the tables, for the migrations)
        overdue,
        privacy,
        services,
        views,
    )

    app.config.setdefault("LENDING_BORROWER_RETENTION_DAYS", int(os.environ.get("LENDING_BORROWER_RETENTION_DAYS", "365")))
    app.config.setdefault("IDLE_LOAN_MONTHS", int(os.environ.get("IDLE_LOAN_MONTHS", "3")))
    app.register_blueprint(views.bp)
    api.register_blueprint(lending_api.blp)
    guard_area(views.ACCEPTANCE_AREA, lambda stored: views.may_see_acceptance())
    register_object_type("Borrower", _l("Borrower"))
    register_object_type("Loan", _l("Loan"))
    register_object_type("Reservation", _l("Reservation"))
    figures.register(lending_figures.SOURCE)
    jobs.register(app, "lending.reminders", timedelta(days=1), lambda now: f"queued {overdue.send_reminders(now)} overdue digest(s)", at=time(7))
    jobs.register(app, "lending.reservations", timedelta(days=1), lambda now: f"{services.show_reservations_of_the_day(now)} item(s) reserved or free again", at=time(0, 5))
    retention.register(app, retention.Retention(
        name="lending.borrowers",
        data=_l("Borrowers of equipment: name, phone, e-mail, address and the person to contact"),
        purpose=_l("Lending equipment and getting it back"),
        legal_basis=_l("Consent (GDPR Art. 6(1)(a)) and public task (GDPR Art. 6(1)(e))"),
        period=lambda days: ngettext("Erased %(num)d day after the borrower was last served (a loan returned, a home visit)", "Erased %(num)d days after the borrower was last served (a loan returned, a home visit)", days),
        days_setting="LENDING_BORROWER_RETENTION_DAYS",
        erase=privacy.erase_borrowers,
    ))


def load_demo() -> None:
    from bibnet.tenants.lending.demo import load_demo as load

    load()
