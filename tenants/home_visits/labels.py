"""The words pages, mails and the API's descriptions use for parts of the day and a visit's states."""
from flask_babel import lazy_gettext as _l

from bibnet.tenants.home_visits.models import PartOfDay, VisitStatus

PART_OF_DAY_LABELS = {
    PartOfDay.MORNING: _l("Morning"),
    PartOfDay.AFTERNOON: _l("Afternoon"),
    PartOfDay.EVENING: _l("Evening"),
}
STATUS_LABELS = {
    VisitStatus.SCHEDULED: _l("Scheduled"),
    VisitStatus.HELD: _l("Held"),
    VisitStatus.MISSED: _l("Missed"),
}
