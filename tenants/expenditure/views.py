"""Pages of the expenditure list: the list with its filters and totals, an item with its files and history,
the item form, the lead's verification, the partner's settings, and the import (upload, mapping, preview,
confirmation).

Every change goes through `services` (or `attachments`, `importing`), which check first and write after; the
pages commit on success and show a refusal as the form with its errors (422), or as the item page with the
reason (409) when the item's status does not allow the action.
"""
from decimal import Decimal

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
import sqlalchemy as sa

from bibnet.access import allowed, require
from bibnet.accounts.models import User
from bibnet.audit.models import AuditEntry
from bibnet.extensions import db
from bibnet.imports import files as import_files
from bibnet.imports import steps
from bibnet.imports.forms import guessed_mapping
from bibnet.imports.tables import ImportRefused
from bibnet.refusals import Refused
from bibnet.storage.backends import delete_stored_quietly
from bibnet.tenancy.queries import projects_of_current_tenant
from bibnet.tenants.budgets.cofinancing import cents_of_sum
from bibnet.tenants.budgets.labels import CATEGORY_LABELS
from bibnet.tenants.budgets.models import CostCategory
from bibnet.tenants.expenditure import attachments, importing, lookups, services  # noqa: F401  (lookups: the URL's item)
from bibnet.tenants.expenditure.forms import (
    AttachmentForm,
    ExpenditureForm,
    FilterForm,
    ImportUploadForm,
    MappingForm,
    RejectForm,
    SettingsForm,
    SubmitPeriodForm,
)
from bibnet.tenants.expenditure.labels import FIELD_LABELS, STATUS_LABELS
from bibnet.tenants.expenditure.models import Expenditure, ExpenditureStatus
from bibnet.web import menu
from bibnet.web.fields import parse_whole_number
from bibnet.web.forms import Outcome, has_errors, saving, show_refusal
from bibnet.web.pagination import paginate
from bibnet.web.projects import only_project_or_list

bp = Blueprint("expenditure", __name__, url_prefix="/t/<tenant_slug>/expenditure", template_folder="templates")
menu.register(_l("Expenditure"), "expenditure.index", "expenditure.view")

ITEM = "/<int:project_id>/<int:expenditure_id>"
HISTORY_SHOWN = 50
ZERO = Decimal("0.00")


@bp.app_context_processor
def labels():
    return {"EXPENDITURE_CATEGORY_LABELS": CATEGORY_LABELS, "EXPENDITURE_STATUS_LABELS": STATUS_LABELS, "ExpenditureStatus": ExpenditureStatus}


# --- The list -------------------------------------------------------------------------------------------

@bp.route("/")
@require("expenditure.view")
def index():
    return only_project_or_list("expenditure.items", "expenditure/index.html")


def _list_page(project, submit_form=None, error=None, status=200):
    filters = FilterForm(formdata=request.args, project=project)
    conditions = [Expenditure.project_id == project.id, Expenditure.deleted_at.is_(None)]
    if filters.period_number is not None:
        conditions.append(Expenditure.period_number == filters.period_number)
    if filters.status.data in ExpenditureStatus._value2member_map_:
        conditions.append(Expenditure.status == ExpenditureStatus(filters.status.data))
    if filters.chosen_category is not None:
        conditions.append(Expenditure.category == filters.chosen_category)
    page = paginate(sa.select(Expenditure).where(*conditions).order_by(Expenditure.period_number, Expenditure.invoice_date, Expenditure.id))
    declared, credited = db.session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(Expenditure.declared_eur), 0),
            sa.func.coalesce(sa.func.sum(sa.case((Expenditure.declared_eur < 0, Expenditure.declared_eur), else_=0)), 0),
        ).where(*conditions)
    ).one()
    shown_filters = {name: value for name, value in request.args.items() if name in ("period", "status", "category") and value}
    can_submit = allowed("expenditure.submit")
    if can_submit and submit_form is None:
        submit_form = SubmitPeriodForm(formdata=None, project=project)
    return render_template(
        "expenditure/list.html",
        project=project,
        filters=filters,
        page=page,
        shown_filters=shown_filters,
        declared=cents_of_sum(declared),
        credited=cents_of_sum(credited),
        can_draft=allowed("expenditure.draft"),
        can_submit=can_submit,
        can_settings=allowed("expenditure.settings"),
        submit_form=submit_form,
        error=error,
    ), status


@bp.route("/<int:project_id>/")
@require("expenditure.view")
def items(project):
    return _list_page(project)


