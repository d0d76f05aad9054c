"""API of the register: items (filtered list, one item, create, change, status), locations and categories."""
from flask_smorest import Blueprint
import sqlalchemy as sa

from bibnet.access import require
from bibnet.api.schemas import PaginationArgs
from bibnet.extensions import db
from bibnet.tenants.inventory import (
    lookups,  # noqa: F401  (the URL's item, location or category)
    services,
)
from bibnet.tenants.inventory.categories import ensure_shared_categories, save_category
from bibnet.tenants.inventory.locations import Tree, save_location
from bibnet.tenants.inventory.models import Category, Item, Location
from bibnet.tenants.inventory.schemas import (
    CategoryPageSchema,
    CategorySchema,
    ItemFilterArgs,
    ItemPageSchema,
    ItemSchema,
    LocationPageSchema,
    LocationSchema,
    StatusChangeSchema,
)
from bibnet.tenants.inventory.views import items_query
from bibnet.web.pagination import paginate

blp = Blueprint("api_inventory", __name__, url_prefix="/api/v1/tenants/<tenant_slug>/equipment", description="Equipment register")


@blp.route("/items")
@require("inventory.view")
@blp.arguments(ItemFilterArgs, location="query", as_kwargs=True)
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, ItemPageSchema)
def list_items(page, per_page, **filters):
    """The tenant's items, filtered like the register's page, in tag order"""
    args = {name: str(getattr(value, "value", value)) for name, value in filters.items() if value is not None}
    return paginate(items_query(args, Tree.load()), page=page, per_page=per_page)


def _input(data: dict) -> services.ItemInput:
    return services.ItemInput(**data)


@blp.route("/items", methods=["POST"])
@require("inventory.manage")
@blp.arguments(ItemSchema)
@blp.response(201, ItemSchema)
def create_item(data):
    """Add an item to the register under the tenant's next tag"""
    item = services.save_item(Item(), _input(data))
    db.session.commit()
    return item


@blp.route("/items/<int:item_id>")
@require("inventory.view")
@blp.response(200, ItemSchema)
def get_item(item):
    """One item of the register"""
    return item


@blp.route("/items/<int:item_id>", methods=["PUT"])
@require("inventory.manage")
@blp.arguments(ItemSchema)
@blp.response(200, ItemSchema)
def update_item(data, item):
    """Change an item (every field is sent; the tag and the status stay)"""
    services.save_item(item, _input(data))
    db.session.commit()
    return item


@blp.route("/items/<int:item_id>/status", methods=["POST"])
@require("inventory.manage")
@blp.arguments(StatusChangeSchema)
@blp.response(200, ItemSchema)
def change_status(data, item):
    """Move an item (a kit with its parts) to another status by hand; status checks may refuse it"""
    services.change_status_by_hand(item, data["status"])
    db.session.commit()
    return item


@blp.route("/locations")
@require("inventory.view")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, LocationPageSchema)
def list_locations(page, per_page):
    """The tenant's locations"""
    return paginate(sa.select(Location).order_by(Location.name, Location.id), page=page, per_page=per_page)


@blp.route("/locations", methods=["POST"])
@require("inventory.manage")
@blp.arguments(LocationSchema)
@blp.response(201, LocationSchema)
def create_location(data):
    """Add a location, inside another one or as a branch of its own"""
    location = save_location(Location(), **data)
    db.session.commit()
    return location


@blp.route("/locations/<int:location_id>", methods=["PUT"])
@require("inventory.manage")
@blp.arguments(LocationSchema)
@blp.response(200, LocationSchema)
def update_location(data, location):
    """Rename or move a location (never into itself), or link it to a sensory room"""
    save_location(location, **data)
    db.session.commit()
    return location


@blp.route("/categories")
@require("inventory.view")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, CategoryPageSchema)
def list_categories(page, per_page):
    """The project's shared categories and the tenant's own"""
    ensure_shared_categories()
    db.session.commit()
    return paginate(sa.select(Category).order_by(Category.shared_key.is_(None), Category.name, Category.id), page=page, per_page=per_page)


@blp.route("/categories", methods=["POST"])
@require("inventory.manage")
@blp.arguments(CategorySchema)
@blp.response(201, CategorySchema)
def create_category(data):
    """Add one of the tenant's own categories, with the attributes its items carry"""
    category = save_category(Category(), **data)
    db.session.commit()
    return category


@blp.route("/categories/<int:category_id>", methods=["PUT"])
@require("inventory.manage")
@blp.arguments(CategorySchema)
@blp.response(200, CategorySchema)
def update_category(data, category):
    """Rename a tenant's own category, change its attributes, or stop offering it"""
    save_category(category, **data)
    db.session.commit()
    return category


