"""Certificate pages: a learner's certificates and their PDFs, the coordinator's list of the staff's certificates
(revoke with a reason, enrol again for a refresher), the courses the library requires for gated actions, and the
public verification page `/verify/<code>`, which anyone may open without logging in.
"""
from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import public, require
from bibnet.accounts.models import User
from bibnet.db import utcnow
from bibnet.elearning.catalogue import published_for_current_tenant
from bibnet.elearning.certificates import document, services, training_gates
from bibnet.elearning.certificates.forms import RequirementForm, RevokeForm, VerifyForm
from bibnet.elearning.certificates.models import Certificate, CourseRequirement
from bibnet.elearning.languages import text
from bibnet.elearning.models import Course
from bibnet.extensions import db, limiter
from bibnet.web.downloads import file_chunks
from bibnet.web.forms import saving
from bibnet.web.pagination import paginate

bp = Blueprint("certificates", __name__, url_prefix="/t/<tenant_slug>/elearning", template_folder="../templates")
public_bp = Blueprint("certificates_public", __name__, url_prefix="/verify")

# Like the other pages anyone can reach: enough for people checking certificates, too few to guess codes.
VERIFY_RATE_LIMIT = "30 per minute"
CERTIFICATE_NOT_FOUND = _l("No certificate has this code. Check the code on the certificate: it has ten letters and digits, like 7KQ4M-XW9RT.")


def _with_course_and_user(statement):
    return statement.options(joinedload(Certificate.course), joinedload(Certificate.user))


# --- Learners ---------------------------------------------------------------------------------------------------

@bp.route("/certificates/")
@require("elearning.learn")
def mine():
    page = paginate(_with_course_and_user(sa.select(Certificate).where(Certificate.user_id == current_user.id)).order_by(Certificate.issued_at.desc(), Certificate.id.desc()))
    return render_template("elearning/certificates/mine.html", page=page, today=g.tenant.today(), services=services)


@bp.route("/certificates/<int:certificate_id>.pdf")
@require("elearning.certificate")
def download(certificate):
    headers = {"Content-Disposition": f'attachment; filename="{document.filename(certificate)}"'}
    return Response(file_chunks(document.render(certificate)), mimetype="application/pdf", headers=headers)


# --- Coordinators -----------------------------------------------------------------------------------------------

@bp.route("/manage/certificates/")
@require("elearning.manage")
def staff():
    page = paginate(
        _with_course_and_user(sa.select(Certificate).join(User, User.id == Certificate.user_id)).order_by(User.name, User.id, Certificate.issued_at.desc(), Certificate.id.desc())
    )
    return render_template("elearning/certificates/staff.html", page=page, today=g.tenant.today(), services=services)


@bp.route("/manage/certificates/<int:certificate_id>/revoke", methods=["GET", "POST"])
@require("elearning.manage")
def revoke(certificate):
    form = RevokeForm()
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.revoke(certificate, form.reason.data, current_user)
        if outcome.saved:
            flash(_("The certificate %(code)s is revoked.", code=services.shown(certificate.code)), "success")
            return redirect(url_for("certificates.staff"))
    page = render_template("elearning/certificates/revoke.html", form=form, certificate=certificate, services=services)
    return page, 422 if form.errors else 200


@bp.route("/manage/certificates/<int:certificate_id>/enrol-again", methods=["POST"])
@require("elearning.manage")
def enrol_again(certificate):
    with saving() as outcome:
        added = services.enrol_again(certificate, current_user)
    if outcome.refused:
        refusal = outcome.refusal
        return render_template("errors/error.html", code=refusal.status, title=_("The person could not be enrolled"), explanation=refusal.summary()), refusal.status
    if added:
        flash(_("%(name)s is enrolled in %(course)s again; the earlier certificate stays.", name=certificate.user.name, course=text(certificate.course.title)), "success")
    else:
        flash(_("%(name)s is already enrolled in %(course)s.", name=certificate.user.name, course=text(certificate.course.title)), "info")
    return redirect(url_for("certificates.staff"))


@bp.route("/manage/requirements", methods=["GET", "POST"])
@require("elearning.manage")
def requirements():
    courses = {course.id: course for course in db.session.scalars(published_for_current_tenant().order_by(Course.id))}
    labels = training_gates.gate_labels()
    form = RequirementForm(list(labels.items()), [(course_id, text(course.title)) for course_id, course in courses.items()])
    if form.validate_on_submit():
        with saving(form) as outcome:
            training_gates.add_requirement(form.action.data, form.course.data, courses)
        if outcome.saved:
            flash(_("The course is required for this action from now on."), "success")
            return redirect(url_for("certificates.requirements"))
    listed = paginate(sa.select(CourseRequirement).options(joinedload(CourseRequirement.course)).order_by(CourseRequirement.action, CourseRequirement.id))
    page = render_template("elearning/certificates/requirements.html", form=form, listed=listed, labels=labels)
    return page, 422 if form.errors else 200


@bp.route("/manage/requirements/<int:requirement_id>/remove", methods=["POST"])
@require("elearning.manage")
def remove_requirement(requirement):
    training_gates.remove_requirement(requirement)
    db.session.commit()
    flash(_("The course is no longer required for this action."), "success")
    return redirect(url_for("certificates.requirements"))


# --- Anyone: verification ---------------------------------------------------------------------------------------

@public_bp.route("/")
@public
@limiter.limit(VERIFY_RATE_LIMIT)
def verify_form():
    """The form to type a code; a typed code goes to its own address, in the form printed on certificates."""
    form = VerifyForm(request.args)
    typed = (request.args.get("code") or "").strip()
    if not typed:
        return render_template("elearning/certificates/verify.html", form=form, found=None)
    code = services.normalised(typed)
    if code is None:  # cannot be a code: answered here, as an unknown code is, whatever characters were typed
        return _not_found(form)
    return redirect(url_for("certificates_public.verify", code=services.shown(code)))


def _not_found(form):
    return render_template("elearning/certificates/verify.html", form=form, found=None, not_found=CERTIFICATE_NOT_FOUND), 404


@public_bp.route("/<code>")
@public
@limiter.limit(VERIFY_RATE_LIMIT)
def verify(code):
    found = services.verify(code, utcnow().date())
    form = VerifyForm(data={"code": code})
    if found is None:
        return _not_found(form)
    return render_template("elearning/certificates/verify.html", form=form, found=found, Validity=services.Validity)
