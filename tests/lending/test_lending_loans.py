"""Lending, renewing, returning through cleaning and the check, and reserving: the rules, and refusals that write nothing."""
from datetime import timedelta

from lending_world import lend, make_borrower, make_care_home, make_item, make_kit, refused_saying
import pytest
import sqlalchemy as sa

from bibnet.audit.models import AuditEntry
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.models import Item, ItemStatus
from bibnet.tenants.lending import services
from bibnet.tenants.lending.models import BorrowerKind, Delivery, Loan, Reservation


def _loans() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Loan))


def test_lending_a_kit_puts_it_and_its_parts_on_loan(world, in_jelgava):
    kit, borrower = make_kit(), make_borrower()
    loan = lend(kit, borrower, world.staff)
    db.session.commit()
    assert kit.status is ItemStatus.ON_LOAN and {part.status for part in kit.parts} == {ItemStatus.ON_LOAN}
    assert (loan.staff_id, loan.renewals, loan.returned_on) == (world.staff.id, 0, None)


@pytest.mark.parametrize("status", [ItemStatus.ON_LOAN, ItemStatus.CLEANING, ItemStatus.MAINTENANCE, ItemStatus.LOST, ItemStatus.RETIRED])
def test_only_an_available_item_is_lent_and_a_refusal_writes_nothing(world, in_jelgava, status):
    item, borrower = make_item("Magnifier"), make_borrower()
    inventory.change_status(item, status)
    db.session.commit()
    with pytest.raises(Refused) as refused:
        lend(item, borrower, world.staff)
    assert refused.value.status == 409 and refused.value.summary()
    db.session.rollback()
    assert _loans() == 0 and item.status is status


def test_an_item_on_loan_is_refused_to_a_second_borrower(world, in_jelgava):
    item = make_item("Magnifier")
    lend(item, make_borrower(), world.staff)
    db.session.commit()
    with refused_saying("on loan already"):
        lend(item, make_care_home(), world.staff)
    db.session.rollback()
    assert _loans() == 1


def test_the_database_refuses_a_second_open_loan_of_an_item(world, in_jelgava):
    """Even a writer that skipped the check: the partial unique index on the open loan."""
    item, borrower = make_item("Magnifier"), make_borrower()
    lend(item, borrower, world.staff)
    db.session.commit()
    db.session.add(Loan(item_id=item.id, borrower_id=borrower.id, lent_on=services.today(), due_on=services.today(), last_seen_on=services.today(), target_group="visual"))
    with pytest.raises(Refused):
        services._flush_or_taken("taken")
    db.session.rollback()
    assert _loans() == 1


def test_a_part_of_a_kit_is_not_lent_alone(world, in_jelgava):
    kit = make_kit()
    with refused_saying("part of a kit"):
        lend(kit.parts[0], make_borrower(), world.staff)


def test_a_kit_with_a_part_in_maintenance_is_not_lent_until_it_is_back(world, in_jelgava):
    kit = make_kit()
    inventory.change_status(kit.parts[1], ItemStatus.MAINTENANCE)
    with refused_saying("Charger"):
        lend(kit, make_borrower(), world.staff)
    assert (_loans(), kit.status) == (0, ItemStatus.AVAILABLE)
    inventory.change_status(kit.parts[1], ItemStatus.AVAILABLE)
    assert lend(kit, make_borrower("Other"), world.staff).item_id == kit.id


def test_wrong_input_is_named_field_by_field(world, in_jelgava):
    item, borrower = make_item("Magnifier"), make_borrower()
    with pytest.raises(Refused) as refused:
        services.lend(services.LoanInput(item_id=item.id, borrower_id=borrower.id, due_on=services.today() - timedelta(days=1), target_group="visual", delivery=Delivery.VOLUNTEER), by=world.staff)
    assert set(refused.value.errors) == {"due_on", "volunteer_name", "acceptance_signed_on"}


