"""What has been reported against a partner's budget, as the expenditure feature knows it.

Budgets do not import expenditure (expenditure uses budgets, not the other way round), yet a budget
modification must be checked against the spending already reported. So the expenditure feature registers
here, when it starts, the function that sums its reported items per cost category.
"""
from collections.abc import Callable
from decimal import Decimal

from bibnet.tenancy.models import Project
from bibnet.tenants.budgets.models import CostCategory

ReportedSpending = Callable[[Project], dict[CostCategory, Decimal]]
_reported_spending: ReportedSpending | None = None


def register(function: ReportedSpending) -> None:
    global _reported_spending
    _reported_spending = function


def reported(project: Project) -> dict[CostCategory, Decimal]:
    """The current tenant's reported spending in `project` per cost category (zero without expenditure)."""
    if _reported_spending is None:
        return dict.fromkeys(CostCategory, Decimal("0.00"))
    return _reported_spending(project)
