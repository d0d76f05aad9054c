"""The only code that creates or changes expenditure items: checks first, writes after, callers commit.

A refusal raises ExpenditureInvalid with field errors (422 in the API, an error summary on pages) and
the session is rolled back, so nothing is written.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from babel.numbers import list_currencies
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.models import Project
from bibnet.tenants.budgets.cofinancing import round_half_up
from bibnet.tenants.budgets.models import CostCategory
from bibnet.tenants.expenditure.models import Expenditure, ExpenditureStatus

MAX_AMOUNT = Decimal("999999999.99")
EDITABLE = (ExpenditureStatus.DRAFT, ExpenditureStatus.REJECTED)


class ExpenditureInvalid(Exception):
    def __init__(self, errors: dict[str, list]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class ExpenditureInput:
    """An item as a form, an API call or an import row hands it over: typed, not yet checked."""

    period_number: int
    category: str
    invoice_date: date
    supplier: str
    description: str
    invoice_total: Decimal
    declared_amount: Decimal
    internal_reference: str = ""
    invoice_number: str | None = None
    payment_date: date | None = None
    comment: str = ""
    vat: Decimal | None = None
    currency: str = "EUR"
    conversion_rate: Decimal | None = None
    procurement_reference: str = ""


def supplier_key(supplier: str) -> str:
    return " ".join(supplier.split()).casefold()


def to_eur(amount: Decimal, currency: str, rate: Decimal | None) -> Decimal:
    """An amount in EUR: as it is for EUR, else amount ÷ rate (units per euro), half-up to the cent."""
    if currency == "EUR":
        return amount
    return round_half_up(Fraction(amount) / Fraction(rate))


def _cent_amount(errors, name: str, value: Decimal | None, required: bool = True) -> None:
    if value is None:
        if required:
            errors.setdefault(name, []).append(_l("Enter an amount."))
        return
    try:
        whole = value == value.quantize(Decimal("0.01"))
    except InvalidOperation:
        whole = False
    if not whole:
        errors.setdefault(name, []).append(_l("Enter an amount with at most two decimals, like 1250.50."))
    elif abs(value) > MAX_AMOUNT:
        errors.setdefault(name, []).append(_l("Enter an amount up to 999,999,999.99."))


def _same_sign_within(total: Decimal, part: Decimal) -> bool:
    """A part of an invoice (VAT, the declared amount) has the invoice's sign and is not larger than it."""
    return (part == 0 or (part > 0) == (total > 0)) and abs(part) <= abs(total)


def check(item: ExpenditureInput, project: Project, exclude_id: int | None = None) -> dict[str, list]:
    """Every problem with the item, as field errors (empty when it is good). One query for duplicates."""
    errors: dict[str, list] = {}
    if item.category not in CostCategory._value2member_map_:
        errors.setdefault("category", []).append(_l("Choose one of the six cost categories."))
    periods = {period.number for period in project.reporting_periods}
    if item.period_number not in periods:
        errors.setdefault("period_number", []).append(_l("Choose one of the project's reporting periods."))
    for name, limit in (("internal_reference", 30), ("invoice_number", 30)):
        if len(getattr(item, name) or "") > limit:
            errors.setdefault(name, []).append(_l("Enter at most %(max)d characters.", max=limit))
    for name, limit in (("supplier", 200), ("description", 255), ("comment", 255), ("procurement_reference", 60)):
        if len(getattr(item, name) or "") > limit:
            errors.setdefault(name, []).append(_l("Enter at most %(max)d characters.", max=limit))
    if not item.supplier.strip():
        errors.setdefault("supplier", []).append(_l("Enter the supplier."))
    if not item.description.strip():
        errors.setdefault("description", []).append(_l("Describe what was bought."))
    for name in ("invoice_date", "payment_date"):
        day = getattr(item, name)
        if day is not None and not project.starts_on <= day <= project.ends_on:
            errors.setdefault(name, []).append(_l("The date must be within the project, from %(first)s to %(last)s.", first=project.starts_on.isoformat(), last=project.ends_on.isoformat()))
    if item.payment_date is not None and item.payment_date < item.invoice_date:
        errors.setdefault("payment_date", []).append(_l("The payment cannot be before the invoice."))
    _cent_amount(errors, "invoice_total", item.invoice_total)
    _cent_amount(errors, "declared_amount", item.declared_amount)
    _cent_amount(errors, "vat", item.vat, required=False)
    amounts_ok = not {"invoice_total", "declared_amount", "vat"} & errors.keys()
    if amounts_ok and item.vat is not None and not _same_sign_within(item.invoice_total, item.vat):
        errors.setdefault("vat", []).append(_l("The VAT cannot be more than the invoice total."))
    if amounts_ok and not _same_sign_within(item.invoice_total, item.declared_amount):
        errors.setdefault("declared_amount", []).append(_l("The declared amount cannot be more than the invoice total."))
    if item.currency not in list_currencies():
        errors.setdefault("currency", []).append(_l("Enter a currency as its three-letter ISO code, like EUR."))
    elif item.currency != "EUR":
        rate = item.conversion_rate
        if rate is None or rate <= 0 or rate != rate.quantize(Decimal("0.000001")):
            errors.setdefault("conversion_rate", []).append(_l("Enter the rate to the euro (units per euro), above 0, with at most six decimals."))
    if item.invoice_number and item.supplier.strip():
        duplicate = sa.select(Expenditure.id).where(
            Expenditure.project_id == project.id,
            Expenditure.supplier_key == supplier_key(item.supplier),
            Expenditure.invoice_number == item.invoice_number.strip(),
            Expenditure.deleted_at.is_(None),
        )
        if exclude_id is not None:
            duplicate = duplicate.where(Expenditure.id != exclude_id)
        if db.session.scalar(duplicate.limit(1)) is not None:
            errors.setdefault("invoice_number", []).append(_l("This supplier's invoice with this number is already in the list."))
    return errors


