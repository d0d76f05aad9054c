"""Expenditure items: what is accepted, what is refused with which message, and how an item moves
from draft to verified. Nothing is written on a refusal; deleting is a soft delete in the audit log."""
from dataclasses import replace
from datetime import date
from decimal import Decimal

from expenditure_items import INVOICE
import pytest
import sqlalchemy as sa

from bibnet.audit.models import AuditEntry
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.expenditure import services
from bibnet.tenants.expenditure.models import Expenditure, ExpenditureStatus

pytestmark = pytest.mark.usefixtures("in_jelgava")
pytest_plugins = ["expenditure_items"]  # the fixture `project`


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Expenditure))


def refused(item, project) -> dict:
    before = count()
    with pytest.raises(Refused) as caught:
        services.create(item, project)
    assert count() == before
    return {name: [str(message) for message in messages] for name, messages in caught.value.errors.items()}


def test_an_invoice_in_euro_is_declared_as_it_is(world, project):
    item = services.create(INVOICE, project, by=world.staff)
    assert (item.status, item.declared_eur, item.currency, item.conversion_rate) == (ExpenditureStatus.DRAFT, Decimal("1210.00"), "EUR", None)


def test_another_currency_is_converted_half_up_to_the_cent(world, project):
    item = services.create(replace(INVOICE, currency="SEK", conversion_rate=Decimal("11.4615"), declared_amount=Decimal("1000.00"), invoice_total=Decimal("1000.00"), vat=None), project)
    assert item.declared_eur == Decimal("87.25")  # 1000 / 11.4615 = 87.2486…


def test_a_credit_note_is_accepted_and_shown_as_such(world, project):
    item = services.create(replace(INVOICE, invoice_number="CN-7", invoice_total=Decimal("-121.00"), vat=Decimal("-21.00"), declared_amount=Decimal("-121.00")), project)
    assert item.is_credit_note and item.declared_eur == Decimal("-121.00")


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"invoice_total": Decimal("10.001")}, "invoice_total", "at most two decimals"),
        ({"vat": Decimal("1300.00")}, "vat", "VAT cannot be more than the invoice total"),
        ({"declared_amount": Decimal("1210.01")}, "declared_amount", "cannot be more than the invoice total"),
        ({"invoice_date": date(2024, 5, 31)}, "invoice_date", "within the project"),
        ({"payment_date": date(2026, 6, 1)}, "payment_date", "within the project"),
        ({"category": "catering"}, "category", "six cost categories"),
        ({"currency": "XYZ"}, "currency", "three-letter ISO code"),
        ({"currency": "SEK", "conversion_rate": None}, "conversion_rate", "rate to the euro"),
        ({"invoice_number": "X" * 31}, "invoice_number", "at most 30 characters"),
        ({"internal_reference": "R" * 31}, "internal_reference", "at most 30 characters"),
        ({"period_number": 9}, "period_number", "reporting periods"),
        ({"payment_date": date(2024, 9, 1)}, "payment_date", "before the invoice"),
    ],
)
def test_bad_items_are_refused_with_a_message_and_nothing_is_written(world, project, changes, field, message):
    errors = refused(replace(INVOICE, **changes), project)
    assert any(message in text for text in errors[field]), errors


def test_a_duplicate_invoice_of_the_same_supplier_is_refused(world, project):
    services.create(INVOICE, project)
    db.session.commit()
    errors = refused(replace(INVOICE, supplier="sia  SENSORIKA"), project)
    assert "already in the list" in errors["invoice_number"][0]
    services.create(replace(INVOICE, supplier="SIA Cits piegādātājs"), project)  # another supplier's number is fine


def test_a_deleted_invoice_no_longer_counts_as_a_duplicate_and_its_deletion_is_audited(world, project):
    item = services.create(INVOICE, project)
    db.session.commit()
    services.delete(item, by=world.coordinator)
    db.session.commit()
    assert item.deleted_at is not None and count() == 1  # the row stays
    services.create(INVOICE, project)
    db.session.commit()
    changes = db.session.scalars(sa.select(AuditEntry.changes).where(AuditEntry.object_type == "Expenditure", AuditEntry.action == "update")).all()
    assert any("deleted_at" in change for change in changes)


def test_an_item_goes_from_draft_to_submitted_to_verified(world, project):
    item = services.create(INVOICE, project)
    services.submit([item])
    with pytest.raises(Refused):
        services.change(item, replace(INVOICE, description="Changed after submission"), project)
    with pytest.raises(Refused):
        services.delete(item)
    services.verify(item)
    assert item.status is ExpenditureStatus.VERIFIED


def test_a_rejected_item_needs_a_comment_and_can_be_corrected(world, project):
    item = services.create(INVOICE, project)
    services.submit([item])
    with pytest.raises(Refused):
        services.reject(item, " ")
    services.reject(item, "The payment proof is missing")
    db.session.commit()
    services.change(item, replace(INVOICE, comment="Payment proof attached"), project)
    assert item.status is ExpenditureStatus.DRAFT


def test_a_partner_never_sees_another_partners_items(world, project):
    services.create(INVOICE, project)
    db.session.commit()
    with tenant_scope(world.pasvalys):
        assert count() == 0
        services.create(INVOICE, project)  # the same invoice number is another partner's own business
        db.session.commit()
