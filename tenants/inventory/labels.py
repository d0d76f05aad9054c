"""The register's words in the reader's language: statuses, kinds and conditions of items."""
from flask_babel import lazy_gettext as _l

from bibnet.tenants.inventory.models import Condition, ItemKind, ItemStatus

STATUS_LABELS = {
    ItemStatus.AVAILABLE: _l("Available"),
    ItemStatus.ON_LOAN: _l("On loan"),
    ItemStatus.RESERVED: _l("Reserved"),
    ItemStatus.MAINTENANCE: _l("In maintenance"),
    ItemStatus.CLEANING: _l("Cleaning or quarantine"),
    ItemStatus.LOST: _l("Lost"),
    ItemStatus.RETIRED: _l("Retired"),
}
KIND_LABELS = {
    ItemKind.SERIALISED: _l("Single item"),
    ItemKind.QUANTITY: _l("Counted in stock"),
    ItemKind.KIT: _l("Kit"),
}
CONDITION_LABELS = {
    Condition.NEW: _l("New"),
    Condition.GOOD: _l("Good"),
    Condition.FAIR: _l("Fair"),
    Condition.POOR: _l("Poor"),
    Condition.BROKEN: _l("Broken"),
}
