"""API: a learner's certificates and their PDFs, revoking one (the library's coordinators), and the public
verification of a code, which answers exactly what the public page shows."""
from flask import Response, g
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import public, require
from bibnet.api.schemas import DecimalString, PaginationArgs, page_of
from bibnet.db import utcnow
from bibnet.elearning.certificates import document, services
from bibnet.elearning.certificates.models import REASON_LENGTH, Certificate
from bibnet.elearning.certificates.views import CERTIFICATE_NOT_FOUND, VERIFY_RATE_LIMIT
from bibnet.elearning.languages import text
from bibnet.extensions import db, limiter
from bibnet.web.downloads import file_chunks
from bibnet.web.pagination import paginate

blp = Blueprint("api_certificates", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Certificates of completed courses")
public_blp = Blueprint("api_certificates_public", __name__, url_prefix="/api/v1/certificates", description="Verifying a certificate code (no log-in)")

CERTIFICATE = "/certificates/<int:certificate_id>"
VALIDITY = [validity.value for validity in services.Validity]
PDF = {
    "200": {"description": "The certificate as a tagged PDF (Content-Disposition: attachment)", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
    "503": {"description": "The server lacks the system library that draws PDFs (Pango)"},
}
TOO_MANY = {"429": {"description": "Too many verifications from this address; try again in a minute"}}


class CertificateSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True, metadata={"description": "As printed: two groups of five, e.g. 7KQ4M-XW9RT"})
    course_id = fields.Integer(required=True)
    course = fields.String(required=True, metadata={"description": "The course's title in the caller's language"})
    user_id = fields.Integer(required=True)
    issued_on = fields.Date(required=True)
    hours = DecimalString(1, required=True, metadata={"description": "Study time of the course's required lessons, in hours"})
    valid_until = fields.Date(allow_none=True, required=True, metadata={"description": "The last valid day; null: valid for good"})
    status = fields.String(required=True, validate=validate.OneOf(VALIDITY))
    revoked_on = fields.Date(allow_none=True, required=True)


CertificatePageSchema = page_of(CertificateSchema, "CertificatePageSchema")


class RevokeSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(max=REASON_LENGTH), metadata={"description": "Why; kept in the audit log"})


class VerificationSchema(Schema):
    initials = fields.String(required=True, metadata={"description": "The holder's initials, nothing more of them"})
    course = fields.String(required=True)
    issued_on = fields.Date(required=True)
    library = fields.String(required=True)
    project = fields.String(allow_none=True, required=True)
    status = fields.String(required=True, validate=validate.OneOf(VALIDITY))
    valid_until = fields.Date(allow_none=True, required=True)
    revoked_on = fields.Date(allow_none=True, required=True)


def _as_dict(certificate: Certificate) -> dict:
    return {
        "id": certificate.id, "code": services.shown(certificate.code), "course_id": certificate.course_id, "course": text(certificate.course.title),
        "user_id": certificate.user_id, "issued_on": certificate.issued_at.date(),
        "hours": services.study_hours(certificate.minutes), "valid_until": certificate.valid_until,
        "status": services.validity(certificate, g.tenant.today()).value, "revoked_on": certificate.revoked_at.date() if certificate.revoked_at else None,
    }


@blp.route("/certificates")
@require("elearning.learn")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, CertificatePageSchema)
def my_certificates(page, per_page):
    """The caller's certificates in this library, newest first"""
    statement = (
        sa.select(Certificate).where(Certificate.user_id == current_user.id).options(joinedload(Certificate.course))
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    )
    found = paginate(statement, page=page, per_page=per_page)
    return {"items": [_as_dict(c) for c in found.items], "page": found.page, "per_page": found.per_page, "total": found.total, "pages": found.pages}


@blp.route(f"{CERTIFICATE}/pdf")
@require("elearning.certificate")
@blp.doc(responses=PDF)
def certificate_pdf(certificate):
    """A certificate as a PDF, in its holder's language (the holder, or the library's coordinators)"""
    headers = {"Content-Disposition": f'attachment; filename="{document.filename(certificate)}"'}
    return Response(file_chunks(document.render(certificate)), mimetype="application/pdf", headers=headers)


@blp.route(f"{CERTIFICATE}/revoke", methods=["POST"])
@require("elearning.manage")
@blp.arguments(RevokeSchema)
@blp.response(200, CertificateSchema)
def revoke(body, certificate):
    """Revoke a certificate of the library's staff, with a reason (audited)"""
    services.revoke(certificate, body["reason"], current_user)
    db.session.commit()
    return _as_dict(certificate)


@public_blp.route("/<code>")
@public
@limiter.limit(VERIFY_RATE_LIMIT)
@public_blp.response(200, VerificationSchema)
@public_blp.doc(security=[], responses={"404": {"description": "No certificate has this code"}, **TOO_MANY})
def verify(code):
    """What a certificate code verifies: initials, course, date, issuer and validity, and nothing else"""
    found = services.verify(code, utcnow().date())
    if found is None:
        abort(404, message=str(CERTIFICATE_NOT_FOUND))
    return {
        "initials": found.initials, "course": text(found.course_title), "issued_on": found.issued_on, "library": found.library,
        "project": found.project, "status": found.status.value, "valid_until": found.valid_until, "revoked_on": found.revoked_on,
    }
