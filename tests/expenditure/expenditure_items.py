"""Shared by the expenditure page, API and import tests: the project's periods, a typed invoice, and counting."""
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenancy.models import ReportingPeriod
from bibnet.tenants.expenditure import services
from bibnet.tenants.expenditure.models import Expenditure, FinanceSettings
from bibnet.tenants.expenditure.services import ExpenditureInput

INVOICE = ExpenditureInput(
    period_number=1,
    category="equipment",
    invoice_date=date(2024, 9, 10),
    payment_date=date(2024, 9, 20),
    supplier="SIA Sensorika",
    invoice_number="SR-2024/118",
    internal_reference="GL-5531",
    description="Bubble tube with a safety base",
    invoice_total=Decimal("1210.00"),
    vat=Decimal("210.00"),
    declared_amount=Decimal("1210.00"),
)

# The item form as a browser sends it, in English (dates typed as ISO work in every language).
FORM = {
    "period_number": "1",
    "category": "equipment",
    "supplier": "SIA Sensorika",
    "invoice_number": "SR-2024/118",
    "invoice_date": "2024-09-10",
    "payment_date": "2024-09-20",
    "internal_reference": "GL-5531",
    "procurement_reference": "",
    "description": "Bubble tube with a safety base",
    "comment": "",
    "invoice_total": "1 210,00",
    "vat": "210.00",
    "declared_amount": "1210.00",
    "currency": "EUR",
    "conversion_rate": "",
}


@pytest.fixture
def project(world):
    """The world's project with two reporting periods."""
    world.project.reporting_periods = [
        ReportingPeriod(number=1, starts_on=date(2024, 6, 1), ends_on=date(2024, 11, 30)),
        ReportingPeriod(number=2, starts_on=date(2024, 12, 1), ends_on=date(2025, 5, 31)),
    ]
    db.session.commit()
    return world.project


def make_item(tenant, project, status=None, **changes) -> int:
    """An item of `tenant`, created (and moved to `status`: submitted, verified, rejected) through the services."""
    with tenant_scope(tenant):
        item = services.create(replace(INVOICE, **changes), project)
        if status in ("submitted", "verified", "rejected"):
            services.submit([item])
        if status == "verified":
            services.verify(item)
        if status == "rejected":
            services.reject(item, "The payment proof is missing")
        db.session.commit()
        return item.id


def count_items() -> int:
    """Every item row of every tenant, deleted ones included."""
    with all_tenants("test: counting items"):
        return db.session.scalar(sa.select(sa.func.count()).select_from(Expenditure))


def allow_staff(tenant, allowed: bool = True) -> None:
    with tenant_scope(tenant):
        settings = db.session.scalar(sa.select(FinanceSettings)) or FinanceSettings(import_mapping={})
        settings.staff_may_draft = allowed
        db.session.add(settings)
        db.session.commit()
