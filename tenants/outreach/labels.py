"""The words pages and the API use for the kinds of service at home and remote."""
from flask_babel import lazy_gettext as _l

from bibnet.tenants.outreach.models import ServiceKind

KIND_LABELS = {
    ServiceKind.HOME_DELIVERY: _l("Home delivery of books"),
    ServiceKind.TALKING_BOOKS: _l("Talking-book service"),
    ServiceKind.PHONE: _l("Consultation by phone"),
    ServiceKind.EMAIL: _l("Consultation by e-mail"),
    ServiceKind.VIDEO: _l("Consultation by video"),
    ServiceKind.INTERLIBRARY_LOAN: _l("Interlibrary loan"),
}
