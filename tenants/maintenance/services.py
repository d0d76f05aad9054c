"""The only code that creates maintenance schedules, tasks and records, and sends items to maintenance and
back (through `inventory.services.change_status`, so that the room and the other listeners hear it).
Services check first and raise `Refused`; they never commit."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import current_tenant_id
from bibnet.tenancy.models import Tenant
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.models import GONE, Category, Item, ItemStatus
from bibnet.tenants.maintenance.models import (
    MAX_INTERVAL_MONTHS,
    SUPPLIER_LENGTH,
    TITLE_LENGTH,
    WORK_LENGTH,
    MaintenanceRecord,
    MaintenanceSchedule,
    MaintenanceTask,
)

NOT_IN_MAINTENANCE = _l("This item is not in maintenance.")
CANNOT_GO = _l("An item that is on loan, lost or retired cannot be sent to maintenance.")


@dataclass
class ScheduleInput:
    title: str
    item_id: int | None = None
    category_id: int | None = None
    interval_months: int | None = None  # None: after each return
    first_due_on: date | None = None  # recurring schedules only: when the first task is due


@dataclass
class RecordInput:
    done_on: date
    work: str
    cost: Decimal | None = None
    supplier: str = ""
    task_id: int | None = None


def _length(errors: dict, field: str, text: str, maximum: int) -> None:
    if len(text) > maximum:
        errors.setdefault(field, []).append(_l("Use at most %(max)d characters.", max=maximum))


def create_schedule(data: ScheduleInput) -> MaintenanceSchedule:
    """A schedule for one item or one category; a recurring one makes its first task due on `first_due_on` for
    the item, or for every item of the category that is not lost or retired."""
    errors: dict[str, list] = {}
    title = data.title.strip()
    if not title:
        errors["title"] = [_l("Say what is to be done, for example “Electrical safety test”.")]
    _length(errors, "title", title, TITLE_LENGTH)
    if (data.item_id is None) == (data.category_id is None):
        errors["item_id"] = [_l("Choose either one item or one category.")]
    item = _visible(Item, data.item_id) if data.item_id is not None else None
    category = _visible(Category, data.category_id) if data.category_id is not None else None
    if data.item_id is not None and item is None:
        errors["item_id"] = [_l("Choose one of your library's items.")]
    if data.category_id is not None and category is None:
        errors["category_id"] = [_l("Choose one of your library's categories.")]
    if data.interval_months is not None and not 1 <= data.interval_months <= MAX_INTERVAL_MONTHS:
        errors["interval_months"] = [_l("Enter a whole number of months from 1 to %(max)d, or none for after each return.", max=MAX_INTERVAL_MONTHS)]
    if data.interval_months is not None and data.first_due_on is None:
        errors["first_due_on"] = [_l("Enter the day the first maintenance is due.")]
    if errors:
        raise Refused(errors)
    schedule = MaintenanceSchedule(title=title, item_id=data.item_id, category_id=data.category_id, interval_months=data.interval_months)
    db.session.add(schedule)
    db.session.flush()
    if data.interval_months is not None:
        for item_id in _items_of(schedule):
            db.session.add(MaintenanceTask(schedule_id=schedule.id, item_id=item_id, due_on=data.first_due_on))
        db.session.flush()
    return schedule


def _items_of(schedule: MaintenanceSchedule) -> list[int]:
    if schedule.item_id is not None:
        return [schedule.item_id]
    return list(db.session.scalars(sa.select(Item.id).where(Item.category_id == schedule.category_id, Item.status.not_in(GONE)).order_by(Item.id)))


def _open_task(schedule_id: int, item_id: int) -> MaintenanceTask | None:
    return db.session.scalar(sa.select(MaintenanceTask).where(MaintenanceTask.schedule_id == schedule_id, MaintenanceTask.item_id == item_id, MaintenanceTask.done_on.is_(None)))


def tasks_after_return(item: Item, old: ItemStatus, new: ItemStatus) -> None:
    """An `inventory.services.on_status_change` listener: an item going to cleaning makes each of its
    after-each-return schedules' task due today (once: an open task is not made twice)."""
    if new is not ItemStatus.CLEANING:
        return
    schedules = db.session.scalars(
        sa.select(MaintenanceSchedule).where(
            MaintenanceSchedule.active,
            MaintenanceSchedule.interval_months.is_(None),
            sa.or_(MaintenanceSchedule.item_id == item.id, MaintenanceSchedule.category_id == item.category_id),
        )
    ).all()
    today = _today()
    for schedule in schedules:
        if _open_task(schedule.id, item.id) is None:
            db.session.add(MaintenanceTask(schedule_id=schedule.id, item_id=item.id, due_on=today))
    db.session.flush()


def _visible(model, row_id: int):
    """The current tenant's row, read through the guard (`session.get` could answer from the identity map)."""
    return db.session.scalar(sa.select(model).where(model.id == row_id))


def _today() -> date:
    """The library's day (its time zone), whether a request or a job runs this."""
    return db.session.get(Tenant, current_tenant_id()).today()


def record(item: Item, data: RecordInput) -> MaintenanceRecord:
    """Record what was done to `item`; with a task of the item, close it and, for a recurring schedule, make the
    next task due `interval_months` after the day it was done."""
    errors: dict[str, list] = {}
    work = data.work.strip()
    supplier = data.supplier.strip()
    if not work:
        errors["work"] = [_l("Say what was done.")]
    _length(errors, "work", work, WORK_LENGTH)
    _length(errors, "supplier", supplier, SUPPLIER_LENGTH)
    if data.cost is not None and data.cost < 0:
        errors["cost"] = [_l("The cost cannot be negative.")]
    task = None
    if data.task_id is not None:
        task = _visible(MaintenanceTask, data.task_id)
        if task is None or task.item_id != item.id:
            errors["task_id"] = [_l("Choose a task of this item.")]
        elif task.done_on is not None:
            errors["task_id"] = [_l("This task is already done.")]
    if errors:
        raise Refused(errors)
    entry = MaintenanceRecord(item_id=item.id, task_id=data.task_id, done_on=data.done_on, work=work, cost=data.cost, supplier=supplier)
    if task is not None:
        task.done_on = data.done_on
        schedule = db.session.get(MaintenanceSchedule, task.schedule_id)
        if schedule.interval_months is not None and schedule.active:
            entry.next_due_on = data.done_on + relativedelta(months=schedule.interval_months)
            db.session.add(MaintenanceTask(schedule_id=schedule.id, item_id=item.id, due_on=entry.next_due_on))
    db.session.add(entry)
    db.session.flush()
    return entry


def send_to_maintenance(item: Item) -> None:
    if item.status not in (ItemStatus.AVAILABLE, ItemStatus.CLEANING, ItemStatus.RESERVED):
        raise Refused({"status": [CANNOT_GO]}, status=409)
    inventory.change_status(item, ItemStatus.MAINTENANCE)


def back_from_maintenance(item: Item) -> None:
    if item.status is not ItemStatus.MAINTENANCE:
        raise Refused({"status": [NOT_IN_MAINTENANCE]}, status=409)
    inventory.change_status(item, ItemStatus.AVAILABLE)
