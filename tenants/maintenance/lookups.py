"""The equipment item a maintenance page or API call names, loaded by the core through the tenant guard: another
tenant's, or none, is a 404. Its URL value is `equipment_id`, as the register's own pages own `item_id`."""
from bibnet.loading import register_loader
from bibnet.tenancy.queries import get_or_404
from bibnet.tenants.inventory.models import Item


def visible_item(equipment_id: int) -> Item:
    return get_or_404(Item, equipment_id)


register_loader("equipment_id", "item", visible_item)
