"""The words pages and the API use for the kinds of organisation."""
from flask_babel import lazy_gettext as _l

from bibnet.tenants.organisations.models import OrganisationKind

KIND_LABELS = {
    OrganisationKind.SOCIAL_SERVICES: _l("Social services"),
    OrganisationKind.DISABILITY_SOCIETY: _l("Disability society"),
    OrganisationKind.CARE_HOME: _l("Care home"),
    OrganisationKind.SCHOOL: _l("School"),
    OrganisationKind.HEALTH_CARE: _l("Health care"),
    OrganisationKind.NGO: _l("Non-governmental organisation"),
    OrganisationKind.OTHER: _l("Other"),
}
