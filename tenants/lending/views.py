"""Pages of lending: the loans (open, overdue, idle, to check), borrowers, lending, a loan with its renewals,
the return desk, the check after cleaning, and reservations.

Every change goes through `services`, inside `saving`: committed on success, or shown as the form with its
errors (422) or the page with the reason (409), with nothing written.
"""
from datetime import timedelta

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import allowed, require
from bibnet.accounts.models import User
from bibnet.accounts.services import active_members
from bibnet.audit.models import AuditEntry
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.storage.backends import delete_stored_quietly
from bibnet.storage.uploads import DOCUMENTS, store_upload
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.models import Item, ItemStatus
from bibnet.tenants.lending import lookups, overdue, services  # noqa: F401  (lookups: the URL's borrower, loan, reservation)
from bibnet.tenants.lending.forms import (
    CHANNEL_LABELS,
    DELIVERY_LABELS,
    KIND_LABELS,
    LOCALE_LABELS,
    TARGET_GROUP_LABELS,
    BorrowerForm,
    LendForm,
    RenewForm,
    ReservationForm,
    ReturnForm,
    SearchForm,
)
from bibnet.tenants.lending.models import Borrower, BorrowerKind, Channel, Delivery, Loan, Reservation
from bibnet.web import menu
from bibnet.web.fields import parse_whole_number
from bibnet.web.forms import has_errors, saving
from bibnet.web.pagination import paginate

bp = Blueprint("lending", __name__, url_prefix="/t/<tenant_slug>/lending", template_folder="templates")
menu.register(_l("Lending"), "lending.index", "lending.lend")

ACCEPTANCE_AREA = "lending.acceptance"
BORROWERS_OFFERED = 500  # the borrower choice on the lending form; a borrower's own page lends to them directly
HISTORY_SHOWN = 50
SHOWS = {"open": _l("Open loans"), "overdue": _l("Overdue"), "idle": _l("Use it or return it"), "check": _l("To check after cleaning")}


@bp.app_context_processor
def labels():
    return {
        "LENDING_KIND_LABELS": KIND_LABELS, "LENDING_CHANNEL_LABELS": CHANNEL_LABELS, "LENDING_DELIVERY_LABELS": DELIVERY_LABELS,
        "LENDING_TARGET_GROUP_LABELS": TARGET_GROUP_LABELS, "LENDING_LOCALE_LABELS": LOCALE_LABELS,
    }


# --- Loans ----------------------------------------------------------------------------------------------------

@bp.route("/")
@require("lending.lend")
def index():
    """The loans: open ones, the overdue, those idle for months ("use it or return it"), and those to check."""
    show = request.args.get("show", "open")
    if show not in SHOWS:
        show = "open"
    today = services.today()
    statement = sa.select(Loan).options(joinedload(Loan.item), joinedload(Loan.borrower), joinedload(Loan.staff))
    if show == "check":
        statement = statement.join(Loan.item).where(Loan.returned_on.is_not(None), Loan.checked_on.is_(None), Item.status == ItemStatus.CLEANING).order_by(Loan.returned_on, Loan.id)
    else:
        statement = statement.where(Loan.returned_on.is_(None)).order_by(Loan.due_on, Loan.id)
        if show == "overdue":
            statement = statement.where(Loan.due_on < today)
        elif show == "idle":
            statement = statement.where(Loan.last_seen_on <= overdue.idle_since(today))
    page = paginate(statement)
    return render_template("lending/index.html", page=page, show=show, shows=SHOWS, today=today, idle_since=overdue.idle_since(today))


def _borrower_choices() -> list:
    rows = db.session.execute(
        sa.select(Borrower.id, Borrower.name).where(Borrower.erased_at.is_(None)).order_by(Borrower.name, Borrower.id).limit(BORROWERS_OFFERED)
    ).all()
    return [("", _("Choose a borrower")), *((str(row_id), name) for row_id, name in rows)]


def _lend_page(form, error=None, status=None):
    status = status or (422 if (error or has_errors(form)) else 200)
    return render_template("lending/lend.html", form=form, error=error), status


