"""API: stock-takes of a location — start, scan (a typed tag or a scanned QR code's address), finish, result."""
from flask import g
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
import sqlalchemy as sa

from bibnet.access import require
from bibnet.api.problems import PROBLEM_TYPE
from bibnet.api.schemas import PaginationArgs, ProblemSchema, object_id, page_of
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenants.inventory.models import Location
from bibnet.tenants.inventory.stocktakes import lookups, services  # noqa: F401  (lookups: the URL's stock-take)
from bibnet.tenants.inventory.stocktakes.models import StockTake
from bibnet.web.pagination import paginate

blp = Blueprint("api_stocktakes", __name__, url_prefix="/api/v1/tenants/<tenant_slug>/equipment", description="Stock-takes of the equipment register")
STOCKTAKE = "/stocktakes/<int:stocktake_id>"
FINISHED = {"schema": ProblemSchema, "content_type": PROBLEM_TYPE, "description": "The stock-take is finished already"}


class StockTakeSchema(Schema):
    id = fields.Integer(dump_only=True)
    location_id = object_id(required=True, metadata={"description": "The location checked, with the locations under it"})
    started_at = fields.DateTime(dump_only=True)
    finished_at = fields.DateTime(dump_only=True, allow_none=True)
    expected_count = fields.Integer(dump_only=True, metadata={"description": "Items located there (not lost or retired) when it started"})


StockTakePageSchema = page_of(StockTakeSchema, "StockTakePageSchema")


class StockTakeScanSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=300), metadata={"description": "A tag (BN-00042) or the address a label's QR code holds (…/i/<token>)"})


class StockTakeScannedSchema(Schema):
    item_id = fields.Integer(required=True)
    tag = fields.String(required=True)
    name = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf([outcome.value for outcome in services.ScanOutcome]),
                            metadata={"description": "found: expected here; misplaced: registered elsewhere; again: confirmed before, nothing changed"})


class StockTakeItemSchema(Schema):
    item_id = fields.Integer(required=True)
    tag = fields.String(required=True)
    name = fields.String(required=True)
    location_id = fields.Integer(required=True, allow_none=True, metadata={"description": "Where the register has it now"})


class StockTakeResultSchema(Schema):
    stocktake = fields.Nested(StockTakeSchema, required=True)
    found = fields.List(fields.Nested(StockTakeItemSchema), required=True)
    missing = fields.List(fields.Nested(StockTakeItemSchema), required=True, metadata={"description": "Expected and not scanned"})
    misplaced = fields.List(fields.Nested(StockTakeItemSchema), required=True, metadata={"description": "Scanned here, registered elsewhere"})


@blp.route("/stocktakes")
@require("inventory.view")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, StockTakePageSchema)
def list_stocktakes(page, per_page):
    """The library's stock-takes, the latest first"""
    return paginate(sa.select(StockTake).order_by(StockTake.started_at.desc(), StockTake.id.desc()), page=page, per_page=per_page)


@blp.route("/stocktakes", methods=["POST"])
@require("inventory.stocktake")
@blp.arguments(StockTakeSchema)
@blp.response(201, StockTakeSchema)
def start_stocktake(data):
    """Start a stock-take of a location: the items located there and under it are expected"""
    location = db.session.scalar(sa.select(Location).where(Location.id == data["location_id"]))
    if location is None:
        raise Refused({"location_id": [_l("No location of this library has this id.")]})
    stocktake = services.start(location, current_user)
    db.session.commit()
    return stocktake


@blp.route(STOCKTAKE)
@require("inventory.view")
@blp.response(200, StockTakeSchema)
def get_stocktake(stocktake):
    """One stock-take"""
    return stocktake


@blp.route(f"{STOCKTAKE}/scans", methods=["POST"])
@require("inventory.stocktake")
@blp.arguments(StockTakeScanSchema)
@blp.response(200, StockTakeScannedSchema)
@blp.alt_response(409, **FINISHED)
def scan(data, stocktake):
    """Confirm an item by its tag or its label's QR code; scanning it again changes nothing"""
    scanned = services.scan(stocktake, data["code"], current_user)
    db.session.commit()
    return {"item_id": scanned.item.id, "tag": scanned.item.tag, "name": scanned.item.name, "outcome": scanned.outcome.value}


@blp.route(f"{STOCKTAKE}/finish", methods=["POST"])
@require("inventory.stocktake")
@blp.response(200, StockTakeSchema)
@blp.alt_response(409, **FINISHED)
def finish(stocktake):
    """Finish the stock-take: each found item's last stock-take becomes today"""
    services.finish(stocktake, g.tenant.today())
    db.session.commit()
    return stocktake


def _rows(entries):
    return [{"item_id": entry.item.id, "tag": entry.item.tag, "name": entry.item.name, "location_id": entry.item.location_id} for entry in entries]


@blp.route(f"{STOCKTAKE}/result")
@require("inventory.view")
@blp.response(200, StockTakeResultSchema)
def result(stocktake):
    """Found, missing and misplaced items (so far, while it is not finished)"""
    found = services.result(stocktake)
    return {"stocktake": stocktake, "found": _rows(found.found), "missing": _rows(found.missing), "misplaced": _rows(found.misplaced)}
