"""API: borrowers, loans (lend, renew, return, check) and reservations.

Every write goes through `services` and is committed here on success; the services' refusals are the core's
problem+json: a 422 with field errors named as in the request body, or a 409 when the item cannot be lent or
reserved now (on loan, reserved for someone else, in cleaning...) or the loan's state does not allow the action.
"""
from flask import jsonify, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
import sqlalchemy as sa

from bibnet.access import require
from bibnet.api.schemas import Day, PaginationArgs, object_id, page_of
from bibnet.extensions import db
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.bookings.schemas import Choice
from bibnet.tenants.lending import lookups, services  # noqa: F401  (lookups: the URL's borrower, loan, reservation)
from bibnet.tenants.lending.models import Borrower, BorrowerKind, Channel, Delivery, Loan, Reservation
from bibnet.web.pagination import paginate

blp = Blueprint("api_lending", __name__, url_prefix="/api/v1/tenants/<tenant_slug>", description="Lending equipment: borrowers, loans, reservations")

BORROWER = "/borrowers/<int:borrower_id>"
LOAN = "/loans/<int:loan_id>"
RESERVATION = "/reservations/<int:reservation_id>"
CONFLICT = {"description": "The item cannot be lent or reserved now, or the loan's state does not allow this"}


def _text(length: int, **options):
    return fields.String(validate=validate.Length(max=length, error=_l("Enter at most {max} characters.")), **options)


def _choice(enum_class, **options):
    choices = ", ".join(member.value for member in enum_class)
    return Choice(enum_class, by_value=True, error_messages={"unknown": _l("Choose one of: %(choices)s.", choices=choices)}, metadata={"description": choices}, **options)


# Schemas -------------------------------------------------------------------------------------------------------


class BorrowerInputSchema(Schema):
    kind = _choice(BorrowerKind, load_default=BorrowerKind.PERSON)
    name = _text(200, required=True)
    phone = _text(40, load_default="")
    email = _text(254, load_default="")
    address = _text(300, load_default="")
    contact_person = _text(200, load_default="")
    contact_phone = _text(40, load_default="")
    preferred_locale = fields.String(load_default="lv", validate=validate.OneOf(services.LOCALES, error=_l("Choose lv, lt or en.")))
    preferred_channel = _choice(Channel, load_default=Channel.PHONE)
    consent_on = Day(required=True)


class BorrowerSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.Enum(BorrowerKind, by_value=True, required=True)
    name = fields.String(required=True)
    phone = fields.String(required=True)
    email = fields.String(required=True)
    address = fields.String(required=True)
    contact_person = fields.String(required=True)
    contact_phone = fields.String(required=True)
    preferred_locale = fields.String(required=True)
    preferred_channel = fields.Enum(Channel, by_value=True, required=True)
    consent_on = fields.Date(required=True)
    erased = fields.Boolean(required=True, metadata={"description": "Whether retention erased the personal data"})


class BorrowerArgs(PaginationArgs):
    q = _text(100, metadata={"description": "Part of the name, phone or e-mail address"})


class LoanInputSchema(Schema):
    item_id = object_id(required=True)
    borrower_id = object_id(required=True)
    due_on = Day(required=True)
    target_group = _choice(TargetGroup, required=True)
    delivery = _choice(Delivery, load_default=Delivery.DESK)
    volunteer_name = _text(200, load_default="")
    staff_id = object_id(allow_none=True, load_default=None, metadata={"description": "The member of staff who delivers it (home delivery by staff) and whose route it is on; the lender when not given"})
    acceptance_signed_on = Day(allow_none=True, load_default=None, metadata={"description": "The day the borrower signed the acceptance on paper"})
    notes = _text(2000, load_default="")


