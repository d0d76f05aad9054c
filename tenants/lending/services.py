"""The only code that writes borrowers, loans and reservations (pages and API both call it). Each function
checks first and raises `Refused` (nothing written), then writes; the caller commits.

No item on two open loans, no two overlapping reservations: writers of one item are serialised by a lock taken
before the checks (on PostgreSQL a transaction-level advisory lock, on SQLite a write to the item's row, which
takes SQLite's single writer lock), and the database has the last word: a partial unique index on the open loan
of an item (both databases) and, on PostgreSQL, an exclusion constraint over the active reservations' dates
(see the migration). Their errors are the same refusal as the check's.
"""
from dataclasses import dataclass
from datetime import date, timedelta
import enum

from flask import g
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from bibnet.accounts.services import active_members
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.refusals import Refused, refuse_if_any
from bibnet.tenancy.context import current_tenant_id, raw_sql, tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.models import GONE, Item, ItemKind, ItemStatus
from bibnet.tenants.lending.models import Borrower, BorrowerKind, Channel, Delivery, Loan, Reservation

ITEM_LOCK_NAMESPACE = 7002  # (namespace, item id) advisory locks; bookings' rooms use 7001
# A unique violation (the open-loan index), an exclusion violation (reservations) or a deadlock: "taken".
TAKEN_SQLSTATES = {"23505", "23P01", "40P01"}
LONGEST_LOAN_DAYS = 366
LOCALES = ("lv", "lt", "en")


class NotLendable(Refused):
    """The item cannot be lent (or reserved) now: on loan, reserved for someone else, in cleaning..."""

    status = 409
    title = _l("The item cannot be lent now")


def today() -> date:
    """The library's date (its time zone): the tenant of the request, or of the current scope in jobs and tests."""
    tenant = g.get("tenant")
    if tenant is None or tenant.id != current_tenant_id():
        tenant = db.session.get(Tenant, current_tenant_id())
    return tenant.today()


def _row(model, row_id: int | None):
    """The current tenant's row with this id, or None: a SELECT through the tenant guard (the identity map alone
    would answer for any tenant)."""
    if row_id is None:
        return None
    row = db.session.scalar(sa.select(model).where(model.id == row_id))
    return row if row is not None and row.tenant_id == current_tenant_id() else None


def lock_item(item_id: int) -> None:
    """Serialise the lending and reserving of one item until the end of the current transaction."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:namespace, :item)"), {"namespace": ITEM_LOCK_NAMESPACE, "item": item_id})
    else:
        with raw_sql("SQLite: a write to the item's row takes the writer lock"):
            db.session.execute(sa.text("UPDATE inventory_item SET id = id WHERE id = :item"), {"item": item_id})


def _is_taken_error(error: DBAPIError) -> bool:
    if db.session.get_bind().dialect.name == "sqlite":
        return isinstance(error, IntegrityError) and "loan.item_id" in str(error.orig)
    return getattr(error.orig, "sqlstate", None) in TAKEN_SQLSTATES


def _flush_or_taken(message) -> None:
    """Flush in a savepoint; the database's refusal of a second open loan or overlapping reservation is `message`."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except DBAPIError as error:
        if not _is_taken_error(error):
            raise
        raise NotLendable(detail=message) from error


# --- Borrowers ------------------------------------------------------------------------------------------------


@dataclass
class BorrowerInput:
    name: str
    consent_on: date | None
    kind: BorrowerKind = BorrowerKind.PERSON
    phone: str = ""
    email: str = ""
    address: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    preferred_locale: str = "lv"
    preferred_channel: Channel = Channel.PHONE


def _borrower_errors(data: BorrowerInput) -> dict:
    errors: dict[str, list] = {}
    if not data.name.strip():
        errors["name"] = [_l("Enter the borrower's name.")]
    if data.consent_on is None:
        errors["consent_on"] = [_l("Enter the date the borrower consented to their data being kept.")]
    elif data.consent_on > today():
        errors["consent_on"] = [_l("The consent date cannot be in the future.")]
    if data.kind is BorrowerKind.INSTITUTION and not data.contact_person.strip():
        errors["contact_person"] = [_l("Name the person responsible for the loans of the institution.")]
    if not (data.phone.strip() or data.email.strip() or data.address.strip()):
        errors["phone"] = [_l("Enter a phone number, an e-mail address or an address, so that the borrower can be reached.")]
    needs = {Channel.PHONE: "phone", Channel.SMS: "phone", Channel.EMAIL: "email", Channel.POST: "address", Channel.VISIT: "address"}[data.preferred_channel]
    if not getattr(data, needs).strip() and needs not in errors:
        errors.setdefault(needs, []).append(_l("The preferred channel needs this field."))
    if data.preferred_locale not in LOCALES:
        errors["preferred_locale"] = [_l("Choose Latvian, Lithuanian or English.")]
    return errors


