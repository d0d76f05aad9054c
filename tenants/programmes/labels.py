"""The words pages, mails, the roster and the API's descriptions use for programmes, places, states and needs."""
from flask_babel import lazy_gettext as _l

from bibnet.tenants.programmes.models import AccessNeed, Mark, Place, ProgrammeKind, RegistrationStatus

KIND_LABELS = {
    ProgrammeKind.CLUB: _l("Club"),
    ProgrammeKind.CLASS_SERIES: _l("Class series"),
    ProgrammeKind.WORKSHOP: _l("Workshop"),
    ProgrammeKind.EVENT: _l("Event"),
}
PLACE_LABELS = {
    Place.ROOM: _l("In a sensory room"),
    Place.ADDRESS: _l("At an address"),
    Place.CARE_HOME: _l("At a care home or another organisation"),
    Place.ONLINE: _l("Online"),
}
STATUS_LABELS = {
    RegistrationStatus.REGISTERED: _l("Registered"),
    RegistrationStatus.WAITLISTED: _l("On the waitlist"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
}
MARK_LABELS = {
    Mark.PRESENT: _l("Present"),
    Mark.EXCUSED: _l("Excused"),
    Mark.ABSENT: _l("Absent"),
}
NEED_LABELS = {
    AccessNeed.WHEELCHAIR: _l("Wheelchair place"),
    AccessNeed.HEARING_LOOP: _l("Hearing loop"),
    AccessNeed.LARGE_PRINT: _l("Large print"),
    AccessNeed.COMPANION: _l("Comes with a companion"),
}
# The languages a programme's title and description are written in, in the order the form asks for them.
LANGUAGES = ("en", "lv", "lt")
LANGUAGE_LABELS = {"en": _l("English"), "lv": _l("Latvian"), "lt": _l("Lithuanian")}


def text_in(texts: dict, locale: str) -> str:
    """A programme's title or description in `locale`, else in the first language it has."""
    texts = texts or {}
    return texts.get(locale) or next((text for text in texts.values() if text), "")
