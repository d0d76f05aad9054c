"""The maintenance part of the item's page (`page_sections("inventory.item", item)`, registered here so the
register's template stays the register's): the item's schedules (its own and its category's), open tasks and
the latest records, with the actions. Four queries."""
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import allowed
from bibnet.extensions import db
from bibnet.tenants.inventory.models import ItemStatus
from bibnet.tenants.maintenance.models import MaintenanceRecord, MaintenanceSchedule, MaintenanceTask
from bibnet.web import panels

RECORDS_SHOWN = 10


def item_section(item) -> dict:
    schedules = db.session.scalars(
        sa.select(MaintenanceSchedule)
        .where(MaintenanceSchedule.active, sa.or_(MaintenanceSchedule.item_id == item.id, MaintenanceSchedule.category_id == item.category_id))
        .order_by(MaintenanceSchedule.title, MaintenanceSchedule.id)
    ).all()
    tasks = db.session.scalars(
        sa.select(MaintenanceTask).options(joinedload(MaintenanceTask.schedule)).where(MaintenanceTask.item_id == item.id, MaintenanceTask.done_on.is_(None)).order_by(MaintenanceTask.due_on)
    ).all()
    records = db.session.scalars(
        sa.select(MaintenanceRecord).where(MaintenanceRecord.item_id == item.id).order_by(MaintenanceRecord.done_on.desc(), MaintenanceRecord.id.desc()).limit(RECORDS_SHOWN + 1)
    ).all()
    return {
        "item": item,
        "schedules": schedules,
        "tasks": tasks,
        "records": records[:RECORDS_SHOWN],
        "more_records": len(records) > RECORDS_SHOWN,
        "can_manage": allowed("maintenance.manage"),
        "in_maintenance": item.status is ItemStatus.MAINTENANCE,
        "can_go": item.status in (ItemStatus.AVAILABLE, ItemStatus.CLEANING, ItemStatus.RESERVED),
    }


panels.register_page_section("inventory.item", "maintenance/_item_section.html", item_section, "inventory.view", order=60)