def save_borrower(data: BorrowerInput, borrower: Borrower | None = None) -> Borrower:
    """Create a borrower (None) or change one; an erased borrower's record stays erased."""
    if borrower is not None and borrower.erased:
        raise Refused(status=409, detail=_l("The personal data of this borrower was erased; the record cannot be changed."))
    refuse_if_any(_borrower_errors(data))
    if borrower is None:
        borrower = Borrower()
        db.session.add(borrower)
    for name, value in vars(data).items():
        setattr(borrower, name, value.strip() if isinstance(value, str) and not isinstance(value, enum.Enum) else value)
    db.session.flush()
    return borrower


# --- Loans ----------------------------------------------------------------------------------------------------


@dataclass
class LoanInput:
    item_id: int
    borrower_id: int
    due_on: date | None
    target_group: TargetGroup
    delivery: Delivery = Delivery.DESK
    volunteer_name: str = ""
    staff_id: int | None = None
    acceptance_signed_on: date | None = None
    acceptance_file_id: int | None = None
    notes: str = ""


def _reservations_of(item_id: int, first: date, last: date) -> list[Reservation]:
    """Active reservations of the item overlapping [first, last]."""
    return list(db.session.scalars(
        sa.select(Reservation).where(
            Reservation.item_id == item_id, Reservation.closed_at.is_(None),
            Reservation.starts_on <= last, Reservation.ends_on >= first,
        ).order_by(Reservation.starts_on)
    ))


def open_loan_of(item_id: int) -> Loan | None:
    return db.session.scalar(sa.select(Loan).where(Loan.item_id == item_id, Loan.returned_on.is_(None)))


def _lend_errors(data: LoanInput, lent_on: date) -> dict:
    errors: dict[str, list] = {}
    if data.due_on is None:
        errors["due_on"] = [_l("Enter the date the item is due back.")]
    elif data.due_on < lent_on:
        errors["due_on"] = [_l("The due date cannot be before today.")]
    elif data.due_on > lent_on + timedelta(days=LONGEST_LOAN_DAYS):
        errors["due_on"] = [_l("A loan lasts at most a year; renew it when it ends.")]
    if data.delivery is Delivery.VOLUNTEER and not data.volunteer_name.strip():
        errors["volunteer_name"] = [_l("Name the volunteer who delivers it.")]
    if data.acceptance_signed_on is None and data.acceptance_file_id is None:
        errors["acceptance_signed_on"] = [_l("Record the borrower's signed acceptance: the date it was signed on paper, or a scan of it.")]
    elif data.acceptance_signed_on is not None and data.acceptance_signed_on > lent_on:
        errors["acceptance_signed_on"] = [_l("The acceptance cannot be signed in the future.")]
    if data.staff_id is not None and data.staff_id not in {user.id for user in active_members()}:
        errors["staff_id"] = [_l("Choose a member of your library's staff.")]
    borrower = _row(Borrower, data.borrower_id)
    if borrower is None:
        errors["borrower_id"] = [_l("Choose a borrower.")]
    elif borrower.erased:
        errors["borrower_id"] = [_l("The personal data of this borrower was erased; register them again to lend to them.")]
    return errors


def lend(data: LoanInput, by) -> Loan:
    """Lend an available item (or one reserved for this borrower) until `due_on`; a reservation of the borrower
    that overlaps the loan is consumed by it. Refused, with nothing written, for any other item."""
    lent_on = today()
    refuse_if_any(_lend_errors(data, lent_on))
    item = _row(Item, data.item_id)
    if item is None:
        raise Refused({"item_id": [_l("No item has this tag.")]})
    lock_item(item.id)
    db.session.refresh(item)
    _refuse_unless_lendable(item, data.borrower_id, lent_on, data.due_on)
    loan = Loan(
        item_id=item.id, borrower_id=data.borrower_id, lent_on=lent_on, due_on=data.due_on, last_seen_on=lent_on,
        target_group=data.target_group, delivery=data.delivery,
        volunteer_name=data.volunteer_name.strip() if data.delivery is Delivery.VOLUNTEER else "",
        staff_id=data.staff_id or by.id, acceptance_signed_on=data.acceptance_signed_on, acceptance_file_id=data.acceptance_file_id,
        notes=data.notes.strip(),
    )
    db.session.add(loan)
    _flush_or_taken(_l("The item is on loan already."))
    for reservation in _reservations_of(item.id, lent_on, data.due_on):  # only the borrower's own are left
        reservation.closed_at, reservation.loan_id = utcnow(), loan.id
    inventory.change_status(item, ItemStatus.ON_LOAN)
    return loan