class LoanSchema(Schema):
    id = fields.Integer(required=True)
    item_id = fields.Integer(required=True)
    borrower_id = fields.Integer(required=True)
    lent_on = fields.Date(required=True)
    due_on = fields.Date(required=True)
    renewals = fields.Integer(required=True)
    delivery = fields.Enum(Delivery, by_value=True, required=True)
    volunteer_name = fields.String(required=True)
    staff_id = fields.Integer(allow_none=True, required=True)
    target_group = fields.Enum(TargetGroup, by_value=True, required=True)
    acceptance_signed_on = fields.Date(allow_none=True, required=True)
    acceptance_scanned = fields.Function(lambda loan: loan.acceptance_file_id is not None, required=True)
    returned_on = fields.Date(allow_none=True, required=True)
    checked_on = fields.Date(allow_none=True, required=True)
    missing_parts = fields.String(required=True)
    notes = fields.String(required=True)


class LoanArgs(PaginationArgs):
    open = fields.Boolean(metadata={"description": "Only open loans (true) or only returned ones (false)"})
    overdue = fields.Boolean(metadata={"description": "Only open loans past their due date"})
    borrower_id = object_id()


class RenewSchema(Schema):
    due_on = Day(required=True)


class ReturnSchema(Schema):
    notes = _text(2000, load_default="")


class CheckSchema(Schema):
    present_part_ids = fields.List(object_id(), load_default=list, validate=validate.Length(max=200), metadata={"description": "The parts of a kit that came back; the others are marked lost"})


class ReservationInputSchema(Schema):
    item_id = object_id(required=True)
    starts_on = Day(required=True)
    ends_on = Day(required=True)
    borrower_id = object_id(allow_none=True, load_default=None)
    purpose = _text(200, load_default="")


class ReservationSchema(Schema):
    id = fields.Integer(required=True)
    item_id = fields.Integer(required=True)
    borrower_id = fields.Integer(allow_none=True, required=True)
    purpose = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    active = fields.Function(lambda reservation: reservation.closed_at is None, required=True)
    loan_id = fields.Integer(allow_none=True, required=True)


BorrowerPageSchema = page_of(BorrowerSchema, "BorrowerPageSchema")
LoanPageSchema = page_of(LoanSchema, "LoanPageSchema")
ReservationPageSchema = page_of(ReservationSchema, "ReservationPageSchema")


def _created(schema, row, endpoint: str, **values):
    response = jsonify(schema().dump(row))  # before the commit, which would expire the row
    response.status_code = 201
    response.headers["Location"] = url_for(endpoint, **values)
    db.session.commit()
    return response


# Borrowers -----------------------------------------------------------------------------------------------------


@blp.route("/borrowers")
@require("lending.lend")
@blp.arguments(BorrowerArgs, location="query", as_kwargs=True)
@blp.response(200, BorrowerPageSchema)
def list_borrowers(page, per_page, q=None):
    """Borrowers of record, by name; search by part of the name, phone or e-mail"""
    statement = sa.select(Borrower).order_by(Borrower.name, Borrower.id)
    if q and q.strip():
        pattern = f"%{q.strip().lower()}%"
        statement = statement.where(sa.or_(sa.func.lower(Borrower.name).like(pattern), Borrower.phone.like(pattern), sa.func.lower(Borrower.email).like(pattern)))
    return paginate(statement, page=page, per_page=per_page)


@blp.route("/borrowers", methods=["POST"])
@require("lending.lend")
@blp.arguments(BorrowerInputSchema)
@blp.response(201, BorrowerSchema)
def create_borrower(body):
    """Register a borrower: a person, or an institution with its responsible person"""
    borrower = services.save_borrower(services.BorrowerInput(**body))
    return _created(BorrowerSchema, borrower, ".get_borrower", borrower_id=borrower.id)


@blp.route(BORROWER)
@require("lending.lend")
@blp.response(200, BorrowerSchema)
def get_borrower(borrower):
    """One borrower"""
    return borrower


@blp.route(BORROWER, methods=["PUT"])
@require("lending.lend")
@blp.arguments(BorrowerInputSchema)
@blp.response(200, BorrowerSchema)
@blp.alt_response(409, **CONFLICT)
def change_borrower(body, borrower):
    """Change a borrower's details (not of one whose data was erased)"""
    services.save_borrower(services.BorrowerInput(**body), borrower)
    db.session.commit()
    return borrower


