"""The only code that creates or changes expenditure items: checks first, writes after, callers commit.

A refusal raises `Refused` with field errors (422 in the API, an error summary on pages), or NotInThisStatus
when the item's status does not allow the action (409), before anything is written.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from babel.numbers import list_currencies
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.audit.models import AuditEntry
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.names import organisation_key
from bibnet.refusals import Refused, refuse_if_any
from bibnet.tenancy.context import current_tenant_id
from bibnet.tenancy.models import Project
from bibnet.tenants.budgets.cofinancing import cents_of_sum, round_half_up
from bibnet.tenants.budgets.models import CostCategory
from bibnet.tenants.budgets.services import MAX_AMOUNT
from bibnet.tenants.expenditure import notices
from bibnet.tenants.expenditure.models import REPORTED, Expenditure, ExpenditureStatus, FinanceSettings

CURRENCIES = frozenset(list_currencies())


class NotInThisStatus(Refused):
    """The item's status does not allow the action (editing a submitted item, verifying a draft...)."""

    status = 409
    title = _l("Not possible in the item's status")

    def __init__(self, message):
        super().__init__({"status": [message]})


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
    """The supplier as duplicates are found: "UAB „Testas“" and "Testas" are one (see `organisation_key`)."""
    return organisation_key(supplier)[:200]


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


def check(item: ExpenditureInput, project: Project, exclude_id: int | None = None, known_invoices: set | None = None) -> dict[str, list]:
    """Every problem with the item, as field errors (empty when it is good). One query for duplicates, or
    none when `known_invoices` (see `invoices_in_list`) is given, as an import of many rows does."""
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
    if item.currency not in CURRENCIES:
        errors.setdefault("currency", []).append(_l("Enter a currency as its three-letter ISO code, like EUR."))
    elif item.currency != "EUR":
        rate = item.conversion_rate
        if rate is None or not rate.is_finite() or rate <= 0 or rate.adjusted() >= 9 or rate != rate.quantize(Decimal("0.000001")):
            errors.setdefault("conversion_rate", []).append(_l("Enter the rate to the euro (units per euro), above 0, with at most six decimals."))
    if item.invoice_number and item.supplier.strip():
        key = (supplier_key(item.supplier), item.invoice_number.strip())
        if known_invoices is not None:
            duplicate = key in known_invoices
        else:
            statement = sa.select(Expenditure.id).where(
                Expenditure.project_id == project.id,
                Expenditure.supplier_key == key[0],
                Expenditure.invoice_number == key[1],
                Expenditure.deleted_at.is_(None),
            )
            if exclude_id is not None:
                statement = statement.where(Expenditure.id != exclude_id)
            duplicate = db.session.scalar(statement.limit(1)) is not None
        if duplicate:
            errors.setdefault("invoice_number", []).append(_l("This supplier's invoice with this number is already in the list."))
    return errors


def invoices_in_list(project: Project) -> set[tuple[str, str]]:
    """(supplier key, invoice number) of every item in the current partner's list, in one query."""
    return {
        tuple(row)
        for row in db.session.execute(
            sa.select(Expenditure.supplier_key, Expenditure.invoice_number).where(
                Expenditure.project_id == project.id, Expenditure.invoice_number.is_not(None), Expenditure.deleted_at.is_(None)
            )
        )
    }


def _columns(item: ExpenditureInput) -> dict:
    """The item's column values as stored: texts trimmed, the supplier folded, the declared amount in EUR."""
    return {
        "period_number": item.period_number,
        "category": CostCategory(item.category),
        "internal_reference": item.internal_reference.strip(),
        "invoice_number": (item.invoice_number or "").strip() or None,
        "invoice_date": item.invoice_date,
        "payment_date": item.payment_date,
        "supplier": " ".join(item.supplier.split()),
        "supplier_key": supplier_key(item.supplier),
        "description": item.description.strip(),
        "comment": item.comment.strip(),
        "invoice_total": item.invoice_total,
        "vat": item.vat,
        "declared_amount": item.declared_amount,
        "currency": item.currency,
        "conversion_rate": item.conversion_rate if item.currency != "EUR" else None,
        "declared_eur": to_eur(item.declared_amount, item.currency, item.conversion_rate),
        "procurement_reference": item.procurement_reference.strip(),
    }


def _apply(expenditure: Expenditure, item: ExpenditureInput) -> None:
    for name, value in _columns(item).items():
        setattr(expenditure, name, value)


def as_input(expenditure: Expenditure) -> ExpenditureInput:
    """An item's values as an input, to change some of them (the API's PATCH)."""
    return ExpenditureInput(
        period_number=expenditure.period_number,
        category=expenditure.category.value,
        invoice_date=expenditure.invoice_date,
        supplier=expenditure.supplier,
        description=expenditure.description,
        invoice_total=expenditure.invoice_total,
        declared_amount=expenditure.declared_amount,
        internal_reference=expenditure.internal_reference,
        invoice_number=expenditure.invoice_number,
        payment_date=expenditure.payment_date,
        comment=expenditure.comment,
        vat=expenditure.vat,
        currency=expenditure.currency,
        conversion_rate=expenditure.conversion_rate,
        procurement_reference=expenditure.procurement_reference,
    )


