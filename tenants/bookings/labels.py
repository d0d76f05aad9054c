"""The words pages, e-mails, exports and the calendar feed use for activities, states and visitor groups."""
from flask_babel import lazy_gettext as _l

from bibnet.tenants.bookings.models import Activity, Status

ACTIVITY_LABELS = {
    Activity.SENSORY_SESSION: _l("Sensory session"),
    Activity.CLUB: _l("Club"),
    Activity.TRAINING: _l("Training"),
    Activity.CONSULTATION: _l("Consultation"),
    Activity.EVENT: _l("Event"),
    Activity.OTHER: _l("Other"),
}
STATUS_LABELS = {
    Status.REQUESTED: _l("Requested"),
    Status.CONFIRMED: _l("Confirmed"),
    Status.COMPLETED: _l("Completed"),
    Status.NO_SHOW: _l("No-show"),
    Status.CANCELLED: _l("Cancelled"),
    Status.REJECTED: _l("Rejected"),
}
# Counts per target group: forms ask "how many", never who.
VISITOR_LABELS = {
    "seniors": _l("Seniors (50 and older)"),
    "physical": _l("People with a physical disability"),
    "psychosocial": _l("People with a psychosocial disability"),
    "intellectual": _l("People with an intellectual disability"),
    "visual": _l("People with a visual impairment"),
    "hearing": _l("People with a hearing impairment"),
    "other": _l("Other visitors"),
    "carers": _l("Accompanying carers"),
}
# The same groups as short column headers of tables and exports.
VISITOR_SHORT_LABELS = {
    "seniors": _l("Seniors 50+"),
    "physical": _l("Physical disability"),
    "psychosocial": _l("Psychosocial disability"),
    "intellectual": _l("Intellectual disability"),
    "visual": _l("Visual impairment"),
    "hearing": _l("Hearing impairment"),
    "other": _l("Other target group"),
    "carers": _l("Carers"),
}


def activity_label(activity) -> str:
    return str(ACTIVITY_LABELS[Activity(activity)])
