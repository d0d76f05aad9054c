"""Demo lending: borrowers in Pasvalys and Jelgava, two open loans of DAISY kits to people at home (one overdue),
and a care home borrowing a DAISY player. The kits and the magnifier are created here when the inventory's demo
has not made them (guarded by name, never twice)."""
from datetime import date, timedelta

import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.demo import DAISY_KIT_NAME, DAISY_PARTS
from bibnet.tenants.inventory.models import Category, Item, ItemKind, ItemStatus
from bibnet.tenants.lending.models import Borrower, BorrowerKind, Channel, Delivery, Loan

MAGNIFIER = "Magnifier 1"



def load_demo() -> None:
    for slug in ("pasvalys", "jelgava"):
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            continue
        with tenant_scope(tenant):
            if db.session.scalar(sa.select(sa.func.count()).select_from(Borrower)) == 0:
                _load(tenant, tenant.today())
            db.session.commit()


def _category() -> Category:
    ensure_shared_categories()
    return db.session.scalar(sa.select(Category).where(Category.shared_key == "reading_aids"))


def _item(name: str, kind: ItemKind = ItemKind.SERIALISED, kit: Item | None = None) -> Item:
    """The item of this name (the inventory's demo may have made it), or a new one."""
    conditions = [Item.name == name, Item.kit_id == kit.id] if kit is not None else [Item.name == name, Item.kit_id.is_(None)]
    found = db.session.scalar(sa.select(Item).where(*conditions).limit(1))
    if found is not None:
        return found
    return inventory.register(Item(name=name, kind=kind, category=_category(), kit_id=kit.id if kit else None))


def _kit(number: int) -> Item:
    kit = _item(DAISY_KIT_NAME.format(number=number), ItemKind.KIT)
    for part in DAISY_PARTS:
        _item(part.format(number=number), kit=kit)
    db.session.flush()
    return kit


def _lend(item: Item, borrower: Borrower, lent_on: date, due_on: date, group: TargetGroup, delivery: Delivery, **fields) -> None:
    if item.status is not ItemStatus.AVAILABLE:
        return
    db.session.add(Loan(item_id=item.id, borrower_id=borrower.id, lent_on=lent_on, due_on=due_on, last_seen_on=lent_on, target_group=group,
                        delivery=delivery, acceptance_signed_on=lent_on, **fields))
    db.session.flush()
    inventory.change_status(item, ItemStatus.ON_LOAN)


def _load(tenant: Tenant, today: date) -> None:
    staff = db.session.scalar(sa.select(User).where(User.email == f"staff@{tenant.slug}.example"))
    staff_id = staff.id if staff else None
    lithuanian = tenant.slug == "pasvalys"
    locale = "lt" if lithuanian else "lv"
    at_home = Borrower(name="Ona Kazlauskienė" if lithuanian else "Anna Bērziņa", phone="+370 600 11111" if lithuanian else "+371 2000 1111",
                       address="Vytauto g. 5, Pasvalys" if lithuanian else "Lielā iela 5, Jelgava", contact_person="Jonas (sūnus)" if lithuanian else "Pēteris (dēls)",
                       preferred_locale=locale, preferred_channel=Channel.PHONE, consent_on=today - timedelta(days=60))
    reader = Borrower(name="Petras Jankauskas" if lithuanian else "Jānis Ozols", email="reader@example.org", phone="+370 600 22222" if lithuanian else "+371 2000 2222",
                      preferred_locale=locale, preferred_channel=Channel.EMAIL, consent_on=today - timedelta(days=45))
    care_home = Borrower(kind=BorrowerKind.INSTITUTION, name="Pasvalio globos namai" if lithuanian else "Jelgavas pansionāts",
                         address="Taikos g. 1, Pasvalys" if lithuanian else "Rīgas iela 10, Jelgava", phone="+370 451 00000" if lithuanian else "+371 6300 0000",
                         contact_person="Rasa Petraitienė" if lithuanian else "Inga Kalniņa", preferred_locale=locale, preferred_channel=Channel.PHONE,
                         consent_on=today - timedelta(days=30))
    db.session.add_all([at_home, reader, care_home])
    db.session.flush()
    kits = [_kit(number) for number in range(1, 6)]
    _item(MAGNIFIER)
    _lend(kits[0], at_home, today - timedelta(days=40), today - timedelta(days=5), TargetGroup.VISUAL, Delivery.STAFF, staff_id=staff_id)
    _lend(kits[1], reader, today - timedelta(days=10), today + timedelta(days=18), TargetGroup.SENIORS, Delivery.VOLUNTEER, volunteer_name="Laima" if lithuanian else "Laila", staff_id=staff_id)
    _lend(kits[2], care_home, today - timedelta(days=7), today + timedelta(days=60), TargetGroup.VISUAL, Delivery.DESK, staff_id=staff_id)
