"""Fixtures of the funding report tests: the demo project, its budgets, and reported expenditure.

Every partner reports its whole budget by period 4 (one item per budget line, spread over the periods),
so the report of period 4 shows the seed's figures as planned and as reported so far. Jelgava also has a
credit note and an invoice that cancels it in period 4, a draft and a deleted item (neither is reported),
and text that a spreadsheet would run as a formula.
"""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bibnet import demo
from bibnet.extensions import db
from bibnet.storage.models import StoredFile
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenants.budgets.demo import load_demo as load_budget_demo
from bibnet.tenants.budgets.models import BudgetLine, BudgetVersion
from bibnet.tenants.expenditure import services
from bibnet.tenants.expenditure.models import ExpenditureAttachment
from bibnet.tenants.expenditure.services import ExpenditureInput

DEMO_PASSWORD = demo.PASSWORD
PERIOD_DAYS = {1: date(2024, 9, 10), 2: date(2025, 2, 10), 3: date(2025, 8, 10), 4: date(2026, 2, 10)}


def item(number: str, period: int, category: str, amount: str, **fields) -> ExpenditureInput:
    return ExpenditureInput(
        period_number=period, category=category, invoice_date=PERIOD_DAYS[period], payment_date=PERIOD_DAYS[period],
        supplier=fields.pop("supplier", "SIA Piegādātājs"), invoice_number=number, internal_reference=f"REF-{number}",
        description=fields.pop("description", f"Item {number}"), invoice_total=Decimal(amount), declared_amount=Decimal(amount), **fields,
    )


def report_everything(project: Project, slug: str) -> list:
    """One submitted item per budget line of the partner, the lines in periods 2, 3 and 4."""
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    with tenant_scope(tenant):
        lines = db.session.execute(
            sa.select(BudgetLine.category, BudgetLine.total).join(BudgetVersion).where(BudgetVersion.in_force).order_by(BudgetLine.id)
        ).all()
        items = [services.create(item(f"{slug.upper()}-{index}", (index + 1) % 4 + 1, category.value, str(total)), project) for index, (category, total) in enumerate(lines)]
        services.submit(items)
        db.session.commit()
    return items


@pytest.fixture
def demo_project(app_context) -> Project:
    demo.load()
    db.session.commit()
    load_budget_demo()
    project = db.session.scalar(sa.select(Project))
    for slug in ("pasvalys", "jelgava", "augsdaugava"):
        report_everything(project, slug)
    jelgava = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "jelgava"))
    with tenant_scope(jelgava):
        credit = services.create(item("CN-7", 4, "external", "-120.00", description="=HYPERLINK(\"http://evil.example\")", comment="+1+2"), project)
        invoice = services.create(item("INV-7", 4, "external", "120.00", supplier="@Supplier", description="-minus first"), project)
        for name in ("invoice-7.pdf", "payment-7.pdf"):
            stored = StoredFile(key=f"tenants/{jelgava.id}/expenditure/{name}", area="expenditure", filename=name, content_type="application/pdf", size=1)
            db.session.add(ExpenditureAttachment(expenditure=invoice, file=stored))
        services.submit([credit, invoice])
        services.create(item("DRAFT-1", 4, "external", "999.00"), project)
        deleted = services.create(item("GONE-1", 4, "external", "555.00"), project)
        db.session.commit()
        services.delete(deleted)
        db.session.commit()
    return project
