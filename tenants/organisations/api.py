"""API: the partners' register, organisations and their cooperation agreements. Writes go through `services`
and are committed here on success; their refusals are the core's problem+json (422 with field errors). The signed
document of an agreement is uploaded as multipart (field `document`), checked by its content as on the page."""
from flask import current_app
from flask_login import current_user
from flask_smorest import Blueprint
import sqlalchemy as sa

from bibnet.access import require
from bibnet.api.schemas import PaginationArgs
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.storage.uploads import DOCUMENTS, store_upload
from bibnet.tenants.organisations import lookups, services
from bibnet.tenants.organisations.models import Agreement, Organisation
from bibnet.tenants.organisations.schemas import (
    ActiveSchema,
    AgreementPageSchema,
    AgreementSchema,
    DocumentUploadSchema,
    OrganisationArgs,
    OrganisationPageSchema,
    OrganisationSchema,
)
from bibnet.web.pagination import paginate

blp = Blueprint("api_organisations", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Partner organisations and cooperation agreements")


@blp.route("/organisations")
@require("organisations.manage")
@blp.arguments(OrganisationArgs, location="query", as_kwargs=True)
@blp.response(200, OrganisationPageSchema)
def list_organisations(page, per_page, active):
    """Organisations by name; `active=false` lists the deactivated ones"""
    return paginate(sa.select(Organisation).where(Organisation.active.is_(active)).order_by(Organisation.name, Organisation.id), page=page, per_page=per_page)


@blp.route("/organisations", methods=["POST"])
@require("organisations.manage")
@blp.arguments(OrganisationSchema)
@blp.response(201, OrganisationSchema)
def add_organisation(data):
    """Register an organisation (social services, a disability society, a care home, a school...)"""
    organisation = services.add_organisation(services.OrganisationInput(**data))
    db.session.commit()
    return lookups.visible_organisation(organisation.id)


@blp.route("/organisations/<int:organisation_id>")
@require("organisations.manage")
@blp.response(200, OrganisationSchema)
def get_organisation(organisation):
    """One organisation"""
    return organisation


@blp.route("/organisations/<int:organisation_id>", methods=["PUT"])
@require("organisations.manage")
@blp.arguments(OrganisationSchema)
@blp.response(200, OrganisationSchema)
def update_organisation(data, organisation):
    """Change an organisation's details"""
    services.update_organisation(organisation, services.OrganisationInput(**data))
    db.session.commit()
    return lookups.visible_organisation(organisation.id)


@blp.route("/organisations/<int:organisation_id>/active", methods=["POST"])
@require("organisations.manage")
@blp.arguments(ActiveSchema)
@blp.response(200, OrganisationSchema)
def set_active(data, organisation):
    """Deactivate an organisation, or activate it again"""
    services.set_active(organisation, data["active"])
    db.session.commit()
    return lookups.visible_organisation(organisation.id)


@blp.route("/organisations/<int:organisation_id>/agreements")
@require("organisations.manage")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, AgreementPageSchema)
def list_agreements(page, per_page, organisation):
    """An organisation's agreements, the latest signed first"""
    return paginate(
        sa.select(Agreement).where(Agreement.organisation_id == organisation.id).order_by(Agreement.signed_on.desc(), Agreement.id.desc()), page=page, per_page=per_page,
    )


@blp.route("/organisations/<int:organisation_id>/agreements", methods=["POST"])
@require("organisations.manage")
@blp.arguments(AgreementSchema)
@blp.response(201, AgreementSchema)
def add_agreement(data, organisation):
    """Record a cooperation agreement: parties, signed and expiry dates (expiry not before signing), scope"""
    agreement = services.add_agreement(organisation, services.AgreementInput(**data))
    db.session.commit()
    return lookups.visible_agreement(agreement.id)


@blp.route("/agreements/<int:agreement_id>")
@require("organisations.manage")
@blp.response(200, AgreementSchema)
def get_agreement(agreement):
    """One agreement"""
    return agreement


@blp.route("/agreements/<int:agreement_id>", methods=["PUT"])
@require("organisations.manage")
@blp.arguments(AgreementSchema)
@blp.response(200, AgreementSchema)
def update_agreement(data, agreement):
    """Change an agreement; a new expiry day makes its reminders due again"""
    services.update_agreement(agreement, services.AgreementInput(**data))
    db.session.commit()
    return lookups.visible_agreement(agreement.id)


@blp.route("/agreements/<int:agreement_id>/document", methods=["POST"])
@require("organisations.manage")
@blp.arguments(DocumentUploadSchema, location="files")
@blp.response(200, AgreementSchema)
def upload_document(form, agreement):
    """Upload the signed document of an agreement (multipart, field `document`: PDF, JPEG or PNG), replacing any"""
    upload = form["document"]
    try:
        stored = store_upload(upload.read(), upload.filename or "agreement", services.AGREEMENT_AREA, DOCUMENTS, current_app.config["MAX_CONTENT_LENGTH"], uploaded_by=current_user)
    except Refused as refusal:
        raise Refused({"document": refusal.errors.get("file", [])}) from refusal
    agreement.document_id = stored.id
    db.session.commit()
    return lookups.visible_agreement(agreement.id)