def create(item: ExpenditureInput, project: Project, by=None) -> Expenditure:
    refuse_if_any(check(item, project))
    expenditure = Expenditure(project_id=project.id, status=ExpenditureStatus.DRAFT, created_by_id=getattr(by, "id", None))
    _apply(expenditure, item)
    db.session.add(expenditure)
    db.session.flush()
    return expenditure


def insert_checked(items: list[ExpenditureInput], project: Project, by=None) -> None:
    """Write items already checked (an import) as drafts, in one INSERT of many rows.

    The tenant guard stamps the rows with the current tenant (and refuses the insert without one), and the
    audit log records each row, as for items saved one by one.
    """
    now = utcnow()
    db.session.execute(
        sa.insert(Expenditure),
        [
            {**_columns(item), "project_id": project.id, "status": ExpenditureStatus.DRAFT, "status_comment": "", "created_by_id": getattr(by, "id", None), "created_at": now}
            for item in items
        ],
    )


def record_import(project: Project, rows: int, source: str, by=None) -> None:
    db.session.execute(
        sa.insert(AuditEntry),
        [{"at": utcnow(), "actor_id": getattr(by, "id", None), "tenant_id": current_tenant_id(), "action": "import", "object_type": "Expenditure", "object_id": None, "changes": {"project_id": project.id, "rows": rows, "file": source}}],
    )


def change(expenditure: Expenditure, item: ExpenditureInput, project: Project) -> Expenditure:
    """Edit a draft (or a rejected item, to correct it); a submitted or verified item is refused."""
    if not expenditure.editable:
        raise NotInThisStatus(_l("A submitted item cannot be edited."))
    refuse_if_any(check(item, project, exclude_id=expenditure.id))
    _apply(expenditure, item)
    expenditure.status = ExpenditureStatus.DRAFT
    db.session.flush()
    return expenditure


def submit(items: list[Expenditure]) -> list[Expenditure]:
    if not items or not all(item.editable for item in items):
        raise NotInThisStatus(_l("Only draft items can be submitted."))
    for item in items:
        item.status, item.submitted_at, item.status_comment = ExpenditureStatus.SUBMITTED, utcnow(), ""
    db.session.flush()
    notices.submitted(items)
    return items


def verify(item: Expenditure) -> Expenditure:
    if item.status is not ExpenditureStatus.SUBMITTED:
        raise NotInThisStatus(_l("Only submitted items can be verified."))
    item.status, item.decided_at = ExpenditureStatus.VERIFIED, utcnow()
    db.session.flush()
    notices.decided(item)
    return item


def reject(item: Expenditure, comment: str) -> Expenditure:
    if item.status is not ExpenditureStatus.SUBMITTED:
        raise NotInThisStatus(_l("Only submitted items can be rejected."))
    if not comment.strip():
        raise Refused({"comment": [_l("Say why the item is rejected: the partner reads it.")]})
    item.status, item.decided_at, item.status_comment = ExpenditureStatus.REJECTED, utcnow(), comment.strip()[:500]
    db.session.flush()
    notices.decided(item)
    return item


def delete(item: Expenditure, by=None) -> Expenditure:
    """A soft delete: the row stays, marked deleted, and the audit log records who and when."""
    if not item.editable:
        raise NotInThisStatus(_l("A submitted item cannot be deleted."))
    item.deleted_at, item.deleted_by_id = utcnow(), getattr(by, "id", None)
    db.session.flush()
    return item


def reported_sums(project_ids: list[int], *grouped_by) -> sa.Select:
    """The reported amounts in EUR (submitted or verified, not deleted) of the projects, summed per
    `grouped_by` (columns of Expenditure), in the current scope: the columns, then the sum."""
    return (
        sa.select(*grouped_by, sa.func.sum(Expenditure.declared_eur))
        .where(Expenditure.project_id.in_(project_ids), Expenditure.status.in_(REPORTED), Expenditure.deleted_at.is_(None))
        .group_by(*grouped_by)
    )


def periods_in_use(project: Project) -> set[int]:
    """The reporting periods of the current tenant's items in `project`, drafts included (not deleted ones)."""
    return set(db.session.scalars(
        sa.select(Expenditure.period_number).where(Expenditure.project_id == project.id, Expenditure.deleted_at.is_(None)).distinct()
    ))


def reported_periods(project: Project) -> set[int]:
    """The reporting periods of the current tenant's reported items in `project` (submitted or verified, not deleted)."""
    return set(db.session.scalars(
        sa.select(Expenditure.period_number)
        .where(Expenditure.project_id == project.id, Expenditure.status.in_(REPORTED), Expenditure.deleted_at.is_(None))
        .distinct()
    ))


def reported_by_category(project: Project) -> dict[CostCategory, Decimal]:
    """The current partner's reported spending (submitted or verified, not deleted) per category, in one query."""
    totals = dict.fromkeys(CostCategory, Decimal("0.00"))
    for category, amount in db.session.execute(reported_sums([project.id], Expenditure.category)):
        totals[category] = cents_of_sum(amount)
    return totals


def settings_of_tenant() -> FinanceSettings:
    """The current partner's finance settings; new (and not yet added to the session) when never saved."""
    settings = db.session.scalar(sa.select(FinanceSettings))
    return settings or FinanceSettings(staff_may_draft=False, import_mapping={})


def save_settings(settings: FinanceSettings) -> None:
    if settings.id is None:
        db.session.add(settings)
    db.session.flush()