def _refuse_unless_lendable(item: Item, borrower_id: int, first: date, last: date) -> None:
    if item.kit_id is not None:
        raise NotLendable(detail=_l("This item is a part of a kit: lend the kit."))
    if item.kind is ItemKind.QUANTITY:
        raise NotLendable(detail=_l("Items counted in stock are not lent one by one here."))
    if item.kind is ItemKind.KIT and (away := [part.name for part in kit_parts(item) if part.status in (ItemStatus.MAINTENANCE, ItemStatus.CLEANING)]):
        raise NotLendable(detail=_l("A part of this kit is in maintenance or cleaning: %(parts)s. Lend the kit when it is back.", parts=", ".join(away)))
    reservations = _reservations_of(item.id, first, last)
    others = [reservation for reservation in reservations if reservation.borrower_id != borrower_id]
    if item.status is ItemStatus.ON_LOAN:
        raise NotLendable(detail=_l("The item is on loan already."))
    if item.status is ItemStatus.RESERVED and not any(reservation.borrower_id == borrower_id for reservation in reservations):
        raise NotLendable(detail=_l("The item is reserved for someone else."))
    if item.status not in (ItemStatus.AVAILABLE, ItemStatus.RESERVED):
        raise NotLendable(detail=_l("Only an available item can be lent; this one is in cleaning, maintenance, lost or retired."))
    if others:
        raise NotLendable(detail=_l("The item is reserved for someone else from %(day)s. Choose an earlier due date or another item.", day=others[0].starts_on.isoformat()))


def renew(loan: Loan, due_on: date | None) -> Loan:
    """Move the due date of an open loan later; the renewal is counted and is in the loan's history."""
    if not loan.open:
        raise Refused(status=409, detail=_l("A returned loan cannot be renewed."))
    day = today()
    if due_on is None or due_on <= loan.due_on:
        raise Refused({"due_on": [_l("Enter a due date later than the current one.")]})
    if due_on > day + timedelta(days=LONGEST_LOAN_DAYS):
        raise Refused({"due_on": [_l("A loan lasts at most a year; renew it when it ends.")]})
    lock_item(loan.item_id)
    if any(reservation.borrower_id != loan.borrower_id for reservation in _reservations_of(loan.item_id, loan.due_on + timedelta(days=1), due_on)):
        raise NotLendable(detail=_l("The item is reserved for someone else before that date. Choose an earlier due date."))
    loan.due_on, loan.renewals, loan.last_seen_on = due_on, loan.renewals + 1, day
    db.session.flush()
    return loan


def seen_in_use(borrower_id: int, day: date) -> None:
    """The borrower was visited on `day` and their devices checked: their open loans are not idle ("use it or
    return it") from that day."""
    for loan in db.session.scalars(sa.select(Loan).where(Loan.borrower_id == borrower_id, Loan.returned_on.is_(None), Loan.last_seen_on < day)):
        loan.last_seen_on = day
    db.session.flush()


def return_loan(loan: Loan, notes: str = "") -> Loan:
    """Take an item back: the loan closes and the item goes to cleaning / quarantine, then to the check."""
    if not loan.open:
        raise Refused(status=409, detail=_l("This loan is returned already."))
    loan.returned_on = today()
    if notes.strip():
        loan.notes = "\n".join(filter(None, [loan.notes, notes.strip()]))
    item = _row(Item, loan.item_id)
    inventory.change_status(item, ItemStatus.CLEANING)
    return loan


def kit_parts(item: Item) -> list[Item]:
    """The parts a kit should come back with (those not lost or retired before the loan)."""
    if item.kind is not ItemKind.KIT:
        return []
    return list(db.session.scalars(sa.select(Item).where(Item.kit_id == item.id, Item.status.not_in(GONE)).order_by(Item.tag_number)))


def check(loan: Loan, present_part_ids: set[int]) -> list[Item]:
    """After cleaning: the parts of a kit not ticked as present are lost (through the status change) and named
    on the loan and in the kit's notes; the item is available again. Returns the missing parts."""
    item = _row(Item, loan.item_id)
    if loan.open or loan.checked_on is not None or item.status is not ItemStatus.CLEANING:
        raise Refused(status=409, detail=_l("Only a returned item in cleaning can be checked."))
    day = today()
    missing = [part for part in kit_parts(item) if part.id not in present_part_ids]
    for part in missing:
        inventory.change_status(part, ItemStatus.LOST)
    if missing:
        names = ", ".join(f"{part.tag} {part.name}" for part in missing)
        loan.missing_parts = "\n".join(f"{part.tag} {part.name}" for part in missing)
        item.notes = "\n".join(filter(None, [item.notes, str(_l("Missing after the return of %(day)s: %(parts)s", day=day.isoformat(), parts=names))]))
    loan.checked_on = day
    inventory.change_status(item, ItemStatus.AVAILABLE)
    show_whether_reserved(item, today())
    return missing