@bp.route("/<int:project_id>/submit", methods=["POST"])
@require("expenditure.submit")
def submit_period(project):
    """Submit every draft of one reporting period at once."""
    form = SubmitPeriodForm(project=project)
    if not form.validate_on_submit():
        return _list_page(project, form, status=422)
    number = parse_whole_number(form.period.data) or 0
    drafts = list(db.session.scalars(sa.select(Expenditure).where(
        Expenditure.project_id == project.id, Expenditure.period_number == number,
        Expenditure.status == ExpenditureStatus.DRAFT, Expenditure.deleted_at.is_(None),
    )))
    if not drafts:
        form.period.errors.append(_("Period %(number)d has no drafts to submit.", number=number))
        return _list_page(project, form, status=422)
    if request.form.get("confirmed") != "yes":  # a step that needs no JavaScript
        return _confirm_submit(project, drafts, number, url_for("expenditure.items", project_id=project.id, period=number))
    services.submit(drafts)
    db.session.commit()
    flash(ngettext("%(num)d item of period %(period)d is submitted to the project lead.", "%(num)d items of period %(period)d are submitted to the project lead.", len(drafts), period=number), "success")
    return redirect(url_for("expenditure.items", project_id=project.id, period=number))


def _confirm_submit(project, items, period, back):
    """What submitting will do, with a "Yes" that posts again with confirmed=yes; nothing changes before it."""
    total = sum((item.declared_eur for item in items), Decimal("0.00"))
    return render_template("expenditure/confirm_submit.html", project=project, count=len(items), total=total, period=period, action=request.path, back=back)


# --- One item -------------------------------------------------------------------------------------------

def _history(item) -> list:
    """The item's audit entries with who made them, oldest first."""
    return db.session.execute(
        sa.select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.object_type == "Expenditure", AuditEntry.object_id == item.id, AuditEntry.tenant_id == g.tenant.id)
        .order_by(AuditEntry.at, AuditEntry.id)
        .limit(HISTORY_SHOWN)
    ).all()


def history_text(entry) -> str:
    """What an audit entry did to the item, in words."""
    changes = entry.changes or {}
    if entry.action == "create":
        return _("Created as a draft.")
    if "deleted_at" in changes:
        return _("Deleted.")
    if "status" in changes:
        new = changes["status"][1]
        if new in ExpenditureStatus._value2member_map_:
            return _("Status: %(status)s.", status=STATUS_LABELS[ExpenditureStatus(new)])
    return _("Changed: %(fields)s.", fields=", ".join(str(FIELD_LABELS.get(name, name)) for name in changes if name in FIELD_LABELS) or _("details"))


def _show_page(project, item, status=200, error=None, attachment_form=None):
    editable = item.editable
    return render_template(
        "expenditure/show.html",
        project=project,
        item=item,
        files=sorted(item.attachments, key=lambda attachment: attachment.id),
        history=_history(item),
        history_text=history_text,
        can_draft=allowed("expenditure.draft") and editable,
        can_submit=allowed("expenditure.submit") and editable,
        can_decide=allowed("expenditure.decide") and item.status is ExpenditureStatus.SUBMITTED,
        attachment_form=attachment_form or (AttachmentForm(formdata=None) if editable else None),
        max_mb=attachments.max_bytes() // (1024 * 1024),
        error=error,
    ), status


@bp.route(ITEM + "/")
@require("expenditure.view")
def show(project, item):
    return _show_page(project, item)


def _form_page(project, form, item=None, error=None):
    status = 422 if (error or has_errors(form)) else 200
    return render_template("expenditure/form.html", project=project, form=form, item=item, error=error), status


@bp.route("/<int:project_id>/new", methods=["GET", "POST"])
@require("expenditure.draft")
def new(project):
    form = ExpenditureForm(project=project)
    if request.method == "GET" and parse_whole_number(request.args.get("period")) is not None:
        form.period_number.data = request.args["period"]
    if form.validate_on_submit():
        with saving(form) as outcome:
            item = services.create(form.to_input(), project, by=current_user)
        if outcome.refused:
            return _form_page(project, form, error=outcome.error)
        flash(_("The item is saved as a draft. Attach the invoice and the proof of payment."), "success")
        return redirect(url_for("expenditure.show", project_id=project.id, expenditure_id=item.id))
    return _form_page(project, form)


