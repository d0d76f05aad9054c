"""Demo budgets: the seed project's three partners, whose rows add up to the seed's figures exactly.

52,000.10 (Pasvalys) + 36,281.10 (Jelgava) + 36,281.10 (Augšdaugava) = 124,562.30, split per partner as
ERDF 80 % rounded down, state budget 10 % of the total, municipal budget the remainder; the sums are
99,649.84 ERDF + 12,456.23 state + 12,456.23 municipal. Idempotent: a partner with a budget is left alone.
"""
from decimal import Decimal

import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenants.budgets import services
from bibnet.tenants.budgets.models import (
    BudgetVersion,
    ContributionSource,
    CostCategory,
    FinanceSetup,
    LegalStatus,
    SourceKind,
)

ACRONYM = "InclusiveLibraries"

# slug -> (state budget, municipal budget, lines: category, description, units, unit price, unit type, and the
# amounts of every period but the last, or None to spread the line evenly). Every period's total is a multiple
# of 0.10 EUR, so each period's report splits 80/10/10 without rounding and the reports add up to the seed.
BUDGETS = {
    "pasvalys": ("Valstybės biudžetas", "Savivaldybės biudžetas", [
        (CostCategory.STAFF, "Sensorinės skaityklos koordinatorius (0,5 etato)", "24", "750.00", "mėnuo"),
        (CostCategory.EQUIPMENT, "Sensorinės skaityklos įranga ir baldai", "1", "24000.10", "komplektas", ("6000.00", "6000.00", "6000.00")),
        (CostCategory.EXTERNAL, "Mokymų ciklas bibliotekininkams", "4", "2500.00", "renginys"),
    ]),
    "jelgava": ("Valsts budžets", "Pašvaldības budžets", [
        (CostCategory.STAFF, "Sensorās lasītavas speciālists (0,25 slodze)", "24", "500.00", "mēnesis"),
        (CostCategory.EQUIPMENT, "Sensorās lasītavas aprīkojums", "1", "16281.10", "komplekts", ("4070.00", "4070.00", "4070.00")),
        (CostCategory.EXTERNAL, "Pieejamības konsultācijas", "4", "2000.00", "konsultācija"),
    ]),
    "augsdaugava": ("Valsts budžets", "Pašvaldības budžets", [
        (CostCategory.STAFF, "Sensorās lasītavas speciālists (0,25 slodze)", "24", "500.00", "mēnesis"),
        (CostCategory.EQUIPMENT, "Sensorās lasītavas aprīkojums un spēles", "1", "18281.10", "komplekts", ("4570.00", "4570.00", "4570.00")),
        (CostCategory.TRAVEL, "Pieredzes apmaiņas braucieni uz partneru bibliotēkām", "6", "1000.00", "brauciens"),
    ]),
}


def load_demo() -> None:
    project = db.session.scalar(sa.select(Project).where(Project.acronym == ACRONYM))
    if project is None:
        return
    if db.session.scalar(sa.select(FinanceSetup).where(FinanceSetup.project_id == project.id)) is None:
        db.session.add(FinanceSetup(project_id=project.id, fund_name="ERDF", fund_rate=Decimal("80.00")))
        db.session.commit()
    periods = len(project.reporting_periods) or 1
    for slug, (state, municipal, lines) in BUDGETS.items():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            continue
        with tenant_scope(tenant):
            if db.session.scalar(sa.select(BudgetVersion.id).where(BudgetVersion.project_id == project.id)) is not None:
                continue
            db.session.add_all([
                ContributionSource(project_id=project.id, position=1, name=state, legal_status=LegalStatus.PUBLIC, kind=SourceKind.PERCENTAGE, value=Decimal("10.00")),
                ContributionSource(project_id=project.id, position=2, name=municipal, legal_status=LegalStatus.PUBLIC, kind=SourceKind.REMAINDER, value=None),
            ])
            version = BudgetVersion(project_id=project.id, number=0, approved_on=project.starts_on, in_force=True)
            db.session.add(version)
            for category, description, units, price, unit_type, *given in lines:
                amounts = [Decimal(amount) for amount in given[0]] if given and periods == 4 else None
                services.add_line(version, category, description, Decimal(units), Decimal(price), periods, unit_type, amounts)
            db.session.commit()
