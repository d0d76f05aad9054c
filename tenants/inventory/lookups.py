"""The item, location, category and item document a page or API call names (`item_id`, `location_id`,
`category_id`, `item_document_id` in the URL), loaded by the core before the view runs (`bibnet.loading`)
through the tenant guard: another tenant's, or none, is a 404."""
from sqlalchemy.orm import joinedload

from bibnet.loading import register_loader
from bibnet.tenancy.queries import get_or_404
from bibnet.tenants.inventory.models import Category, Item, ItemDocument, Location


def visible_item(item_id: int) -> Item:
    """With its category, location, photo and the kit it is a part of, which its page shows."""
    return get_or_404(Item, item_id, joinedload(Item.category), joinedload(Item.location), joinedload(Item.photo), joinedload(Item.kit))


def visible_location(location_id: int) -> Location:
    return get_or_404(Location, location_id)


def visible_category(category_id: int) -> Category:
    return get_or_404(Category, category_id)


def visible_item_document(document_id: int) -> ItemDocument:
    return get_or_404(ItemDocument, document_id, joinedload(ItemDocument.file))


register_loader("item_id", "item", visible_item)
register_loader("location_id", "location", visible_location)
register_loader("category_id", "category", visible_category)
register_loader("item_document_id", "document", visible_item_document)
