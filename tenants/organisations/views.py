"""Pages of the partners' register: the organisations (paginated), one organisation with its agreements, the
programmes it co-organised and the people it referred, and the forms to add and edit them. The one menu entry,
"Partners", leads here; the services log and the needs estimates (`bibnet.tenants.outreach`) are linked from it."""
from datetime import date, timedelta

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import require
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.storage.backends import delete_stored_quietly
from bibnet.storage.uploads import DOCUMENTS, store_upload
from bibnet.tenants.organisations import services
from bibnet.tenants.organisations.forms import AgreementForm, OrganisationForm
from bibnet.tenants.organisations.labels import KIND_LABELS
from bibnet.tenants.organisations.models import Agreement, Organisation
from bibnet.tenants.organisations.reminders import REMINDER_DAYS
from bibnet.tenants.programmes.models import Programme, ProgrammeOrganisation, Registration
from bibnet.web import menu
from bibnet.web.forms import saving
from bibnet.web.pagination import paginate

bp = Blueprint("organisations", __name__, url_prefix="/t/<tenant_slug>/partners", template_folder="templates")
EXPIRING_SHOWN = 20  # the agreements expiring soon listed above the register; a library has a handful
PROGRAMMES_SHOWN = 50
OPEN_ENDED = date.max  # an agreement without an expiry day, when the latest expiry is looked for

menu.register(_l("Partners"), "organisations.index", "organisations.manage", group=menu.OUTREACH)


@bp.app_context_processor
def _labels():
    return {"organisation_kind_labels": KIND_LABELS}


def _form_page(template: str, form, status: int | None = None, **context):
    return render_template(template, form=form, **context), status or (422 if form.errors or context.get("error") else 200)


def _counts(column, organisation_ids: list[int], *where) -> dict[int, int]:
    if not organisation_ids:
        return {}
    return dict(db.session.execute(sa.select(column, sa.func.count()).where(column.in_(organisation_ids), *where).group_by(column)).all())


@bp.route("/")
@require("organisations.manage")
def index():
    """The register, active organisations first (or the deactivated ones), with what each does with the library:
    a page of organisations and three grouped counts, whatever the number of rows."""
    inactive = request.args.get("show") == "inactive"
    page = paginate(sa.select(Organisation).where(Organisation.active.is_(not inactive)).order_by(Organisation.name, Organisation.id))
    ids = [organisation.id for organisation in page.items]
    today = g.tenant.today()
    in_force = dict(db.session.execute(
        sa.select(Agreement.organisation_id, sa.func.max(sa.func.coalesce(Agreement.expires_on, sa.literal(OPEN_ENDED))))
        .where(Agreement.organisation_id.in_(ids), Agreement.signed_on <= today, sa.or_(Agreement.expires_on.is_(None), Agreement.expires_on >= today))
        .group_by(Agreement.organisation_id)
    ).all()) if ids else {}
    expiring = db.session.scalars(
        sa.select(Agreement).options(joinedload(Agreement.organisation))
        .where(Agreement.expires_on.between(today, today + timedelta(days=max(REMINDER_DAYS))))
        .order_by(Agreement.expires_on, Agreement.id).limit(EXPIRING_SHOWN)
    ).all()
    return render_template(
        "organisations/index.html", page=page, inactive=inactive, expiring=expiring, in_force=in_force, open_ended=OPEN_ENDED,
        referred=_counts(Registration.referred_by_id, ids), co_organised=_counts(ProgrammeOrganisation.organisation_id, ids),
    )


@bp.route("/new", methods=["GET", "POST"])
@require("organisations.manage")
def new():
    form = OrganisationForm()
    if form.validate_on_submit():
        with saving(form) as outcome:
            organisation = services.add_organisation(form.organisation_input())
        if outcome.saved:
            flash(_("The organisation is added."), "success")
            return redirect(url_for("organisations.show", organisation_id=organisation.id))
        return _form_page("organisations/form.html", form, error=outcome.error, organisation=None)
    return _form_page("organisations/form.html", form, error=None, organisation=None)


