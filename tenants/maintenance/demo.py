"""Demo maintenance in Pasvalys: the bubble tube's yearly electrical safety test, one task of it overdue, and a
cleaning-after-each-return schedule for the reading aids.

Idempotent: nothing is added to a tenant that already has a maintenance schedule. The bubble tube is the
register's (its demo makes it); made here if it has not.
"""
from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.models import Category, Item
from bibnet.tenants.maintenance import services
from bibnet.tenants.maintenance.models import MaintenanceRecord, MaintenanceSchedule

TENANT = "pasvalys"


def _category(key: str) -> Category:
    ensure_shared_categories()
    return db.session.scalar(sa.select(Category).where(Category.shared_key == key))


def _bubble_tube() -> Item:
    tube = db.session.scalar(sa.select(Item).where(sa.or_(Item.name.ilike("%bubble tube%"), Item.name.ilike("%burbul%"))).order_by(Item.id).limit(1))
    if tube is None:
        tube = inventory.register(Item(name="Burbulų kolona (Bubble tube)", category=_category("sensory_equipment"), manufacturer="Rompa", cost=Decimal("2400.00")))
    return tube


def load_demo() -> None:
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == TENANT))
    if tenant is None:
        return
    with tenant_scope(tenant):
        if db.session.scalar(sa.select(MaintenanceSchedule.id).limit(1)) is not None:
            return
        today = tenant.today(utcnow())
        tube = _bubble_tube()
        # Tested a year and a week ago: the next test was due a week ago.
        last_test = today - timedelta(days=372)
        schedule = services.create_schedule(services.ScheduleInput(title="Elektros saugos patikra", item_id=tube.id, interval_months=12, first_due_on=last_test))
        task = db.session.scalar(sa.select(services.MaintenanceTask).where(services.MaintenanceTask.schedule_id == schedule.id))
        next_due = last_test + relativedelta(months=12)
        db.session.add(MaintenanceRecord(
            item_id=tube.id, task_id=task.id, done_on=last_test, work="Elektros saugos patikra, be pastabų", cost=Decimal("45.00"), supplier="UAB Elektros matavimai", next_due_on=next_due,
        ))
        task.done_on = last_test
        db.session.add(services.MaintenanceTask(schedule_id=schedule.id, item_id=tube.id, due_on=next_due))
        services.create_schedule(services.ScheduleInput(title="Valymas ir dezinfekavimas", category_id=_category("reading_aids").id))
        db.session.commit()