# --- Reservations ---------------------------------------------------------------------------------------------


@dataclass
class ReservationInput:
    item_id: int
    starts_on: date | None
    ends_on: date | None
    borrower_id: int | None = None
    purpose: str = ""


def reserve(data: ReservationInput, by) -> Reservation:
    """Hold an item for future dates; refused when they overlap another reservation or an open loan's period."""
    errors: dict[str, list] = {}
    day = today()
    if data.starts_on is None:
        errors["starts_on"] = [_l("Enter the first day.")]
    elif data.starts_on < day:
        errors["starts_on"] = [_l("A reservation is for today or later.")]
    if data.ends_on is None:
        errors["ends_on"] = [_l("Enter the last day.")]
    elif data.starts_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = [_l("The last day cannot be before the first.")]
    elif data.starts_on is not None and data.ends_on > data.starts_on + timedelta(days=LONGEST_LOAN_DAYS):
        errors["ends_on"] = [_l("A reservation lasts at most a year.")]
    if data.borrower_id is None and not data.purpose.strip():
        errors["purpose"] = [_l("Choose a borrower or say what the item is reserved for.")]
    if data.borrower_id is not None:
        borrower = _row(Borrower, data.borrower_id)
        if borrower is None or borrower.erased:
            errors["borrower_id"] = [_l("Choose a borrower.")]
    refuse_if_any(errors)
    item = _row(Item, data.item_id)
    if item is None:
        raise Refused({"item_id": [_l("No item has this tag.")]})
    lock_item(item.id)
    db.session.refresh(item)
    if item.status in GONE or item.kit_id is not None or item.kind is ItemKind.QUANTITY:
        raise NotLendable(detail=_l("This item cannot be reserved."))
    if _reservations_of(item.id, data.starts_on, data.ends_on):
        raise NotLendable(detail=_l("The item is reserved already for some of these days."))
    loan = open_loan_of(item.id)
    if loan is not None and loan.due_on >= data.starts_on:
        raise NotLendable(detail=_l("The item is on loan until %(day)s.", day=loan.due_on.isoformat()))
    reservation = Reservation(item_id=item.id, borrower_id=data.borrower_id, purpose=data.purpose.strip(), starts_on=data.starts_on, ends_on=data.ends_on, made_by_id=by.id)
    db.session.add(reservation)
    _flush_or_taken(_l("The item is reserved already for some of these days."))
    show_whether_reserved(item, day)
    return reservation


def cancel_reservation(reservation: Reservation) -> None:
    if reservation.closed_at is not None:
        raise Refused(status=409, detail=_l("This reservation is closed already."))
    reservation.closed_at = utcnow()
    db.session.flush()
    show_whether_reserved(_row(Item, reservation.item_id), today())


def show_whether_reserved(item: Item, day: date) -> None:
    """The register shows an item held on `day` by an active reservation as reserved, and one no longer held as
    available again (an item on loan, in cleaning or in maintenance keeps its status: the reservation waits)."""
    held = bool(_reservations_of(item.id, day, day))
    if held and item.status is ItemStatus.AVAILABLE:
        inventory.change_status(item, ItemStatus.RESERVED)
    elif not held and item.status is ItemStatus.RESERVED:
        inventory.change_status(item, ItemStatus.AVAILABLE)


def show_reservations_of_the_day(now) -> int:
    """The daily job: in every library, items whose reservation starts today become reserved and those whose
    reservations ended become available. Returns how many items changed."""
    changed = 0
    for tenant in db.session.scalars(sa.select(Tenant).where(Tenant.active).order_by(Tenant.id)).all():
        with tenant_scope(tenant):
            day = tenant.today(now)
            held_today = sa.select(Reservation.item_id).where(Reservation.closed_at.is_(None), Reservation.starts_on <= day, Reservation.ends_on >= day)
            items = db.session.scalars(sa.select(Item).where(sa.or_(
                sa.and_(Item.status == ItemStatus.AVAILABLE, Item.id.in_(held_today)),
                sa.and_(Item.status == ItemStatus.RESERVED, Item.id.not_in(held_today)),
            ))).all()
            for item in items:
                show_whether_reserved(item, day)
            changed += len(items)
            db.session.commit()
    return changed