@bp.route("/<int:organisation_id>/")
@require("organisations.manage")
def show(organisation):
    agreements = db.session.scalars(
        sa.select(Agreement).options(joinedload(Agreement.document)).where(Agreement.organisation_id == organisation.id).order_by(Agreement.signed_on.desc(), Agreement.id.desc())
    ).all()
    programmes = db.session.scalars(
        sa.select(Programme).join(ProgrammeOrganisation, ProgrammeOrganisation.programme_id == Programme.id)
        .where(ProgrammeOrganisation.organisation_id == organisation.id).order_by(Programme.id.desc()).limit(PROGRAMMES_SHOWN)
    ).all()
    referred = db.session.scalar(sa.select(sa.func.count(Registration.id)).where(Registration.referred_by_id == organisation.id))
    locale = str(get_locale())
    titles = {programme.id: programme.title.get(locale) or next(iter(programme.title.values()), "") for programme in programmes}
    return render_template("organisations/show.html", organisation=organisation, agreements=agreements, programmes=programmes, titles=titles, referred=referred, today=g.tenant.today())


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@require("organisations.manage")
def edit(organisation):
    form = OrganisationForm(obj=organisation)
    if request.method == "GET":
        form.kind.data = organisation.kind.value
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.update_organisation(organisation, form.organisation_input())
        if outcome.saved:
            flash(_("The organisation is saved."), "success")
            return redirect(url_for("organisations.show", organisation_id=organisation.id))
        return _form_page("organisations/form.html", form, error=outcome.error, organisation=organisation)
    return _form_page("organisations/form.html", form, error=None, organisation=organisation)


@bp.route("/<int:organisation_id>/active", methods=["POST"])
@require("organisations.manage")
def set_active(organisation):
    """Deactivate the organisation, or activate it again (`active` = "1")."""
    active = request.form.get("active") == "1"
    with saving():
        services.set_active(organisation, active)
    flash(_("The organisation is active again.") if active else _("The organisation is deactivated."), "success")
    return redirect(url_for("organisations.show", organisation_id=organisation.id))


def _save_agreement(form, store) -> tuple:
    """Store the uploaded document (checked by its content) and run `store(document_id)` in one saving block; a
    refused agreement leaves neither its row nor the document's bytes."""
    stored_keys: list[str] = []
    with saving(form) as outcome:
        upload = request.files.get(form.document.name)
        document_id = None
        if upload and upload.filename:
            try:
                stored = store_upload(upload.read(), upload.filename, services.AGREEMENT_AREA, DOCUMENTS, current_app.config["MAX_CONTENT_LENGTH"], uploaded_by=current_user)
            except Refused as refusal:
                raise Refused({"document": refusal.errors.get("file", [])}) from refusal
            document_id, stored_keys = stored.id, [stored.key]
        result = store(document_id)
    if outcome.refused:
        for key in stored_keys:
            delete_stored_quietly(key)
    return outcome, (result if outcome.saved else None)


@bp.route("/<int:organisation_id>/agreements/new", methods=["GET", "POST"])
@require("organisations.manage")
def new_agreement(organisation):
    form = AgreementForm()
    if request.method == "GET":
        form.parties.data = _("%(library)s and %(organisation)s", library=g.tenant.name, organisation=organisation.name)
    if form.validate_on_submit():
        outcome, _agreement = _save_agreement(form, lambda document_id: services.add_agreement(organisation, form.agreement_input(), document_id))
        if outcome.saved:
            flash(_("The agreement is recorded."), "success")
            return redirect(url_for("organisations.show", organisation_id=organisation.id))
        organisation = db.session.scalar(sa.select(Organisation).where(Organisation.id == organisation.id))
        return _form_page("organisations/agreement_form.html", form, error=outcome.error, organisation=organisation, agreement=None)
    return _form_page("organisations/agreement_form.html", form, error=None, organisation=organisation, agreement=None)


@bp.route("/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@require("organisations.manage")
def edit_agreement(agreement):
    form = AgreementForm(obj=agreement)
    if form.validate_on_submit():
        outcome, _agreement = _save_agreement(form, lambda document_id: services.update_agreement(agreement, form.agreement_input(), document_id))
        if outcome.saved:
            flash(_("The agreement is saved."), "success")
            return redirect(url_for("organisations.show", organisation_id=agreement.organisation_id))
        agreement = db.session.scalar(sa.select(Agreement).options(joinedload(Agreement.organisation), joinedload(Agreement.document)).where(Agreement.id == agreement.id))
        return _form_page("organisations/agreement_form.html", form, error=outcome.error, organisation=agreement.organisation, agreement=agreement)
    return _form_page("organisations/agreement_form.html", form, error=None, organisation=agreement.organisation, agreement=agreement)