@bp.route("/lend", methods=["GET", "POST"])
@require("lending.lend")
def lend():
    form = LendForm()
    form.borrower.choices = _borrower_choices()
    form.staff.choices = [("", _("Me"))] + [(str(user.id), user.name) for user in active_members()]
    if request.method == "GET":
        form.tag.data = request.args.get("item", "")[:30]
        form.borrower.data = request.args.get("borrower", "")
        form.due_on.data = services.today() + timedelta(weeks=4)
        form.acceptance_signed_on.data = services.today()
        return _lend_page(form)
    if not form.validate_on_submit():
        return _lend_page(form)
    item = inventory.by_tag(form.tag.data or "")
    if item is None:
        form.tag.errors = [_("No item has this tag. Scan the label again or type the tag, like BN-00012.")]
        return _lend_page(form)
    stored_keys: list[str] = []
    with saving(form, rename={"item_id": "tag", "borrower_id": "borrower", "staff_id": "staff"}) as outcome:
        scan = request.files.get(form.acceptance_scan.name)
        scan_id = None
        if scan and scan.filename:
            try:
                stored = store_upload(scan.read(), scan.filename, ACCEPTANCE_AREA, DOCUMENTS, current_app.config["MAX_CONTENT_LENGTH"], uploaded_by=current_user)
                scan_id, stored_keys = stored.id, [stored.key]
            except Refused as refusal:
                raise Refused({"acceptance_scan": refusal.errors.get("file", [])}) from refusal
        loan = services.lend(services.LoanInput(
            item_id=item.id, borrower_id=parse_whole_number(form.borrower.data) or 0,
            due_on=form.due_on.data, target_group=TargetGroup(form.target_group.data), delivery=Delivery(form.delivery.data),
            volunteer_name=form.volunteer_name.data or "", staff_id=parse_whole_number(form.staff.data),
            acceptance_signed_on=form.acceptance_signed_on.data if form.acceptance_on_paper.data else None,
            acceptance_file_id=scan_id, notes=form.notes.data or "",
        ), by=current_user)
    if outcome.refused:
        for key in stored_keys:  # the refused loan's scan names a person: its record is rolled back, so are its bytes
            delete_stored_quietly(key)
        return _lend_page(form, error=outcome.error, status=outcome.refusal.status)
    flash(_("%(item)s is lent until %(day)s.", item=item.name, day=loan.due_on.isoformat()), "success")
    return redirect(url_for("lending.loan", loan_id=loan.id))


def _loan_history(loan) -> list:
    return db.session.execute(
        sa.select(AuditEntry, User.name).outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.object_type == "Loan", AuditEntry.object_id == loan.id, AuditEntry.tenant_id == g.tenant.id)
        .order_by(AuditEntry.at, AuditEntry.id).limit(HISTORY_SHOWN)
    ).all()


def _loan_page(loan, renew_form=None, error=None, status=200):
    return render_template(
        "lending/loan.html", loan=loan, history=_loan_history(loan), renew_form=renew_form or RenewForm(formdata=None),
        today=services.today(), error=error, idle=overdue.is_idle(loan, services.today()),
    ), status


@bp.route("/loans/<int:loan_id>")
@require("lending.lend")
def loan(loan):
    return _loan_page(loan)


@bp.route("/loans/<int:loan_id>/renew", methods=["POST"])
@require("lending.lend")
def renew(loan):
    form = RenewForm()
    if not form.validate_on_submit():
        return _loan_page(loan, form, status=422)
    with saving(form) as outcome:
        services.renew(loan, form.due_on.data)
    if outcome.refused:
        return _loan_page(loan, form, error=outcome.error, status=outcome.refusal.status)
    flash(_("The loan is renewed until %(day)s.", day=loan.due_on.isoformat()), "success")
    return redirect(url_for("lending.loan", loan_id=loan.id))


def _return_page(form, error=None, status=None, returned=None):
    status = status or (422 if (error or has_errors(form)) else 200)
    return render_template("lending/return.html", form=form, error=error, returned=returned), status


