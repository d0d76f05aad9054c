"""API: maintenance schedules, the due list, records, and sending an item to maintenance and back. Writes go
through `services` and are committed here; refusals are the core's problem+json (422; 409 for a status change
the item's status does not allow)."""
from flask_smorest import Blueprint
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import require
from bibnet.api.schemas import PaginationArgs
from bibnet.extensions import db
from bibnet.tenants.maintenance import services
from bibnet.tenants.maintenance.models import MaintenanceRecord, MaintenanceSchedule, MaintenanceTask
from bibnet.tenants.maintenance.schemas import RecordPageSchema, RecordSchema, SchedulePageSchema, ScheduleSchema, StatusSchema, TaskPageSchema
from bibnet.web.pagination import paginate

blp = Blueprint("api_maintenance", __name__, url_prefix="/api/v1/tenants/<tenant_slug>/maintenance", description="Maintenance of the equipment")
CONFLICT = {"description": "The item's status does not allow this"}


@blp.route("/schedules")
@require("inventory.view")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, SchedulePageSchema)
def list_schedules(page, per_page):
    """Maintenance schedules, per item or per category"""
    return paginate(sa.select(MaintenanceSchedule).order_by(MaintenanceSchedule.id), page=page, per_page=per_page)


@blp.route("/schedules", methods=["POST"])
@require("maintenance.manage")
@blp.arguments(ScheduleSchema)
@blp.response(201, ScheduleSchema)
def create_schedule(data):
    """A schedule for one item or every item of a category: every interval_months months, or after each return"""
    schedule = services.create_schedule(services.ScheduleInput(**data))
    db.session.commit()
    return schedule


@blp.route("/due")
@require("inventory.view")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, TaskPageSchema)
def due_list(page, per_page):
    """Open maintenance tasks, the earliest due first"""
    return paginate(
        sa.select(MaintenanceTask).options(joinedload(MaintenanceTask.schedule)).where(MaintenanceTask.done_on.is_(None)).order_by(MaintenanceTask.due_on, MaintenanceTask.id),
        page=page, per_page=per_page,
    )


@blp.route("/items/<int:item_id>/records")
@require("inventory.view")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, RecordPageSchema)
def list_records(page, per_page, item):
    """An item's maintenance records, the latest first"""
    return paginate(sa.select(MaintenanceRecord).where(MaintenanceRecord.item_id == item.id).order_by(MaintenanceRecord.done_on.desc(), MaintenanceRecord.id.desc()), page=page, per_page=per_page)


@blp.route("/items/<int:item_id>/records", methods=["POST"])
@require("maintenance.manage")
@blp.arguments(RecordSchema)
@blp.response(201, RecordSchema)
def add_record(data, item):
    """Record maintenance of an item (date, work, cost, supplier); with task_id it closes that task and schedules the next"""
    entry = services.record(item, services.RecordInput(**data))
    db.session.commit()
    return entry


@blp.route("/items/<int:item_id>/send", methods=["POST"])
@require("maintenance.manage")
@blp.response(200, StatusSchema)
@blp.alt_response(409, **CONFLICT)
def send(item):
    """Send an item to maintenance (its status becomes maintenance)"""
    services.send_to_maintenance(item)
    db.session.commit()
    return item


@blp.route("/items/<int:item_id>/back", methods=["POST"])
@require("maintenance.manage")
@blp.response(200, StatusSchema)
@blp.alt_response(409, **CONFLICT)
def back(item):
    """Take an item back from maintenance (its status becomes available)"""
    services.back_from_maintenance(item)
    db.session.commit()
    return item
