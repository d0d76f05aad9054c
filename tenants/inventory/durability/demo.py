"""The demo's funding link: the demo project's final payment is dated two months before its last day,
Pasvalys' and Jelgava's sensory-room equipment is linked to their equipment invoices, and Pasvalys asks the lead
to approve disposing of a broken projector early (a task on the lead's home).

The register's demo creates the equipment; when it has not (this package alone), two items are created here so
that the pages have something to show. Idempotent: nothing is linked, created or asked twice.
"""
from datetime import timedelta

import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.demo import PROJECT
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenants.budgets.models import CostCategory
from bibnet.tenants.expenditure.models import Expenditure, ExpenditureStatus
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.durability.models import DisposalRequest
from bibnet.tenants.inventory.models import Category, Item, ItemKind

# The equipment the register's demo creates, in the order it is linked to a partner's equipment invoices.
EQUIPMENT_NAMES = ("Bubble tube", "Fibre-optic lights", "Projector", "Weighted blanket", "Board games", "Magnifier")
KIT_PREFIX = "DAISY lending kit"
# Created here only when the register's demo has created none of the above: (name, shared category, cost).
FALLBACK_ITEMS = (("Bubble tube", "sensory_equipment", "1890.00"), ("Magnifier", "reading_aids", "145.20"))
PARTNERS = ("pasvalys", "jelgava")
DISPOSAL_REASON = "The projector's lamp unit is broken; the repair costs more than a new projector."


def _equipment_invoices(project: Project) -> list[Expenditure]:
    return list(
        db.session.scalars(
            sa.select(Expenditure)
            .where(
                Expenditure.project_id == project.id, Expenditure.category == CostCategory.EQUIPMENT, Expenditure.deleted_at.is_(None),
                Expenditure.status != ExpenditureStatus.REJECTED, Expenditure.declared_eur > 0,
            )
            .order_by(Expenditure.invoice_date, Expenditure.id)
        )
    )


def _fallback_items() -> None:
    from decimal import Decimal

    ensure_shared_categories()
    for name, key, cost in FALLBACK_ITEMS:
        category = db.session.scalar(sa.select(Category).where(Category.shared_key == key))
        inventory.register(Item(name=name, category=category, cost=Decimal(cost)))


def _demo_items() -> list[Item]:
    # The register's demo numbers some of them ("Magnifier 1", "Weighted blanket 2").
    names = sa.or_(Item.name.in_(EQUIPMENT_NAMES), *(Item.name.like(f"{name} %") for name in EQUIPMENT_NAMES), Item.name.like(f"{KIT_PREFIX}%"))
    return list(db.session.scalars(sa.select(Item).where(names, Item.kit_id.is_(None)).order_by(Item.tag_number)))


def _link(items: list[Item], invoices: list[Expenditure]) -> None:
    """Sensory equipment to the first invoice, the rest (DAISY kits, magnifiers) to the next, if there is one."""
    for item in items:
        if item.expenditure_id is not None:
            continue
        reading_aid = item.name.startswith((KIT_PREFIX, "Magnifier"))
        invoice = invoices[min(1, len(invoices) - 1)] if reading_aid else invoices[0]
        item.expenditure_id = invoice.id
        item.purchase_date = invoice.invoice_date  # bought when the invoice says, so that the report's period counts it
        if not item.supplier:
            item.supplier = invoice.supplier
        for part in item.parts if item.kind is ItemKind.KIT else ():
            part.purchase_date = invoice.invoice_date


def _ask_to_dispose(tenant: Tenant) -> None:
    projector = db.session.scalar(sa.select(Item).where(Item.name == "Projector", Item.expenditure_id.is_not(None)).limit(1))
    if projector is None or db.session.scalar(sa.select(DisposalRequest.id).where(DisposalRequest.item_id == projector.id)) is not None:
        return
    coordinator = db.session.scalar(sa.select(User).where(User.email == f"coordinator@{tenant.slug}.example"))
    db.session.add(DisposalRequest(item_id=projector.id, reason=DISPOSAL_REASON, requested_by_id=coordinator.id if coordinator else None))


def load_demo() -> None:
    project = db.session.scalar(sa.select(Project).where(Project.acronym == PROJECT["acronym"]))
    if project is None:
        return
    if project.final_payment_on is None:
        project.final_payment_on = max(project.starts_on, project.ends_on - timedelta(days=60))
    for slug in PARTNERS:
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            continue
        with tenant_scope(tenant):
            invoices = _equipment_invoices(project)
            if not invoices:
                continue
            if not _demo_items() and db.session.scalar(sa.select(Item.id).where(Item.expenditure_id.is_not(None)).limit(1)) is None:
                _fallback_items()
            _link(_demo_items(), invoices)
            db.session.flush()
            if slug == "pasvalys":
                _ask_to_dispose(tenant)
            db.session.commit()
    db.session.commit()
