"""The home visit a page or API call names (`visit_id`), loaded by the core through the tenant guard with its
borrower, visitor and items: another tenant's, or none, is a 404."""
from sqlalchemy.orm import joinedload, selectinload

from bibnet.loading import register_loader
from bibnet.tenancy.queries import get_or_404
from bibnet.tenants.home_visits.models import HomeVisit, HomeVisitItem


def visible_visit(visit_id: int) -> HomeVisit:
    return get_or_404(HomeVisit, visit_id, joinedload(HomeVisit.borrower), joinedload(HomeVisit.staff), selectinload(HomeVisit.items).joinedload(HomeVisitItem.item))


register_loader("visit_id", "visit", visible_visit)
