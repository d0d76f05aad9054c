"""The service a page or API call names (`outreach_service_id`), loaded by the core through the tenant guard:
another tenant's, or none, is a 404."""
from sqlalchemy.orm import joinedload

from bibnet.loading import register_loader
from bibnet.tenancy.queries import get_or_404
from bibnet.tenants.outreach.models import OutreachService


def visible_service(service_id: int) -> OutreachService:
    return get_or_404(OutreachService, service_id, joinedload(OutreachService.staff))


register_loader("outreach_service_id", "service", visible_service)