def test_a_renewal_moves_the_due_date_counts_and_is_in_the_history(world, in_jelgava):
    loan = lend(make_item("Magnifier"), make_borrower(), world.staff, days=7)
    db.session.commit()
    first_due = loan.due_on
    services.renew(loan, first_due + timedelta(days=14))
    db.session.commit()
    assert (loan.due_on, loan.renewals) == (first_due + timedelta(days=14), 1)
    changes = db.session.scalars(sa.select(AuditEntry.changes).where(AuditEntry.object_type == "Loan", AuditEntry.object_id == loan.id, AuditEntry.action == "update")).all()
    assert any("due_on" in change and "renewals" in change for change in changes)
    with pytest.raises(Refused):
        services.renew(loan, first_due)


def test_a_return_goes_to_cleaning_then_the_check_makes_it_available(world, in_jelgava):
    item = make_item("Magnifier")
    loan = lend(item, make_borrower(), world.staff)
    db.session.commit()
    services.return_loan(loan)
    db.session.commit()
    assert (item.status, loan.returned_on) == (ItemStatus.CLEANING, services.today())
    with pytest.raises(Refused):
        lend(item, make_care_home(), world.staff)
    db.session.rollback()
    assert services.check(loan, set()) == []
    db.session.commit()
    assert (item.status, loan.checked_on) == (ItemStatus.AVAILABLE, services.today())


def test_a_part_missing_from_a_returned_kit_is_lost_and_named_on_the_kit(world, in_jelgava):
    kit = make_kit()
    loan = lend(kit, make_borrower(), world.staff)
    services.return_loan(loan)
    db.session.commit()
    player, charger, headphones, manual = kit.parts
    missing = services.check(loan, {player.id, headphones.id, manual.id})
    db.session.commit()
    assert missing == [charger]
    assert charger.status is ItemStatus.LOST and {player.status, headphones.status, manual.status, kit.status} == {ItemStatus.AVAILABLE}
    assert charger.tag in loan.missing_parts and charger.tag in kit.notes and "Charger" in kit.notes


def test_a_check_before_the_return_is_refused(world, in_jelgava):
    loan = lend(make_item("Magnifier"), make_borrower(), world.staff)
    db.session.commit()
    with pytest.raises(Refused):
        services.check(loan, set())


def test_an_institution_names_its_responsible_person_and_consent_is_required(world, in_jelgava):
    with pytest.raises(Refused) as refused:
        services.save_borrower(services.BorrowerInput(name="Care home", kind=BorrowerKind.INSTITUTION, phone="+371 6300 0000", consent_on=None))
    assert set(refused.value.errors) == {"contact_person", "consent_on"}


def test_reservations_of_an_item_never_overlap(world, in_jelgava):
    item, borrower = make_item("Magnifier"), make_borrower()
    start = services.today() + timedelta(days=10)
    services.reserve(services.ReservationInput(item_id=item.id, starts_on=start, ends_on=start + timedelta(days=5), borrower_id=borrower.id), by=world.staff)
    db.session.commit()
    with refused_saying("reserved already"):
        services.reserve(services.ReservationInput(item_id=item.id, starts_on=start + timedelta(days=5), ends_on=start + timedelta(days=8), purpose="Sensory session"), by=world.staff)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reservation)) == 1
    services.reserve(services.ReservationInput(item_id=item.id, starts_on=start + timedelta(days=6), ends_on=start + timedelta(days=8), purpose="Sensory session"), by=world.staff)


def test_a_reservation_cannot_fall_in_an_open_loans_period(world, in_jelgava):
    item = make_item("Magnifier")
    lend(item, make_borrower(), world.staff, days=20)
    db.session.commit()
    with refused_saying("on loan until"):
        services.reserve(services.ReservationInput(item_id=item.id, starts_on=services.today() + timedelta(days=10), ends_on=services.today() + timedelta(days=12), purpose="Club"), by=world.staff)


