"""A budget world for the budget tests: the test project's four reporting periods, ERDF at 80 %, and Jelgava's
and Pasvalys's original budgets in force with their two sources (10 % state budget, the municipality the rest)."""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenancy.models import ReportingPeriod
from bibnet.tenants.budgets import services
from bibnet.tenants.budgets.models import BudgetVersion, ContributionSource, CostCategory, FinanceSetup, LegalStatus, SourceKind

PERIODS = [(date(2024, 6, 1), date(2024, 11, 30)), (date(2024, 12, 1), date(2025, 5, 31)), (date(2025, 6, 1), date(2025, 11, 30)), (date(2025, 12, 1), date(2026, 5, 31))]


def rows(model, **where) -> int:
    """How many rows of `model` exist, in every tenant."""
    with all_tenants(reason="test: count rows"):
        query = sa.select(sa.func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


def original_budget(tenant, project, lines) -> BudgetVersion:
    """The tenant's original budget, approved on the project's first day, with `lines` (category, description, units, price)."""
    with tenant_scope(tenant):
        db.session.add_all([
            ContributionSource(project_id=project.id, position=1, name="State budget", legal_status=LegalStatus.PUBLIC, kind=SourceKind.PERCENTAGE, value=Decimal("10.00")),
            ContributionSource(project_id=project.id, position=2, name="Municipal budget", legal_status=LegalStatus.PUBLIC, kind=SourceKind.REMAINDER),
        ])
        version = BudgetVersion(project_id=project.id, number=0, approved_on=project.starts_on, in_force=True)
        db.session.add(version)
        for category, description, units, price in lines:
            services.add_line(version, category, description, Decimal(units), Decimal(price), len(PERIODS), "unit")
        db.session.commit()
        return version


@pytest.fixture
def periods(world):
    for number, (starts_on, ends_on) in enumerate(PERIODS, start=1):
        db.session.add(ReportingPeriod(project_id=world.project.id, number=number, starts_on=starts_on, ends_on=ends_on))
    db.session.add(FinanceSetup(project_id=world.project.id, fund_name="ERDF", fund_rate=Decimal("80.00")))
    db.session.commit()
    return world.project.reporting_periods


@pytest.fixture
def jelgava_budget(world, periods) -> BudgetVersion:
    """36,281.10: staff 12,000.00, equipment 16,281.10, external 8,000.00."""
    return original_budget(world.jelgava, world.project, [
        (CostCategory.STAFF, "Sensory room specialist", "24", "500.00"),
        (CostCategory.EQUIPMENT, "Sensory room equipment", "1", "16281.10"),
        (CostCategory.EXTERNAL, "Accessibility consultations", "4", "2000.00"),
    ])


@pytest.fixture
def pasvalys_budget(world, periods) -> BudgetVersion:
    return original_budget(world.pasvalys, world.project, [(CostCategory.EQUIPMENT, "Pasvalys bubble tube", "1", "5000.00")])
