"""Lending equipment to people at home and to institutions, without accounts: borrowers of record, loans,
returns through cleaning and a check, reservations. Items move through `inventory.services.change_status`.
"""
from bibnet.access import TenantRole, register_permission, roles

register_permission("lending.lend", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.ADMIN))


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from bibnet.audit.labels import register_object_type
    from bibnet.tenants.lending import models  # noqa: F401  (the tables, for the migrations)

    register_object_type("Borrower", _l("Borrower"))
