"""API: a PDF of label sheets for chosen items."""
from flask import Response
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
import sqlalchemy as sa

from bibnet.access import require
from bibnet.api.schemas import object_id
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenants.inventory.label_printing import sheets
from bibnet.tenants.inventory.models import Item
from bibnet.web.downloads import file_chunks

blp = Blueprint("api_labels", __name__, url_prefix="/api/v1/tenants/<tenant_slug>/equipment", description="Equipment labels")
PDF = {
    "200": {"description": "The label sheets as a tagged PDF", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
    "503": {"description": "The server lacks the system library that draws PDFs (Pango)"},
}


class LabelArgs(Schema):
    item = fields.List(object_id(), required=True, validate=validate.Length(min=1, max=sheets.MAX_LABELS), metadata={"description": "The items' ids (repeat the parameter)"})
    geometry = fields.String(load_default="L7163", validate=validate.OneOf(list(sheets.GEOMETRIES)))
    start = fields.Integer(load_default=1, validate=validate.Range(min=1, max=21), metadata={"description": "The first label's position on the first sheet, from the top left"})


@blp.route("/labels.pdf")
@require("inventory.view")
@blp.arguments(LabelArgs, location="query", as_kwargs=True)
@blp.doc(responses=PDF)
def labels_pdf(item, geometry, start):
    """Label sheets for the items, in tag order; unknown ids are refused"""
    items = db.session.scalars(sa.select(Item).where(Item.id.in_(set(item))).order_by(Item.tag_number)).all()
    if len(items) != len(set(item)):
        raise Refused({"item": [_l("No item of this library has one of these ids.")]})
    return Response(file_chunks(sheets.render(items, sheets.GEOMETRIES[geometry], start)), mimetype="application/pdf",
                    headers={"Content-Disposition": 'attachment; filename="labels.pdf"'})