def test_lending_to_the_reserver_consumes_the_reservation_and_others_are_refused(world, in_jelgava):
    item, reserver, other = make_item("Magnifier"), make_borrower(), make_care_home()
    reservation = services.reserve(services.ReservationInput(item_id=item.id, starts_on=services.today() + timedelta(days=3), ends_on=services.today() + timedelta(days=9), borrower_id=reserver.id), by=world.staff)
    db.session.commit()
    with refused_saying("reserved for someone else"):
        lend(item, other, world.staff, days=14)
    db.session.rollback()
    lend(item, other, world.staff, days=2)  # back before the reservation starts: allowed
    db.session.rollback()
    loan = lend(item, reserver, world.staff, days=14)
    db.session.commit()
    assert (reservation.closed_at is not None, reservation.loan_id) == (True, loan.id)


def test_borrowers_loans_and_reservations_of_another_tenant_are_unknown(world):
    with tenant_scope(world.pasvalys):
        theirs_item, theirs_borrower = make_item("Magnifier"), make_borrower("Ona")
        db.session.commit()
    with tenant_scope(world.jelgava):
        with pytest.raises(Refused) as refused:
            lend(theirs_item, theirs_borrower, world.staff)
        assert set(refused.value.errors) == {"borrower_id"}
        db.session.rollback()
        assert _loans() == 0


def test_on_postgresql_the_database_refuses_overlapping_reservations(world, in_jelgava, database_url):
    """Even a writer that skipped the check: the exclusion constraint over the active reservations' days."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no exclusion constraints: the per-item lock and the check guard it there")
    item, start = make_item("Magnifier"), services.today() + timedelta(days=10)
    services.reserve(services.ReservationInput(item_id=item.id, starts_on=start, ends_on=start + timedelta(days=5), purpose="Club"), by=world.staff)
    db.session.commit()
    db.session.add(Reservation(item_id=item.id, purpose="Sensory session", starts_on=start + timedelta(days=5), ends_on=start + timedelta(days=6), made_by_id=world.staff.id))
    with refused_saying("reserved already"):
        services._flush_or_taken("The item is reserved already for some of these days.")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reservation)) == 1


def test_an_item_held_today_shows_as_reserved_and_is_available_again_when_the_reservation_goes(world, in_jelgava):
    item, borrower = make_item(), make_borrower()
    today = services.today()
    held = services.reserve(services.ReservationInput(item_id=item.id, starts_on=today, ends_on=today + timedelta(days=2), borrower_id=borrower.id), by=world.staff)
    assert item.status is ItemStatus.RESERVED
    with refused_saying("reserved for someone else"):
        lend(item, make_borrower("Someone else"), world.staff)
    services.cancel_reservation(held)
    assert item.status is ItemStatus.AVAILABLE


def test_the_daily_job_shows_reservations_that_start_and_frees_those_that_ended(app, world):
    from datetime import UTC, datetime, time

    with tenant_scope(world.jelgava):
        later, ended = make_item(), make_item()
        today = services.today()
        services.reserve(services.ReservationInput(item_id=later.id, starts_on=today + timedelta(days=3), ends_on=today + timedelta(days=4), purpose="Club"), by=world.staff)
        services.reserve(services.ReservationInput(item_id=ended.id, starts_on=today, ends_on=today, purpose="Session"), by=world.staff)
        db.session.commit()
        assert (later.status, ended.status) == (ItemStatus.AVAILABLE, ItemStatus.RESERVED)
        later_id, ended_id = later.id, ended.id
    three_days_on = datetime.combine(today + timedelta(days=3), time(0, 10), tzinfo=UTC)
    assert services.show_reservations_of_the_day(three_days_on) == 2
    with tenant_scope(world.jelgava):
        assert (db.session.get(Item, later_id).status, db.session.get(Item, ended_id).status) == (ItemStatus.RESERVED, ItemStatus.AVAILABLE)
