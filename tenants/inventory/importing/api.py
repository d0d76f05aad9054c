"""API: equipment imported from a CSV or XLSX file in one request (the file and the column mapping), all rows
or none. A file with bad rows is refused (422) with each problem's row, column and reason in `problems`."""
from flask import g, request
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from bibnet.access import require
from bibnet.extensions import db
from bibnet.imports.rows import RowsRefused
from bibnet.imports.tables import ENCODINGS, read_rows
from bibnet.refusals import Refused
from bibnet.tenants.inventory.importing import rows

blp = Blueprint("api_inventory_import", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Equipment imported into the register from a spreadsheet")


# One multipart body: the file, and for each field of an item the header of the file's column that holds it
# (fields not sent keep the tenant's remembered mapping, the last import's).
MAPPING_FIELDS = {
    "encoding": fields.String(validate=validate.OneOf(list(ENCODINGS)), metadata={"description": "A CSV file's encoding; found from its content when not sent"}),
    **{
        name: fields.String(
            validate=validate.Length(max=200),
            metadata={"description": f"The header of the column that holds the item's {name.replace('_', ' ')}" + (" (required unless remembered)" if name in rows.REQUIRED else "")},
        )
        for name in rows.FIELDS
    },
}
ImportMappingSchema = Schema.from_dict(MAPPING_FIELDS, name="ImportMappingSchema")
ImportRequestSchema = Schema.from_dict(
    {"file": fields.Raw(required=True, metadata={"type": "string", "format": "binary", "description": "A CSV or XLSX file with a header row"}), **MAPPING_FIELDS},
    name="ImportRequestSchema",
)


def _mapping_fields() -> dict:
    """The body's text fields: webargs reads the files of a multipart body only (one request body per operation)."""
    try:
        return ImportMappingSchema().load(request.form.to_dict())
    except ValidationError as error:
        raise Refused(error.normalized_messages()) from None


class ImportedSchema(Schema):
    created = fields.Integer(required=True, metadata={"description": "How many items are now in the register"})
    tags = fields.List(fields.String(), required=True, metadata={"description": "Their tags, in the file's order"})


@blp.route("/equipment/import", methods=["POST"])
@require("inventory.manage")
@blp.arguments(ImportRequestSchema, location="files")
@blp.response(201, ImportedSchema)
def import_items(upload):
    """Register every row of a CSV or XLSX file as an item with the next tag (multipart: `file` and the
    column of each field), or none: a problem in any row refuses the whole file"""
    form = _mapping_fields()
    data = upload["file"].read()
    mapping = {**rows.remembered_mapping(), **{name: form[name] for name in rows.FIELDS if form.get(name)}}
    header, table = read_rows(data, upload["file"].filename or "import.csv", form.get("encoding"))
    result = rows.check_rows(header, table, mapping, today=g.tenant.today())
    if not result.ok:
        raise RowsRefused(result)
    tags = rows.save(result)
    rows.remember_mapping(mapping)
    db.session.commit()
    return {"created": len(tags), "tags": tags}

