"""The stock-take a page or API call names (`stocktake_id`), through the tenant guard: another tenant's is a 404."""
from sqlalchemy.orm import joinedload

from bibnet.loading import register_loader
from bibnet.tenancy.queries import get_or_404
from bibnet.tenants.inventory.stocktakes.models import StockTake


def visible_stocktake(stocktake_id: int) -> StockTake:
    return get_or_404(StockTake, stocktake_id, joinedload(StockTake.location))


register_loader("stocktake_id", "stocktake", visible_stocktake)
