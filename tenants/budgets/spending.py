"""What a partner has spent, as the expenditure feature knows it: reported amounts per cost category, and
the reporting periods its items are in.

Budgets do not import expenditure (expenditure uses budgets, not the other way round), yet a budget
modification must be checked against the spending already reported, and a reporting period cannot be removed
while items are in it. So the expenditure feature registers here, when it starts, the functions that say so.
"""
from collections.abc import Callable
from decimal import Decimal

from bibnet.tenancy.models import Project
from bibnet.tenants.budgets.models import CostCategory

ReportedSpending = Callable[[Project], dict[CostCategory, Decimal]]
PeriodsInUse = Callable[[Project], set[int]]
_reported_spending: ReportedSpending | None = None
_periods_in_use: PeriodsInUse | None = None
_reported_periods: PeriodsInUse | None = None


def register(function: ReportedSpending, periods_in_use: PeriodsInUse, reported_periods: PeriodsInUse | None = None) -> None:
    global _reported_spending, _periods_in_use, _reported_periods
    _reported_spending, _periods_in_use, _reported_periods = function, periods_in_use, reported_periods


def reported(project: Project) -> dict[CostCategory, Decimal]:
    """The current tenant's reported spending in `project` per cost category (zero without expenditure)."""
    if _reported_spending is None:
        return dict.fromkeys(CostCategory, Decimal("0.00"))
    return _reported_spending(project)


def periods_in_use(project: Project) -> set[int]:
    """The reporting periods of the current tenant's items in `project`, whatever their status (deleted ones aside)."""
    return set() if _periods_in_use is None else _periods_in_use(project)


def reported_periods(project: Project) -> set[int]:
    """The reporting periods in which the current tenant has reported spending (submitted or verified items)."""
    return set() if _reported_periods is None else _reported_periods(project)
