"""Equipment purchased, in the core's figures registry (`bibnet.figures`), for the funding reports' indicators:
how many items the register says were bought in a period (by their purchase date), in all and per project-wide
category, and what they cost per project-wide category. `init_app` registers `SOURCE`.

What counts, and why:
- Every item of the register bought in the period, funded or not: the register is where a partner records what
  it bought; the funding link is shown per item (and on the durability register), not guessed here.
- A kit is not an item bought: its parts are (a DAISY kit is a player, a charger and headphones). A quantity item
  counts its units (twelve board games bought under one tag are twelve items), because its cost is the cost of
  all of them.
- Cost: every item's cost, kits included, since a cost is entered where it was invoiced (a kit bought as one
  carries it, parts bought one by one carry theirs). Money is summed in the database and read back as exact
  cents (`cents_of_sum`). A tenant's own categories add up under "other categories"; the shared ones under
  their key, so that partners add up.

One grouped query over every tenant asked about.
"""
from collections import defaultdict
from decimal import Decimal

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.figures import MONEY, Figure, FigureSource
from bibnet.tenants.budgets.cofinancing import cents_of_sum
from bibnet.tenants.inventory.categories import SHARED
from bibnet.tenants.inventory.models import Category, Item, ItemKind

ITEMS_BOUGHT = "inventory.items_bought"
OWN_CATEGORIES = "own"


def cost_key(shared_key: str | None) -> str:
    return f"inventory.cost_bought.{shared_key or OWN_CATEGORIES}"


def count_key(shared_key: str | None) -> str:
    return f"inventory.items_bought.{shared_key or OWN_CATEGORIES}"


def _compute(tenants, first, last) -> dict[int, dict[str, object]]:
    units = sa.case((Item.kind == ItemKind.KIT, 0), else_=Item.quantity)
    rows = db.session.execute(
        sa.select(Item.tenant_id, Category.shared_key, sa.func.sum(units), sa.func.sum(Item.cost))
        .join(Category, Category.id == Item.category_id)
        .where(Item.tenant_id.in_([tenant.id for tenant in tenants]), Item.purchase_date >= first, Item.purchase_date <= last)
        .group_by(Item.tenant_id, Category.shared_key)
    ).all()
    values: dict[int, dict[str, object]] = defaultdict(dict)
    for tenant_id, shared_key, count, cost in rows:
        figures = values[tenant_id]
        figures[ITEMS_BOUGHT] = figures.get(ITEMS_BOUGHT, 0) + int(count or 0)
        shared = shared_key if shared_key in SHARED else None
        figures[count_key(shared)] = figures.get(count_key(shared), 0) + int(count or 0)
        figures[cost_key(shared)] = figures.get(cost_key(shared), Decimal("0.00")) + cents_of_sum(cost)
    return dict(values)


SOURCE = FigureSource(
    name="inventory.equipment_bought",
    figures=(
        Figure(ITEMS_BOUGHT, _l("Equipment items bought"), _l("items"), order=60),
        *(Figure(count_key(key), _l("Equipment items bought: %(category)s", category=label), _l("items"), order=60) for key, label in SHARED.items()),
        Figure(count_key(None), _l("Equipment items bought: other categories"), _l("items"), order=60),
        *(
            Figure(cost_key(key), _l("Cost of equipment bought (EUR): %(category)s", category=label), _l("EUR"), kind=MONEY, order=61)
            for key, label in SHARED.items()
        ),
        Figure(cost_key(None), _l("Cost of equipment bought (EUR): other categories"), _l("EUR"), kind=MONEY, order=62),
    ),
    compute=_compute,
)
