"""Pages of the equipment import: upload → column mapping → every row checked → all registered, or none.

The steps and their templates are the core's (`bibnet.imports`), as in the expenditure import; here are the
register's words and fields. Only those who manage the inventory import.
"""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from bibnet.access import require
from bibnet.extensions import db
from bibnet.imports import files as import_files
from bibnet.imports import steps
from bibnet.imports.forms import ColumnMappingForm, guessed_mapping, import_file_field
from bibnet.imports.tables import MAX_ROWS, ImportRefused
from bibnet.refusals import Refused
from bibnet.tenants.inventory.categories import SHARED
from bibnet.tenants.inventory.importing import rows
from bibnet.web import panels
from bibnet.web.forms import has_errors, show_refusal

bp = Blueprint("inventory_import", __name__, url_prefix="/t/<tenant_slug>/equipment/import", template_folder="templates")
IMPORT_AREA = "inventory-import"


class UploadForm(FlaskForm):
    file = import_file_field(_l("Your list of equipment"))


MappingForm = ColumnMappingForm.with_fields("MappingForm", rows.FIELD_LABELS, rows.REQUIRED, rows.FIELDS)


def _upload_page(form, error=None):
    status = 422 if (error or has_errors(form)) else 200
    return render_template("inventory/import/upload.html", form=form, error=error, max_rows=MAX_ROWS), status


@bp.route("/", methods=["GET", "POST"])
@require("inventory.manage")
def upload():
    """Step 1: the file. It waits in the storage while the columns are mapped and the rows checked."""
    form = UploadForm()
    stored = steps.accept_upload(form, IMPORT_AREA, by=current_user)
    if stored is None:
        return _upload_page(form)
    return redirect(url_for("inventory_import.mapping", file=stored.id), code=303)


def _mapping_page(stored, data, form, header, error=None):
    status = 422 if (error or has_errors(form)) else 200
    context = steps.mapping_context(stored, data, form, header)
    shared = sorted(str(label) for label in SHARED.values())
    return render_template("inventory/import/mapping.html", error=error, shared_categories=shared, kinds=rows.KIND_LABELS, conditions=rows.CONDITION_LABELS, **context), status


def _refused_file(message):
    return _upload_page(UploadForm(formdata=None), error=message)


@bp.route("/mapping")
@require("inventory.manage")
def mapping():
    """Step 2: which column holds what, remembered from the last import."""
    stored, data = import_files.import_file_or_404(import_files.parse_file_id(request.args.get("file")), IMPORT_AREA)
    try:
        header, chosen, error = steps.mapping_header(stored, data, request.args.get("encoding"))
    except ImportRefused as refused:
        return _refused_file(steps.discard(stored, refused))
    guessed = guessed_mapping(header, rows.FIELDS, rows.FIELD_LABELS, rows.remembered_mapping())
    form = MappingForm(formdata=None, header=header, data={"file_id": stored.id, "encoding": chosen or "", **guessed})
    return _mapping_page(stored, data, form, header, error=error)


def _checked():
    """The waiting file, its mapping from the form, and the preview of its rows (or the page that refuses them)."""
    stored, data = import_files.import_file_or_404(import_files.parse_file_id(request.form.get("file_id")), IMPORT_AREA)
    today = g.tenant.today()
    checked = steps.check_upload(
        stored,
        data,
        lambda header: MappingForm(header=header),
        lambda header, table, form: rows.check_rows(header, table, form.mapping(), today=today),
    )
    if checked.file_refused:
        return None, _refused_file(checked.file_refused)
    if checked.mapping_error is not None:
        error = show_refusal(checked.form, checked.mapping_error) if isinstance(checked.mapping_error, Refused) else None
        return None, _mapping_page(stored, data, checked.form, checked.header, error=error)
    return checked, None


def _preview_page(checked):
    result = checked.result
    return render_template(
        "inventory/import/preview.html",
        stored=checked.stored,
        form=checked.form,
        result=result,
        problems=result.problems[:steps.PROBLEMS_SHOWN],
        units=sum(item.quantity for item in result.items),
    ), 200 if result.ok else 422


@bp.route("/preview", methods=["POST"])
@require("inventory.manage")
def preview():
    """Step 3: every row checked, nothing registered; the mapping is remembered for the next file."""
    checked, refusal = _checked()
    if refusal is not None:
        return refusal
    rows.remember_mapping(checked.form.mapping())
    db.session.commit()
    return _preview_page(checked)


@bp.route("/confirm", methods=["POST"])
@require("inventory.manage")
def confirm():
    """Step 4: every row registered under the next tags, or none."""
    checked, refusal = _checked()
    if refusal is not None:
        return refusal
    if not checked.result.ok:
        return _preview_page(checked)
    tags = rows.save(checked.result)
    steps.finish(checked.stored)
    if len(tags) == 1:
        flash(_("The item is in the register under the tag %(tag)s.", tag=tags[0]), "success")
    else:
        flash(ngettext("%(num)d item is in the register, tagged %(first)s to %(last)s.", "%(num)d items are in the register, tagged %(first)s to %(last)s.", len(tags), first=tags[0], last=tags[-1]), "success")
    return redirect(url_for("inventory_import.upload"))


def home_panel_data() -> dict:
    return {}


panels.register_home_panel("inventory/import/_home_panel.html", home_panel_data, "inventory.manage")