@bp.route(ITEM + "/edit", methods=["GET", "POST"])
@require("expenditure.draft")
def edit(project, item):
    if not item.editable:
        return _show_page(project, item, 409, error=_("A submitted item cannot be edited. Ask the project lead to reject it if it needs a correction."))
    form = ExpenditureForm(project=project)
    if request.method == "GET":
        form.fill(item)
    elif form.validate_on_submit():
        with saving(form) as outcome:
            services.change(item, form.to_input(), project)
        if outcome.refused:
            return _form_page(project, form, item, error=outcome.error)
        flash(_("The changes are saved."), "success")
        return redirect(url_for("expenditure.show", project_id=project.id, expenditure_id=item.id))
    return _form_page(project, form, item)


def _status_change(project, item, change, message):
    with saving() as outcome:
        change(item)
    if outcome.refused:
        return _show_page(project, item, outcome.refusal.status, error=outcome.error)
    flash(message, "success")
    return redirect(url_for("expenditure.show", project_id=project.id, expenditure_id=item.id))


@bp.route(ITEM + "/submit", methods=["POST"])
@require("expenditure.submit")
def submit(project, item):
    if item.editable and request.form.get("confirmed") != "yes":
        return _confirm_submit(project, [item], None, url_for("expenditure.show", project_id=project.id, expenditure_id=item.id))
    return _status_change(project, item, lambda item: services.submit([item]), _("The item is submitted to the project lead."))


@bp.route(ITEM + "/verify", methods=["POST"])
@require("expenditure.decide")
def verify(project, item):
    return _status_change(project, item, services.verify, _("The item is verified."))


@bp.route(ITEM + "/reject", methods=["GET", "POST"])
@require("expenditure.decide")
def reject(project, item):
    if item.status is not ExpenditureStatus.SUBMITTED:
        return _show_page(project, item, 409, error=_("Only submitted items can be rejected."))
    form = RejectForm()
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.reject(item, form.comment.data)
        if outcome.saved:
            flash(_("The item is rejected. The partner sees your comment."), "success")
            return redirect(url_for("expenditure.show", project_id=project.id, expenditure_id=item.id))
    else:
        outcome = Outcome()
    status = 422 if (outcome.error or has_errors(form)) else 200
    return render_template("expenditure/reject.html", project=project, item=item, form=form, error=outcome.error), status


@bp.route(ITEM + "/delete", methods=["GET", "POST"])
@require("expenditure.draft")
def delete(project, item):
    if not item.editable:
        return _show_page(project, item, 409, error=_("A submitted item cannot be deleted."))
    if request.method == "POST":
        services.delete(item, by=current_user)
        db.session.commit()
        flash(_("The item is deleted. It no longer counts, and the audit log keeps a record of it."), "success")
        return redirect(url_for("expenditure.items", project_id=project.id))
    return render_template("expenditure/delete.html", project=project, item=item)


@bp.route(ITEM + "/attachments", methods=["POST"])
@require("expenditure.draft")
def attach(project, item):
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _show_page(project, item, 422, attachment_form=form)
    uploads = [(upload.read(), upload.filename) for upload in form.files.data if upload and upload.filename]
    with saving(form) as outcome:
        attached = attachments.attach(item, uploads, by=current_user)
    if outcome.refused:
        return _show_page(project, item, 422 if item.editable else 409, attachment_form=form)
    flash(ngettext("%(num)d file is attached.", "%(num)d files are attached.", len(attached)), "success")
    return redirect(url_for("expenditure.show", project_id=project.id, expenditure_id=item.id) + "#attachments")


@bp.route(ITEM + "/attachments/<int:attachment_id>/delete", methods=["POST"])
@require("expenditure.draft")
def remove_attachment(project, item, attachment):
    with saving() as outcome:
        key = attachments.remove(attachment)
    if outcome.refused:
        return _show_page(project, item, outcome.refusal.status, error=outcome.error)
    delete_stored_quietly(key)
    flash(_("The file is removed."), "success")
    return redirect(url_for("expenditure.show", project_id=project.id, expenditure_id=item.id) + "#attachments")


# --- Settings -------------------------------------------------------------------------------------------

@bp.route("/settings", methods=["GET", "POST"])
@require("expenditure.settings")
def settings():
    current = services.settings_of_tenant()
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        current.staff_may_draft = form.staff_may_draft.data
        services.save_settings(current)
        db.session.commit()
        flash(_("Staff may now draft expenditure.") if current.staff_may_draft else _("Only coordinators may now draft expenditure."), "success")
        return redirect(url_for("expenditure.settings"))
    return render_template("expenditure/settings.html", form=form, projects=projects_of_current_tenant())


# --- Import ---------------------------------------------------------------------------------------------

def _upload_page(project, form, error=None):
    status = 422 if (error or has_errors(form)) else 200
    return render_template("expenditure/import_upload.html", project=project, form=form, error=error), status


