"""API: the services at home and remote and the needs estimates. Writes go through `services` and are committed
here on success; their refusals are the core's problem+json (422 with field errors)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import require
from bibnet.api.schemas import PaginationArgs
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenants.outreach import lookups, services
from bibnet.tenants.outreach.models import NeedEstimate, OutreachService
from bibnet.tenants.outreach.schemas import NeedPageSchema, NeedSchema, ServiceArgs, ServicePageSchema, ServiceSchema
from bibnet.tenants.outreach.views import parse_month
from bibnet.web.pagination import paginate

blp = Blueprint("api_outreach", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Services at home and remote, and who needs them")


@blp.route("/outreach-services")
@require("outreach.log")
@blp.arguments(ServiceArgs, location="query", as_kwargs=True)
@blp.response(200, ServicePageSchema)
def list_services(page, per_page, month, kind):
    """Services logged, the latest day first; filters month (2026-11) and kind"""
    query = sa.select(OutreachService).order_by(OutreachService.given_on.desc(), OutreachService.id.desc())
    if month is not None:
        first = parse_month(month)
        if first is None:
            raise Refused({"month": [_l("Enter a month like 2026-11.")]})
        query = query.where(OutreachService.given_on >= first, OutreachService.given_on < date(first.year + first.month // 12, first.month % 12 + 1, 1))
    if kind is not None:
        query = query.where(OutreachService.kind == kind)
    return paginate(query, page=page, per_page=per_page)


@blp.route("/outreach-services", methods=["POST"])
@require("outreach.log")
@blp.arguments(ServiceSchema)
@blp.response(201, ServiceSchema)
def log_service(data):
    """Log a service given outside the room: kind, day, staff member, people served per target group, a note"""
    service = services.log_service(services.ServiceInput(**data))
    db.session.commit()
    return lookups.visible_service(service.id)


@blp.route("/outreach-services/<int:outreach_service_id>")
@require("outreach.log")
@blp.response(200, ServiceSchema)
def get_service(service):
    """One service"""
    return service


@blp.route("/outreach-services/<int:outreach_service_id>", methods=["PUT"])
@require("outreach.log")
@blp.arguments(ServiceSchema)
@blp.response(200, ServiceSchema)
def update_service(data, service):
    """Correct a service"""
    services.update_service(service, services.ServiceInput(**data))
    db.session.commit()
    return db.session.scalar(sa.select(OutreachService).options(joinedload(OutreachService.staff)).where(OutreachService.id == service.id))


@blp.route("/needs")
@require("outreach.log")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, NeedPageSchema)
def list_needs(page, per_page):
    """Estimates of the people who may need the services, the latest first"""
    return paginate(sa.select(NeedEstimate).order_by(NeedEstimate.estimated_on.desc(), NeedEstimate.id.desc()), page=page, per_page=per_page)


@blp.route("/needs", methods=["POST"])
@require("outreach.log")
@blp.arguments(NeedSchema)
@blp.response(201, NeedSchema)
def record_need(data):
    """Record an estimate for a target group: people (a count), source and day; one per group and day"""
    estimate = services.record_need(services.NeedInput(**data))
    db.session.commit()
    return estimate
