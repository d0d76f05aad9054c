"""Funding reports: planned against reported per cost category and per co-financing source, per partner
and for the project. Reported amounts are split with the same rule as the plan (budgets/cofinancing.py).
"""


def init_app(app) -> None:
    """No pages yet: the figures are used by tests and, next, by the dashboards and exports."""
