"""`bibnet demo` lends DAISY kits: in Pasvalys and Jelgava two open loans to people at home (one overdue) and a
care home borrowing a player. Loading it again adds nothing."""
from click.testing import CliRunner
from flask.cli import ScriptInfo
import sqlalchemy as sa

from bibnet.cli import main
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.inventory.models import Item, ItemKind, ItemStatus
from bibnet.tenants.lending.models import Borrower, BorrowerKind, Loan


def _load(app):
    result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output


def _counts():
    return [db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in (Borrower, Loan, Item)]


def test_the_demo_lends_daisy_kits_at_home_and_to_a_care_home_once(app, app_context):
    _load(app)
    for slug in ("pasvalys", "jelgava"):
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        with tenant_scope(tenant):
            loans = db.session.scalars(sa.select(Loan).where(Loan.returned_on.is_(None))).all()
            kinds = {loan.borrower_id: db.session.scalar(sa.select(Borrower.kind).where(Borrower.id == loan.borrower_id)) for loan in loans}
            assert sorted(kind.value for kind in kinds.values()) == ["institution", "person", "person"]
            assert sum(loan.overdue(tenant.today()) for loan in loans) == 1
            lent = db.session.scalars(sa.select(Item).where(Item.id.in_([loan.item_id for loan in loans]))).all()
            assert {item.kind for item in lent} == {ItemKind.KIT} and {item.status for item in lent} == {ItemStatus.ON_LOAN}
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Borrower).where(Borrower.kind == BorrowerKind.INSTITUTION)) == 1
            before = _counts()
        db.session.commit()
    _load(app)
    with tenant_scope(tenant):
        assert _counts() == before
