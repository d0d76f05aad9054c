"""Helpers of the label tests: the inventory's item makers (tests/inventory/inventory_items.py)."""
from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).parents[1] / "inventory"))
from inventory_items import make_item, shared_category

__all__ = ["make_item", "shared_category"]
