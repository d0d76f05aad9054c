"""API: home visits, scheduled and logged. Writes go through `services` and are committed here on success;
their refusals are the core's problem+json (422 with field errors; 409 for a visit logged already)."""
from flask_smorest import Blueprint
import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from bibnet.access import require
from bibnet.extensions import db
from bibnet.tenants.home_visits import lookups, services
from bibnet.tenants.home_visits.models import HomeVisit, HomeVisitItem
from bibnet.tenants.home_visits.schemas import VisitArgs, VisitLogSchema, VisitPageSchema, VisitSchema
from bibnet.web.pagination import paginate

blp = Blueprint("api_home_visits", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Home visits to borrowers of record")
CONFLICT = {"description": "The visit is logged already"}


@blp.route("/home-visits")
@require("home_visits.visit")
@blp.arguments(VisitArgs, location="query", as_kwargs=True)
@blp.response(200, VisitPageSchema)
def list_visits(page, per_page, status, staff_id):
    """Home visits, the latest day first; filters status and staff_id"""
    query = sa.select(HomeVisit).options(selectinload(HomeVisit.items).joinedload(HomeVisitItem.item)).order_by(HomeVisit.visit_on.desc(), HomeVisit.id.desc())
    if status is not None:
        query = query.where(HomeVisit.status == status)
    if staff_id is not None:
        query = query.where(HomeVisit.staff_id == staff_id)
    return paginate(query, page=page, per_page=per_page)


@blp.route("/home-visits", methods=["POST"])
@require("home_visits.visit")
@blp.arguments(VisitSchema)
@blp.response(201, VisitSchema)
def schedule_visit(data):
    """Schedule a home visit: a borrower, a day, a part of the day, and a staff member or a volunteer"""
    visit = services.schedule(services.VisitInput(**data))
    db.session.commit()
    return lookups.visible_visit(visit.id)


@blp.route("/home-visits/<int:visit_id>")
@require("home_visits.visit")
@blp.response(200, VisitSchema)
def get_visit(visit):
    """One home visit"""
    return visit


@blp.route("/home-visits/<int:visit_id>/log", methods=["POST"])
@require("home_visits.visit")
@blp.arguments(VisitLogSchema)
@blp.response(200, VisitSchema)
@blp.alt_response(409, **CONFLICT)
def log_visit(data, visit):
    """Log a visit as held (what went out and came back, device checked, outcome, people served) or missed"""
    services.log(visit, services.VisitLog(**data))
    db.session.commit()
    db.session.expire_all()
    return db.session.scalar(
        sa.select(HomeVisit).options(joinedload(HomeVisit.borrower), selectinload(HomeVisit.items).joinedload(HomeVisitItem.item)).where(HomeVisit.id == visit.id)
    )
