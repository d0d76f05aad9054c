"""The durability pages' words for an item's status and for a decision, in the reader's language."""
from flask_babel import lazy_gettext as _l

from bibnet.tenants.inventory.durability.models import Decision
from bibnet.tenants.inventory.models import ItemStatus

STATUS_LABELS = {
    ItemStatus.AVAILABLE: _l("Available"),
    ItemStatus.ON_LOAN: _l("On loan"),
    ItemStatus.RESERVED: _l("Reserved"),
    ItemStatus.MAINTENANCE: _l("In maintenance"),
    ItemStatus.CLEANING: _l("Cleaning or quarantine"),
    ItemStatus.LOST: _l("Lost"),
    ItemStatus.RETIRED: _l("Retired"),
}

DECISION_LABELS = {Decision.APPROVED: _l("Approved"), Decision.REJECTED: _l("Rejected")}
