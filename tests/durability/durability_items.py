"""Shared by the durability tests: a project with a period, an equipment invoice, items in a tenant."""
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.models import ReportingPeriod
from bibnet.tenants.expenditure import services as expenditure
from bibnet.tenants.expenditure.services import ExpenditureInput
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.models import Category, Item, ItemKind

PERIOD = (date(2024, 6, 1), date(2026, 5, 31))  # the world's project, as one reporting period


def with_period(project) -> None:
    if not project.reporting_periods:
        project.reporting_periods = [ReportingPeriod(number=1, starts_on=PERIOD[0], ends_on=PERIOD[1])]
        db.session.commit()


def invoice(project, supplier="SIA Sensorika", number="SR-2024/118", total="1210.00", category="equipment"):
    """An equipment invoice of the current tenant in `project` (its first reporting period)."""
    with_period(project)
    return expenditure.create(
        ExpenditureInput(
            period_number=1, category=category, invoice_date=date(2024, 9, 10), supplier=supplier, invoice_number=number,
            description="Bubble tube with a safety base", invoice_total=Decimal(total), declared_amount=Decimal(total),
        ),
        project,
    )


def category(key: str = "sensory_equipment") -> Category:
    ensure_shared_categories()
    return db.session.scalar(sa.select(Category).where(Category.shared_key == key))


def item(name="Bubble tube", key="sensory_equipment", cost="1210.00", **fields) -> Item:
    return inventory.register(Item(name=name, category=category(key), cost=Decimal(cost) if cost is not None else None, **fields))


def kit(name="DAISY lending kit", parts=("DAISY player", "Charger"), **fields) -> Item:
    whole = item(name, "reading_aids", None, kind=ItemKind.KIT, **fields)
    for part in parts:
        item(part, "reading_aids", "100.00", kit_id=whole.id, **fields)
    db.session.flush()
    db.session.refresh(whole)
    return whole
