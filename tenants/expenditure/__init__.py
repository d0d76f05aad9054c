"""Expenditure: the partner's invoices and other cost items, in the fields of Jems's list of expenditure.

Items are drafted, submitted by the coordinator, and verified or rejected by the project lead; a
submitted item cannot be edited, and deleting one is a soft delete recorded in the audit log.
"""


def init_app(app) -> None:
    from bibnet.tenants.expenditure import models  # noqa: F401  (the tables, for the migrations)
