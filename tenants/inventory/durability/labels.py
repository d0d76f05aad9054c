"""The words for a disposal decision, in the reader's language (an item's status: the register's `inventory.labels`)."""
from flask_babel import lazy_gettext as _l

from bibnet.tenants.inventory.durability.models import Decision

DECISION_LABELS = {Decision.APPROVED: _l("Approved"), Decision.REJECTED: _l("Rejected")}
