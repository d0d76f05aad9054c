"""One pagination convention for pages and the API: `?page=N&per_page=M`, a page of items and the total."""
from dataclasses import dataclass
import math

from flask import request
import sqlalchemy as sa

from bibnet.extensions import db

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
# Far beyond any real list, and small enough that (page - 1) * per_page fits every database's OFFSET.
MAX_PAGE = 10**6


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default
    return min(max(value, low), high)


def paginate(statement: sa.Select, page: int | None = None, per_page: int | None = None, scalars: bool = True) -> Page:
    """Run `statement` for one page. Two SQL statements whatever the data size: the count and the page.

    The count keeps the statement's entities at the top level, so the tenant guard filters it too.
    """
    per_page = per_page or _int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    page = min(page or _int_arg("page", 1, 1, MAX_PAGE), MAX_PAGE)
    total = db.session.scalar(
        statement.order_by(None).with_only_columns(sa.func.count(), maintain_column_froms=True)
    )
    rows = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page))
    items = list(rows.scalars() if scalars else rows)
    return Page(items=items, page=page, per_page=per_page, total=total or 0)
