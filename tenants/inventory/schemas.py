"""API schemas of the register: items, their status changes, locations and categories. The rules are the
services' (`services.save_item`, `locations.save_location`, `categories.save_category`), as on the pages."""
from marshmallow import Schema, fields, validate

from bibnet.api.schemas import Day, DecimalString, object_id, page_of
from bibnet.tenants.inventory.categories import ATTRIBUTE_KINDS, label_of
from bibnet.tenants.inventory.models import Condition, ItemKind, ItemStatus, LocationKind
from bibnet.tenants.inventory.services import MANUAL_STATUSES, MAX_QUANTITY, TEXT_LENGTHS

_enum = {"by_value": True}


class ItemSchema(Schema):
    id = fields.Integer(dump_only=True)
    tag = fields.String(dump_only=True, metadata={"example": "BN-00012"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=TEXT_LENGTHS["name"]))
    category_id = object_id(required=True)
    kind = fields.Enum(ItemKind, **_enum, load_default=ItemKind.SERIALISED)
    quantity = fields.Integer(load_default=1, validate=validate.Range(min=0, max=MAX_QUANTITY))
    serial = fields.String(load_default="", validate=validate.Length(max=TEXT_LENGTHS["serial"]))
    manufacturer = fields.String(load_default="", validate=validate.Length(max=TEXT_LENGTHS["manufacturer"]))
    model = fields.String(load_default="", validate=validate.Length(max=TEXT_LENGTHS["model"]))
    supplier = fields.String(load_default="", validate=validate.Length(max=TEXT_LENGTHS["supplier"]))
    purchase_date = Day(load_default=None, allow_none=True)
    cost = DecimalString(load_default=None, allow_none=True)
    location_id = object_id(load_default=None, allow_none=True)
    condition = fields.Enum(Condition, **_enum, load_default=Condition.GOOD)
    notes = fields.String(load_default="", validate=validate.Length(max=5000))
    public_note = fields.String(load_default="", validate=validate.Length(max=2000))
    attributes = fields.Dict(keys=fields.String(validate=validate.Length(max=40)), load_default=dict, metadata={"description": "Custom attributes of the category, by key"})
    status = fields.Enum(ItemStatus, **_enum, dump_only=True)
    kit_id = fields.Integer(dump_only=True, allow_none=True)
    expenditure_id = fields.Integer(dump_only=True, allow_none=True)


ItemPageSchema = page_of(ItemSchema, "ItemPageSchema")


class ItemFilterArgs(Schema):
    q = fields.String(validate=validate.Length(max=100), metadata={"description": "Text in the tag, name or serial number"})
    category = object_id()
    status = fields.Enum(ItemStatus, **_enum)
    location = object_id(metadata={"description": "A location: its items and those of its sub-locations"})
    kind = fields.Enum(ItemKind, **_enum)


class StatusChangeSchema(Schema):
    status = fields.Enum(ItemStatus, **_enum, required=True, validate=validate.OneOf(MANUAL_STATUSES), metadata={"description": "available, maintenance, cleaning, lost or retired"})


class LocationSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    kind = fields.Enum(LocationKind, **_enum, load_default=LocationKind.OTHER)
    parent_id = object_id(load_default=None, allow_none=True)
    room_id = object_id(load_default=None, allow_none=True)
    active = fields.Boolean(load_default=True)


LocationPageSchema = page_of(LocationSchema, "LocationPageSchema")


class AttributeFieldSchema(Schema):
    key = fields.String(required=True, validate=validate.Length(min=1, max=40))
    label = fields.String(required=True, validate=validate.Length(min=1, max=120))
    kind = fields.String(required=True, validate=validate.OneOf(list(ATTRIBUTE_KINDS)))


class CategorySchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    label = fields.Function(label_of, dump_only=True, metadata={"description": "The name in the caller's language"})
    shared_key = fields.String(dump_only=True, allow_none=True)
    attribute_fields = fields.List(fields.Nested(AttributeFieldSchema), load_default=list, validate=validate.Length(max=20))
    active = fields.Boolean(load_default=True)


CategoryPageSchema = page_of(CategorySchema, "CategoryPageSchema")