@bp.route("/<int:project_id>/import", methods=["GET", "POST"])
@require("expenditure.submit")
def import_upload(project):
    """Step 1: the file. It waits in the storage while the columns are mapped and the rows checked."""
    form = ImportUploadForm()
    stored = steps.accept_upload(form, attachments.IMPORT_AREA, by=current_user)
    if stored is None:
        return _upload_page(project, form)
    return redirect(url_for("expenditure.import_mapping", project_id=project.id, file=stored.id), code=303)


def _mapping_page(project, stored, data, form, header, error=None):
    """The mapping form with what helps to fill it (see `steps.mapping_context`) and the cost categories a cell may name."""
    status = 422 if (error or has_errors(form)) else 200
    context = steps.mapping_context(stored, data, form, header)
    return render_template("expenditure/import_mapping.html", project=project, categories=importing.category_choices(), error=error, **context), status


def _refused_file(project, message):
    return _upload_page(project, ImportUploadForm(formdata=None), error=message)


@bp.route("/<int:project_id>/import/mapping")
@require("expenditure.submit")
def import_mapping(project):
    """Step 2: which column holds what, remembered from the last import."""
    stored, data = import_files.import_file_or_404(import_files.parse_file_id(request.args.get("file")), attachments.IMPORT_AREA)
    try:
        header, chosen, error = steps.mapping_header(stored, data, request.args.get("encoding"))
    except ImportRefused as refused:
        return _refused_file(project, steps.discard(stored, refused))
    remembered = services.settings_of_tenant().import_mapping
    guessed = guessed_mapping(header, importing.FIELDS, FIELD_LABELS, remembered)
    form = MappingForm(formdata=None, header=header, periods=project.reporting_periods, data={"file_id": stored.id, "encoding": chosen or "", **guessed})
    return _mapping_page(project, stored, data, form, header, error=error)


def _checked(project):
    """The waiting file, its mapping from the form, and the preview of its rows (or the page that refuses them)."""
    stored, data = import_files.import_file_or_404(import_files.parse_file_id(request.form.get("file_id")), attachments.IMPORT_AREA)
    checked = steps.check_upload(
        stored,
        data,
        lambda header: MappingForm(header=header, periods=project.reporting_periods),
        lambda header, rows, form: importing.check_rows(header, rows, form.mapping(), project, defaults=form.defaults()),
    )
    if checked.file_refused:
        return None, _refused_file(project, checked.file_refused)
    if checked.mapping_error is not None:
        form = checked.form
        error = show_refusal(form, checked.mapping_error) if isinstance(checked.mapping_error, Refused) else None
        return None, _mapping_page(project, stored, data, form, checked.header, error=error)
    return checked, None


def _preview_page(project, checked):
    result = checked.result
    per_category = dict.fromkeys(CostCategory, ZERO)
    for item in result.items:
        per_category[CostCategory(item.category)] += services.to_eur(item.declared_amount, item.currency, item.conversion_rate)
    return render_template(
        "expenditure/import_preview.html",
        project=project,
        stored=checked.stored,
        form=checked.form,
        result=result,
        problems=result.problems[:steps.PROBLEMS_SHOWN],
        bad_rows=result.bad_rows,
        per_category={category: amount for category, amount in per_category.items() if amount},
        total=sum(per_category.values(), ZERO),
    ), 200 if result.ok else 422


@bp.route("/<int:project_id>/import/preview", methods=["POST"])
@require("expenditure.submit")
def import_preview(project):
    """Step 3: every row checked, nothing written; the mapping is remembered for the next file."""
    checked, refusal = _checked(project)
    if refusal is not None:
        return refusal
    current = services.settings_of_tenant()
    current.import_mapping = checked.form.mapping()
    services.save_settings(current)
    db.session.commit()
    return _preview_page(project, checked)


@bp.route("/<int:project_id>/import/confirm", methods=["POST"])
@require("expenditure.submit")
def import_confirm(project):
    """Step 4: every row saved as a draft, or none."""
    checked, refusal = _checked(project)
    if refusal is not None:
        return refusal
    if not checked.result.ok:
        return _preview_page(project, checked)
    saved = importing.save(checked.result, project, by=current_user, source=checked.stored.filename)
    steps.finish(checked.stored)
    flash(ngettext("%(num)d item is imported as a draft.", "%(num)d items are imported as drafts.", saved), "success")
    return redirect(url_for("expenditure.items", project_id=project.id, status=ExpenditureStatus.DRAFT.value))