def _fail(errors):
    db.session.rollback()
    raise ExpenditureInvalid(errors)


def _apply(expenditure: Expenditure, item: ExpenditureInput) -> None:
    expenditure.period_number = item.period_number
    expenditure.category = CostCategory(item.category)
    expenditure.internal_reference = item.internal_reference.strip()
    expenditure.invoice_number = (item.invoice_number or "").strip() or None
    expenditure.invoice_date = item.invoice_date
    expenditure.payment_date = item.payment_date
    expenditure.supplier = " ".join(item.supplier.split())
    expenditure.supplier_key = supplier_key(item.supplier)
    expenditure.description = item.description.strip()
    expenditure.comment = item.comment.strip()
    expenditure.invoice_total = item.invoice_total
    expenditure.vat = item.vat
    expenditure.declared_amount = item.declared_amount
    expenditure.currency = item.currency
    expenditure.conversion_rate = item.conversion_rate if item.currency != "EUR" else None
    expenditure.declared_eur = to_eur(item.declared_amount, item.currency, item.conversion_rate)
    expenditure.procurement_reference = item.procurement_reference.strip()


def create(item: ExpenditureInput, project: Project, by=None) -> Expenditure:
    errors = check(item, project)
    if errors:
        _fail(errors)
    expenditure = Expenditure(project_id=project.id, status=ExpenditureStatus.DRAFT, created_by_id=getattr(by, "id", None))
    _apply(expenditure, item)
    db.session.add(expenditure)
    db.session.flush()
    return expenditure


def change(expenditure: Expenditure, item: ExpenditureInput, project: Project) -> Expenditure:
    """Edit a draft (or a rejected item, to correct it); a submitted or verified item is refused."""
    if expenditure.status not in EDITABLE or expenditure.deleted_at is not None:
        _fail({"status": [_l("A submitted item cannot be edited.")]})
    errors = check(item, project, exclude_id=expenditure.id)
    if errors:
        _fail(errors)
    _apply(expenditure, item)
    expenditure.status = ExpenditureStatus.DRAFT
    db.session.flush()
    return expenditure


def submit(items: list[Expenditure]) -> list[Expenditure]:
    if not items or any(item.status not in EDITABLE or item.deleted_at is not None for item in items):
        _fail({"status": [_l("Only draft items can be submitted.")]})
    for item in items:
        item.status, item.submitted_at, item.status_comment = ExpenditureStatus.SUBMITTED, utcnow(), ""
    db.session.flush()
    return items


def verify(item: Expenditure) -> Expenditure:
    if item.status is not ExpenditureStatus.SUBMITTED:
        _fail({"status": [_l("Only submitted items can be verified.")]})
    item.status, item.decided_at = ExpenditureStatus.VERIFIED, utcnow()
    db.session.flush()
    return item


def reject(item: Expenditure, comment: str) -> Expenditure:
    if item.status is not ExpenditureStatus.SUBMITTED:
        _fail({"status": [_l("Only submitted items can be rejected.")]})
    if not comment.strip():
        _fail({"comment": [_l("Say why the item is rejected: the partner reads it.")]})
    item.status, item.decided_at, item.status_comment = ExpenditureStatus.REJECTED, utcnow(), comment.strip()[:500]
    db.session.flush()
    return item


def delete(item: Expenditure, by=None) -> Expenditure:
    """A soft delete: the row stays, marked deleted, and the audit log records who and when."""
    if item.status not in EDITABLE:
        _fail({"status": [_l("A submitted item cannot be deleted.")]})
    item.deleted_at, item.deleted_by_id = utcnow(), getattr(by, "id", None)
    db.session.flush()
    return item

