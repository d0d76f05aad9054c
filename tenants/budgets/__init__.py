"""Partner budgets and co-financing: cost categories, budget versions and lines, contribution sources.

The co-financing arithmetic lives in `cofinancing.py` and nowhere else; plans and reported amounts use it alike.
"""


def init_app(app) -> None:
    from bibnet.tenants.budgets import models  # noqa: F401  (the tables, for the migrations)


def load_demo() -> None:
    from bibnet.tenants.budgets.demo import load_demo as load

    load()
