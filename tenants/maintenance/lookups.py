"""What a maintenance page or API call names, loaded by the core through the tenant guard: the equipment item
(`equipment_id`: the register's pages own `item_id`), a schedule and a task. Another tenant's, or none, is a 404."""
from sqlalchemy.orm import joinedload

from bibnet.loading import register_loader
from bibnet.tenancy.queries import get_or_404
from bibnet.tenants.inventory.models import Item
from bibnet.tenants.maintenance.models import MaintenanceSchedule, MaintenanceTask


def visible_item(equipment_id: int) -> Item:
    return get_or_404(Item, equipment_id)


def visible_schedule(schedule_id: int) -> MaintenanceSchedule:
    return get_or_404(MaintenanceSchedule, schedule_id, joinedload(MaintenanceSchedule.item), joinedload(MaintenanceSchedule.category))


def visible_task(task_id: int) -> MaintenanceTask:
    return get_or_404(MaintenanceTask, task_id, joinedload(MaintenanceTask.item), joinedload(MaintenanceTask.schedule))


register_loader("equipment_id", "item", visible_item)
register_loader("schedule_id", "schedule", visible_schedule)
register_loader("maintenance_task_id", "task", visible_task)
