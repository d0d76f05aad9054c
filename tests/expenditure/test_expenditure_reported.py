"""What budgets learn from expenditure through `budgets.spending`: the partner's submitted and verified items per
cost category; drafts, rejected and deleted items, and other partners' items, do not count."""
from dataclasses import replace
from decimal import Decimal

from expenditure_items import INVOICE, make_item

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.budgets import spending
from bibnet.tenants.budgets.models import CostCategory
from bibnet.tenants.expenditure import services

pytest_plugins = ["expenditure_items"]  # the fixture `project`


def test_budgets_read_the_reported_spending_per_category(world, project):
    make_item(world.jelgava, project, status="submitted")
    make_item(world.jelgava, project, status="verified", invoice_number="CN-1", invoice_total=Decimal("-10.00"), vat=None, declared_amount=Decimal("-10.00"))
    make_item(world.jelgava, project, status="verified", invoice_number="T-1", category="travel", invoice_total=Decimal("99.99"), vat=None, declared_amount=Decimal("99.99"))
    make_item(world.jelgava, project, invoice_number="DRAFT")
    make_item(world.jelgava, project, status="rejected", invoice_number="REJ")
    make_item(world.pasvalys, project, status="verified")
    with tenant_scope(world.jelgava):
        gone = services.create(replace(INVOICE, invoice_number="GONE"), project)
        services.delete(gone)
        db.session.commit()
        reported = spending.reported(project)
    assert reported[CostCategory.EQUIPMENT] == Decimal("1200.00")
    assert reported[CostCategory.TRAVEL] == Decimal("99.99")
    assert reported[CostCategory.STAFF] == Decimal("0.00") and set(reported) == set(CostCategory)


def test_budgets_learn_the_periods_with_reported_spending_which_a_modification_leaves_as_approved(world, project):
    from datetime import date

    make_item(world.jelgava, project, status="submitted", period_number=2, invoice_date=date(2025, 1, 5), payment_date=None)
    make_item(world.jelgava, project, invoice_number="DRAFT")  # a draft in period 1 is not reported
    make_item(world.jelgava, project, status="rejected", invoice_number="REJ")
    make_item(world.pasvalys, project, status="verified")  # another partner's period 1
    with tenant_scope(world.jelgava):
        assert spending.reported_periods(project) == {2}
