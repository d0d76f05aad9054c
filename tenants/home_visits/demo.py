"""Demo home visits in Jelgava: two borrowers at home (created here if lending's demo has not made them), two
visits scheduled for the coming days on the staff member's route, and one held last week with what went out.

Idempotent: nothing is added to a tenant that already has home visits; borrowers are found by name and the
DAISY player by its name.
"""
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.home_visits.models import Direction, HomeVisit, HomeVisitItem, PartOfDay, VisitStatus
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.models import Category, Item
from bibnet.tenants.lending.models import Borrower, Channel

TENANT = "jelgava"
BORROWERS = (
    {"name": "Anna Bērziņa", "phone": "+371 2000 0001", "address": "Lielā iela 10-4, Jelgava", "contact_person": "Pēteris Bērziņš (dēls)", "contact_phone": "+371 2000 0002"},
    {"name": "Jānis Kalniņš", "phone": "+371 2000 0003", "address": "Pasta iela 7, Jelgava", "contact_person": "", "contact_phone": ""},
)


def _borrower(fields: dict, today: date) -> Borrower:
    borrower = db.session.scalar(sa.select(Borrower).where(Borrower.name == fields["name"]))
    if borrower is None:
        borrower = Borrower(**fields, preferred_locale="lv", preferred_channel=Channel.PHONE, consent_on=today - timedelta(days=30))
        db.session.add(borrower)
        db.session.flush()
    return borrower


def _player() -> Item:
    """A DAISY player of the register (the register's demo makes them; made here if it has not)."""
    player = db.session.scalar(sa.select(Item).where(Item.name.like("DAISY%")).order_by(Item.id).limit(1))
    if player is None:
        ensure_shared_categories()
        category = db.session.scalar(sa.select(Category).where(Category.shared_key == "reading_aids"))
        player = inventory.register(Item(name="DAISY atskaņotājs", category=category, manufacturer="HumanWare", model="Victor Reader Stream", cost=Decimal("289.00")))
    return player


def load_demo() -> None:
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == TENANT))
    staff = db.session.scalar(sa.select(User).where(User.email == f"staff@{TENANT}.example"))
    if tenant is None or staff is None:
        return
    with tenant_scope(tenant):
        if db.session.scalar(sa.select(HomeVisit.id).limit(1)) is not None:
            return
        today = tenant.today(utcnow())
        anna, janis = (_borrower(fields, today) for fields in BORROWERS)
        player = _player()
        held = HomeVisit(
            borrower_id=anna.id, visit_on=today - timedelta(days=7), part_of_day=PartOfDay.MORNING, staff_id=staff.id, status=VisitStatus.HELD,
            device_checked=True, outcome="Atskaņotājs darbojas; nākamreiz atvest jaunas grāmatas.", taken_note="3 DAISY grāmatas", logged_at=utcnow(), served_seniors=1,
        )
        db.session.add(held)
        db.session.flush()
        db.session.add(HomeVisitItem(visit_id=held.id, item_id=player.id, direction=Direction.OUT))
        db.session.add_all([
            HomeVisit(borrower_id=anna.id, visit_on=today + timedelta(days=1), part_of_day=PartOfDay.MORNING, staff_id=staff.id),
            HomeVisit(borrower_id=janis.id, visit_on=today + timedelta(days=1), part_of_day=PartOfDay.AFTERNOON, staff_id=staff.id),
        ])
        db.session.commit()