@bp.route("/return", methods=["GET", "POST"])
@require("lending.lend")
def return_desk():
    """The return desk: scan or type the tag; the loan closes and the item goes to cleaning."""
    form = ReturnForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _return_page(form)
    item = inventory.by_tag(form.tag.data or "")
    loan = services.open_loan_of(item.id) if item is not None else None
    if loan is None:
        form.tag.errors = [_("No item on loan has this tag.")]
        return _return_page(form)
    with saving(form) as outcome:
        services.return_loan(loan, form.notes.data or "")
    if outcome.refused:
        return _return_page(form, error=outcome.error, status=outcome.refusal.status)
    flash(_("%(item)s is back and goes to cleaning. Check it when it is clean.", item=item.name), "success")
    return redirect(url_for("lending.check", loan_id=loan.id))


@bp.route("/loans/<int:loan_id>/return", methods=["POST"])
@require("lending.lend")
def return_loan(loan):
    with saving() as outcome:
        services.return_loan(loan)
    if outcome.refused:
        return _loan_page(loan, error=outcome.error, status=outcome.refusal.status)
    flash(_("%(item)s is back and goes to cleaning. Check it when it is clean.", item=loan.item.name), "success")
    return redirect(url_for("lending.check", loan_id=loan.id))


@bp.route("/loans/<int:loan_id>/check", methods=["GET", "POST"])
@require("lending.lend")
def check(loan):
    """After cleaning: tick the parts of a kit that are there; the item is available again."""
    parts = services.kit_parts(loan.item)
    error, status = None, 200
    if request.method == "POST":  # CSRFProtect has checked the token; the checklist is built from the kit's parts
        present = {number for value in request.form.getlist("present") if (number := parse_whole_number(value)) is not None}
        with saving() as outcome:
            missing = services.check(loan, present)
        if outcome.refused:
            error, status = outcome.error, outcome.refusal.status
        else:
            if missing:
                flash(_("%(item)s is available again. Missing: %(parts)s (marked as lost).", item=loan.item.name, parts=", ".join(part.name for part in missing)), "warning")
            else:
                flash(_("%(item)s is checked and available again.", item=loan.item.name), "success")
            return redirect(url_for("lending.index", show="check"))
    return render_template("lending/check.html", loan=loan, parts=parts, error=error), status


# --- Borrowers ------------------------------------------------------------------------------------------------

@bp.route("/borrowers/")
@require("lending.lend")
def borrowers():
    search = SearchForm(formdata=request.args)
    statement = sa.select(Borrower).order_by(Borrower.erased_at.is_not(None), Borrower.name, Borrower.id)
    words = (search.q.data or "").strip()[:100]
    if words:
        pattern = f"%{words.lower()}%"
        statement = statement.where(sa.or_(sa.func.lower(Borrower.name).like(pattern), Borrower.phone.like(pattern), sa.func.lower(Borrower.email).like(pattern)))
    page = paginate(statement)
    return render_template("lending/borrowers.html", page=page, search=search, words=words)


def _borrower_input(form) -> services.BorrowerInput:
    return services.BorrowerInput(
        kind=BorrowerKind(form.kind.data) if form.kind.data in BorrowerKind._value2member_map_ else BorrowerKind.PERSON,
        name=form.name.data or "", phone=form.phone.data or "", email=form.email.data or "", address=form.address.data or "",
        contact_person=form.contact_person.data or "", contact_phone=form.contact_phone.data or "",
        preferred_locale=form.preferred_locale.data or "", consent_on=form.consent_on.data,
        preferred_channel=Channel(form.preferred_channel.data) if form.preferred_channel.data in Channel._value2member_map_ else Channel.PHONE,
    )


def _borrower_form_page(form, borrower=None, error=None):
    status = 422 if (error or has_errors(form)) else 200
    return render_template("lending/borrower_form.html", form=form, borrower=borrower, error=error), status


