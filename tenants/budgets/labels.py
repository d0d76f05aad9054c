"""The names users read for cost categories, legal statuses and kinds of source, in their language.

The English texts are Jems's own labels, so an English page and a funding report name categories alike.
"""
from flask_babel import lazy_gettext as _l

from bibnet.tenants.budgets.models import JEMS_CATEGORY_LABELS, CostCategory, LegalStatus, SourceKind

CATEGORY_LABELS = {
    CostCategory.STAFF: _l("Staff costs"),
    CostCategory.OFFICE: _l("Office and administration"),
    CostCategory.TRAVEL: _l("Travel and accommodation"),
    CostCategory.EXTERNAL: _l("External expertise and services"),
    CostCategory.EQUIPMENT: _l("Equipment"),
    CostCategory.INFRASTRUCTURE: _l("Infrastructure and works"),
}
LEGAL_STATUS_LABELS = {
    LegalStatus.PUBLIC: _l("Public"),
    LegalStatus.AUTOMATIC_PUBLIC: _l("Automatic public"),
    LegalStatus.PRIVATE: _l("Private"),
}
SOURCE_KIND_LABELS = {
    SourceKind.PERCENTAGE: _l("Percentage of the partner total"),
    SourceKind.AMOUNT: _l("Amount"),
    SourceKind.REMAINDER: _l("The rest of the contribution"),
}


def category_label(category: CostCategory) -> str:
    return str(CATEGORY_LABELS[category])


def jems_label(category: CostCategory) -> str:
    return JEMS_CATEGORY_LABELS[category]
