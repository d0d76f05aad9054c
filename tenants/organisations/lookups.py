"""The organisation and the agreement a page or API call names (`organisation_id`, `agreement_id`), loaded by the
core through the tenant guard: another tenant's, or none, is a 404."""
from sqlalchemy.orm import joinedload

from bibnet.loading import register_loader
from bibnet.tenancy.queries import get_or_404
from bibnet.tenants.organisations.models import Agreement, Organisation


def visible_organisation(organisation_id: int) -> Organisation:
    return get_or_404(Organisation, organisation_id)


def visible_agreement(agreement_id: int) -> Agreement:
    return get_or_404(Agreement, agreement_id, joinedload(Agreement.organisation), joinedload(Agreement.document))


register_loader("organisation_id", "organisation", visible_organisation)
register_loader("agreement_id", "agreement", visible_agreement)