# Loans ---------------------------------------------------------------------------------------------------------


@blp.route("/loans")
@require("lending.lend")
@blp.arguments(LoanArgs, location="query", as_kwargs=True)
@blp.response(200, LoanPageSchema)
def list_loans(page, per_page, open=None, overdue=None, borrower_id=None):
    """Loans, the soonest due first"""
    statement = sa.select(Loan).order_by(Loan.due_on, Loan.id)
    if open is not None:
        statement = statement.where(Loan.returned_on.is_(None) if open else Loan.returned_on.is_not(None))
    if overdue:
        statement = statement.where(Loan.returned_on.is_(None), Loan.due_on < services.today())
    if borrower_id is not None:
        statement = statement.where(Loan.borrower_id == borrower_id)
    return paginate(statement, page=page, per_page=per_page)


@blp.route("/loans", methods=["POST"])
@require("lending.lend")
@blp.arguments(LoanInputSchema)
@blp.response(201, LoanSchema)
@blp.alt_response(409, **CONFLICT)
def lend(body):
    """Lend an available item or kit (or one reserved for this borrower) to a borrower"""
    loan = services.lend(services.LoanInput(**body), by=current_user)
    return _created(LoanSchema, loan, ".get_loan", loan_id=loan.id)


@blp.route(LOAN)
@require("lending.lend")
@blp.response(200, LoanSchema)
def get_loan(loan):
    """One loan"""
    return loan


@blp.route(LOAN + "/renew", methods=["POST"])
@require("lending.lend")
@blp.arguments(RenewSchema)
@blp.response(200, LoanSchema)
@blp.alt_response(409, **CONFLICT)
def renew(body, loan):
    """Renew an open loan until a later due date"""
    services.renew(loan, body["due_on"])
    db.session.commit()
    return loan


@blp.route(LOAN + "/return", methods=["POST"])
@require("lending.lend")
@blp.arguments(ReturnSchema)
@blp.response(200, LoanSchema)
@blp.alt_response(409, **CONFLICT)
def return_loan(body, loan):
    """Take the item back: the loan closes and the item goes to cleaning"""
    services.return_loan(loan, body["notes"])
    db.session.commit()
    return loan


@blp.route(LOAN + "/check", methods=["POST"])
@require("lending.lend")
@blp.arguments(CheckSchema)
@blp.response(200, LoanSchema)
@blp.alt_response(409, **CONFLICT)
def check(body, loan):
    """After cleaning: the kit's parts not listed as present are lost; the item is available again"""
    services.check(loan, set(body["present_part_ids"]))
    db.session.commit()
    return loan


# Reservations --------------------------------------------------------------------------------------------------


@blp.route("/reservations")
@require("lending.lend")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, ReservationPageSchema)
def list_reservations(page, per_page):
    """Active reservations, the soonest first"""
    statement = sa.select(Reservation).where(Reservation.closed_at.is_(None)).order_by(Reservation.starts_on, Reservation.id)
    return paginate(statement, page=page, per_page=per_page)


@blp.route("/reservations", methods=["POST"])
@require("lending.lend")
@blp.arguments(ReservationInputSchema)
@blp.response(201, ReservationSchema)
@blp.alt_response(409, **CONFLICT)
def reserve(body):
    """Reserve an item for future dates, for a borrower or a purpose"""
    reservation = services.reserve(services.ReservationInput(**body), by=current_user)
    return _created(ReservationSchema, reservation, ".get_reservation", reservation_id=reservation.id)


@blp.route(RESERVATION)
@require("lending.lend")
@blp.response(200, ReservationSchema)
def get_reservation(reservation):
    """One reservation"""
    return reservation


@blp.route(RESERVATION + "/cancel", methods=["POST"])
@require("lending.lend")
@blp.response(200, ReservationSchema)
@blp.alt_response(409, **CONFLICT)
@blp.alt_response(422, "UNPROCESSABLE_ENTITY")
def cancel_reservation(reservation):
    """Cancel an active reservation"""
    services.cancel_reservation(reservation)
    db.session.commit()
    return reservation
