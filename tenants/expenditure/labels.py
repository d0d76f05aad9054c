"""Expenditure's words for the interface: statuses and the fields an import fills, in the user's language.

Cost categories are named by `budgets.labels.CATEGORY_LABELS`, as on the budget pages.
"""
from flask_babel import lazy_gettext as _l

from bibnet.tenants.expenditure.models import ExpenditureStatus

STATUS_LABELS = {
    ExpenditureStatus.DRAFT: _l("Draft"),
    ExpenditureStatus.SUBMITTED: _l("Submitted"),
    ExpenditureStatus.VERIFIED: _l("Verified"),
    ExpenditureStatus.REJECTED: _l("Rejected"),
}

# The fields an import can fill, named as on the item form (see importing.FIELDS).
FIELD_LABELS = {
    "period_number": _l("Reporting period"),
    "category": _l("Cost category"),
    "invoice_date": _l("Invoice date"),
    "supplier": _l("Supplier"),
    "description": _l("Description"),
    "invoice_total": _l("Invoice total"),
    "declared_amount": _l("Declared amount"),
    "internal_reference": _l("Internal reference"),
    "invoice_number": _l("Invoice number"),
    "payment_date": _l("Payment date"),
    "comment": _l("Comment"),
    "vat": _l("VAT"),
    "currency": _l("Currency"),
    "conversion_rate": _l("Rate to the euro"),
    "procurement_reference": _l("Procurement reference"),
}
