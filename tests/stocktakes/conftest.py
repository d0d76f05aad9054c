"""The inventory's test helpers (`inventory_items`) for the stock-take tests."""
from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).parents[1] / "inventory"))
