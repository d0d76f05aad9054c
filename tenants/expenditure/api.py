"""API: expenditure items, their status changes and their attachments.

Every write goes through `services` (or `attachments`) and is committed here on success. Their refusals are
the core's problem+json: a refusal of the item's fields is a 422 with field errors named as in the request
body; an action its status does not allow (editing a submitted item, verifying a draft...) is a 409.
"""
from dataclasses import replace

from flask import jsonify, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.access import TenantRole, current_role, require
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.storage.backends import delete_stored_quietly
from bibnet.tenancy.models import Project
from bibnet.tenancy.queries import projects_of_current_tenant
from bibnet.tenants.expenditure import attachments, lookups, services  # noqa: F401  (lookups: the URL's item)
from bibnet.tenants.expenditure.models import Expenditure, ExpenditureAttachment
from bibnet.tenants.expenditure.schemas import (
    AttachmentSchema,
    AttachmentUploadSchema,
    ExpenditureArgs,
    ExpenditureChangeSchema,
    ExpenditureInputSchema,
    ExpenditurePageSchema,
    ExpenditureRejectSchema,
    ExpenditureSchema,
)
from bibnet.tenants.expenditure.services import ExpenditureInput, NotInThisStatus
from bibnet.web.pagination import paginate

blp = Blueprint("api_expenditure", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Expenditure items in the fields of Jems's list of expenditure")

# The item (and attachment) a URL names is loaded by the core before the body is read (expenditure.lookups).
ITEM = "/expenditure/<int:expenditure_id>"
CONFLICT = {"description": "The item's status does not allow this (e.g. it is submitted already)"}
LOCATION = {"Location": {"description": "The new item", "schema": {"type": "string"}}}


def _with_files():
    return selectinload(Expenditure.attachments).joinedload(ExpenditureAttachment.file)


def _partner_project(project_id: int) -> Project:
    project = next((project for project in projects_of_current_tenant() if project.id == project_id), None)
    if project is None:
        raise Refused({"project_id": [_l("Choose a project your library is a partner of.")]})
    return project


def _project_of(item: Expenditure) -> Project:
    return db.session.get(Project, item.project_id)


def _input(body: dict) -> ExpenditureInput:
    body = dict(body)
    body.setdefault("declared_amount", body["invoice_total"])
    body["currency"] = (body.get("currency") or "EUR").strip().upper()
    return ExpenditureInput(**body)


def _item_response(item: Expenditure, status: int = 200):
    """Serialised before the commit, which would expire the item and load it again."""
    response = jsonify(ExpenditureSchema().dump(item))
    response.status_code = status
    db.session.commit()
    return response


# Reading ------------------------------------------------------------------------------------------------------------


@blp.route("/expenditure")
@require("expenditure.view")
@blp.arguments(ExpenditureArgs, location="query", as_kwargs=True)
@blp.response(200, ExpenditurePageSchema)
def list_items(page, per_page, project_id=None, period=None, status=None, category=None):
    """The partner's items (deleted ones left out), by period and invoice date; filter by project, period, status, category"""
    statement = sa.select(Expenditure).where(Expenditure.deleted_at.is_(None)).options(_with_files())
    if current_role() is TenantRole.LEAD:
        statement = statement.where(Expenditure.project_id.in_([project.id for project in projects_of_current_tenant()]))
    for column, value in ((Expenditure.project_id, project_id), (Expenditure.period_number, period), (Expenditure.status, status), (Expenditure.category, category)):
        if value is not None:
            statement = statement.where(column == value)
    return paginate(statement.order_by(Expenditure.period_number, Expenditure.invoice_date, Expenditure.id), page=page, per_page=per_page)


@blp.route(ITEM)
@require("expenditure.view")
@blp.response(200, ExpenditureSchema)
def get_item(item):
    """One item, with its status, the lead's comment and its attachments"""
    return item


# Writing ------------------------------------------------------------------------------------------------------------


@blp.route("/expenditure", methods=["POST"])
@require("expenditure.draft")
@blp.arguments(ExpenditureInputSchema)
@blp.response(201, ExpenditureSchema, headers=LOCATION)
def create_item(body):
    """Add an item as a draft; the declared amount defaults to the invoice total, the currency to EUR"""
    project = _partner_project(body.pop("project_id"))
    item = services.create(_input(body), project, by=current_user)
    response = _item_response(item, 201)
    response.headers["Location"] = url_for(".get_item", expenditure_id=item.id)
    return response


@blp.route(ITEM, methods=["PATCH"])
@require("expenditure.draft")
@blp.arguments(ExpenditureChangeSchema)
@blp.response(200, ExpenditureSchema)
@blp.alt_response(409, **CONFLICT)
def change_item(body, item):
    """Change a draft or a rejected item (it becomes a draft again); only the fields sent change"""
    if "currency" in body:
        body["currency"] = (body["currency"] or "EUR").strip().upper()
    services.change(item, replace(services.as_input(item), **body), _project_of(item))
    return _item_response(item)


@blp.route(ITEM, methods=["DELETE"])
@require("expenditure.draft")
@blp.response(204)
@blp.alt_response(409, **CONFLICT)
def delete_item(item):
    """Delete a draft or a rejected item: a soft delete, kept in the audit log"""
    services.delete(item, by=current_user)
    db.session.commit()


@blp.route(ITEM + "/submit", methods=["POST"])
@require("expenditure.submit")
@blp.response(200, ExpenditureSchema)
@blp.alt_response(409, **CONFLICT)
def submit_item(item):
    """Submit a draft (or a corrected rejected item) to the project lead (coordinators)"""
    services.submit([item])
    return _item_response(item)


@blp.route(ITEM + "/verify", methods=["POST"])
@require("expenditure.decide")
@blp.response(200, ExpenditureSchema)
@blp.alt_response(409, **CONFLICT)
def verify_item(item):
    """Verify a submitted item (the project lead or an admin)"""
    services.verify(item)
    return _item_response(item)


@blp.route(ITEM + "/reject", methods=["POST"])
@require("expenditure.decide")
@blp.arguments(ExpenditureRejectSchema)
@blp.response(200, ExpenditureSchema)
@blp.alt_response(409, **CONFLICT)
def reject_item(body, item):
    """Reject a submitted item with a comment the partner reads (the project lead or an admin)"""
    services.reject(item, body["comment"])
    return _item_response(item)


# Attachments --------------------------------------------------------------------------------------------------------


@blp.route(ITEM + "/attachments")
@require("expenditure.view")
@blp.response(200, AttachmentSchema(many=True))
def list_attachments(item):
    """The item's files, with their download addresses"""
    return sorted(item.attachments, key=lambda attachment: attachment.id)


@blp.route(ITEM + "/attachments", methods=["POST"])
@require("expenditure.draft")
@blp.arguments(AttachmentUploadSchema, location="files")
@blp.response(201, AttachmentSchema(many=True))
@blp.alt_response(409, **CONFLICT)
def add_attachments(form, item):
    """Attach one or more files (multipart, field `files`) to a draft or rejected item: all of them or none"""
    uploads = [(upload.read(), upload.filename or "file") for upload in form.get("files", []) if upload]
    if not item.editable:
        raise NotInThisStatus(_l("Files can be attached only while the item is a draft or rejected."))
    attached = attachments.attach(item, uploads, by=current_user)
    response = jsonify(AttachmentSchema(many=True).dump(attached))
    response.status_code = 201
    db.session.commit()
    return response


@blp.route(ITEM + "/attachments/<int:attachment_id>", methods=["DELETE"])
@require("expenditure.draft")
@blp.response(204)
@blp.alt_response(409, **CONFLICT)
def remove_attachment(item, attachment):
    """Remove a file of a draft or rejected item"""
    if not item.editable:
        raise NotInThisStatus(_l("Files can be removed only while the item is a draft or rejected."))
    key = attachments.remove(attachment)
    db.session.commit()
    delete_stored_quietly(key)