@bp.route("/borrowers/new", methods=["GET", "POST"])
@require("lending.lend")
def new_borrower():
    form = BorrowerForm()
    if request.method == "GET":
        form.consent_on.data = services.today()
    elif form.validate_on_submit():
        with saving(form) as outcome:
            borrower = services.save_borrower(_borrower_input(form))
        if not outcome.refused:
            flash(_("The borrower is registered."), "success")
            return redirect(url_for("lending.borrower", borrower_id=borrower.id))
        return _borrower_form_page(form, error=outcome.error)
    return _borrower_form_page(form)


@bp.route("/borrowers/<int:borrower_id>/edit", methods=["GET", "POST"])
@require("lending.lend")
def edit_borrower(borrower):
    if borrower.erased:
        return _borrower_page(borrower, error=_("The personal data of this borrower was erased; the record cannot be changed."), status=409)
    form = BorrowerForm(obj=borrower if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data, form.preferred_channel.data = borrower.kind.value, borrower.preferred_channel.value
    elif form.validate_on_submit():
        with saving(form) as outcome:
            services.save_borrower(_borrower_input(form), borrower)
        if not outcome.refused:
            flash(_("The changes are saved."), "success")
            return redirect(url_for("lending.borrower", borrower_id=borrower.id))
        return _borrower_form_page(form, borrower, error=outcome.error)
    return _borrower_form_page(form, borrower)


def _borrower_page(borrower, error=None, status=200):
    loans = paginate(sa.select(Loan).where(Loan.borrower_id == borrower.id).options(joinedload(Loan.item)).order_by(Loan.returned_on.is_not(None), Loan.lent_on.desc(), Loan.id.desc()))
    return render_template("lending/borrower.html", borrower=borrower, loans=loans, today=services.today(), error=error), status


@bp.route("/borrowers/<int:borrower_id>")
@require("lending.lend")
def borrower(borrower):
    return _borrower_page(borrower)


# --- Reservations ---------------------------------------------------------------------------------------------

def _reservations_page(form, error=None, status=None):
    status = status or (422 if (error or has_errors(form)) else 200)
    page = paginate(
        sa.select(Reservation).where(Reservation.closed_at.is_(None), Reservation.ends_on >= services.today())
        .options(joinedload(Reservation.item), joinedload(Reservation.borrower)).order_by(Reservation.starts_on, Reservation.id)
    )
    return render_template("lending/reservations.html", form=form, page=page, error=error), status


@bp.route("/reservations/", methods=["GET", "POST"])
@require("lending.lend")
def reservations():
    form = ReservationForm()
    form.borrower.choices = [("", _("No borrower")), *_borrower_choices()[1:]]
    if request.method == "GET":
        form.tag.data = request.args.get("item", "")[:30]
        return _reservations_page(form)
    if not form.validate_on_submit():
        return _reservations_page(form)
    item = inventory.by_tag(form.tag.data or "")
    if item is None:
        form.tag.errors = [_("No item has this tag. Scan the label again or type the tag, like BN-00012.")]
        return _reservations_page(form)
    with saving(form, rename={"item_id": "tag", "borrower_id": "borrower"}) as outcome:
        services.reserve(services.ReservationInput(
            item_id=item.id, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
            borrower_id=parse_whole_number(form.borrower.data), purpose=form.purpose.data or "",
        ), by=current_user)
    if outcome.refused:
        return _reservations_page(form, error=outcome.error, status=outcome.refusal.status)
    flash(_("%(item)s is reserved.", item=item.name), "success")
    return redirect(url_for("lending.reservations"))


@bp.route("/reservations/<int:reservation_id>/cancel", methods=["POST"])
@require("lending.lend")
def cancel_reservation(reservation):
    form = ReservationForm(formdata=None)
    form.borrower.choices = []
    with saving() as outcome:
        services.cancel_reservation(reservation)
    if outcome.refused:
        return _reservations_page(form, error=outcome.error, status=outcome.refusal.status)
    flash(_("The reservation is cancelled."), "success")
    return redirect(url_for("lending.reservations"))


def may_see_acceptance() -> bool:
    """A scan of a signed acceptance: for those who lend (the file's tenant is checked by the storage)."""
    return allowed("lending.lend")
