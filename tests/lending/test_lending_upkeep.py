"""What runs by itself: overdue digests (one per borrower, one per staff member), the "use it or return it"
flag, erasing borrowers after their last loan, the figures and the home task."""
from datetime import date, timedelta

from lending_world import lend, make_borrower, make_item
import pytest
import sqlalchemy as sa

from bibnet import figures
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tasks import tasks_of
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.lending import figures as lending_figures
from bibnet.tenants.lending import overdue, privacy, services
from bibnet.tenants.lending.models import Borrower, Channel, Delivery, Loan

from conftest import take_delivered_mail

LENDING_FIGURES = [figure.key for figure in lending_figures.SOURCE.figures]


def _overdue(loan, days: int = 3) -> None:
    loan.lent_on, loan.due_on = services.today() - timedelta(days=30), services.today() - timedelta(days=days)


def test_overdue_reminders_are_one_digest_per_borrower_and_per_staff_member(app, world):
    with tenant_scope(world.jelgava):
        by_mail = make_borrower("Jānis Ozols", email="janis@example.lv", preferred_channel=Channel.EMAIL, preferred_locale="en")
        by_phone = make_borrower("Anna Bērziņa")
        for _ in range(2):
            _overdue(lend(make_item("Magnifier"), by_mail, world.staff))
        _overdue(lend(make_item("Magnifier"), by_phone, world.staff, delivery=Delivery.STAFF))
        lend(make_item("Magnifier"), by_phone, world.staff)  # not overdue
        db.session.commit()
    assert overdue.send_reminders() == 2
    mails = take_delivered_mail(app)
    assert sorted(mail["To"] for mail in mails) == ["janis@example.lv", "staff@jelgava.example"]
    to_borrower = next(mail for mail in mails if mail["To"] == "janis@example.lv").get_content()
    assert to_borrower.count("Magnifier") == 2 and "no fines" in to_borrower.lower()
    to_staff = next(mail for mail in mails if mail["To"] == "staff@jelgava.example").get_content()
    assert to_staff.count("Anna Bērziņa") == 2  # on the call list, and on the route
    assert overdue.send_reminders() == 0, "a week passes before the next reminder"


def test_a_loan_unseen_for_months_is_flagged_use_it_or_return_it(app, world, in_jelgava):
    loan = lend(make_item("Magnifier"), make_borrower(), world.staff, days=200)
    today = services.today()
    assert not overdue.is_idle(loan, today)
    loan.last_seen_on = overdue.idle_since(today)
    assert overdue.is_idle(loan, today)
    assert overdue.idle_since(date(2026, 5, 31)) == date(2026, 2, 28)


def test_a_borrower_is_erased_a_year_after_their_last_loan_closed_and_the_counts_stay(app, world, in_jelgava):
    borrower, still_borrowing = make_borrower(email="anna@example.lv"), make_borrower("Jānis Ozols")
    loan = lend(make_item("Magnifier"), borrower, world.staff)
    services.return_loan(loan)
    lend(make_item("Magnifier"), still_borrowing, world.staff)
    loan.returned_on = services.today() - timedelta(days=app.config["LENDING_BORROWER_RETENTION_DAYS"] + 1)
    borrower.created_at = still_borrowing.created_at = utcnow() - timedelta(days=400)
    db.session.commit()
    first, last = services.today() - timedelta(days=400), services.today()
    before = figures.compute(LENDING_FIGURES, [world.jelgava], first, last)
    assert privacy.erase_borrowers(utcnow()) == 1
    erased = db.session.scalar(sa.select(Borrower).where(Borrower.id == borrower.id))
    assert (erased.name, erased.phone, erased.email, erased.address, erased.contact_person) == (f"Erased borrower #{borrower.id}", "", "", "", "")
    assert erased.erased_at is not None and still_borrowing.erased_at is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Loan)) == 2
    assert figures.compute(LENDING_FIGURES, [world.jelgava], first, last).values == before.values


def test_the_figures_count_items_on_loan_and_loans_per_target_group(app, world, in_jelgava):
    lend(make_item("Magnifier"), make_borrower(), world.staff, target_group="visual")
    returned = lend(make_item("Magnifier"), make_borrower("Jānis"), world.staff, target_group="seniors")
    services.return_loan(returned)
    db.session.commit()
    today = services.today()
    table = figures.compute(["lending.items_on_loan", "lending.loans.visual", "lending.loans.seniors", "lending.loans_total"], [world.jelgava], today, today)
    assert table.values[world.jelgava.id] == {"lending.items_on_loan": 1, "lending.loans.visual": 1, "lending.loans.seniors": 1, "lending.loans_total": 2}


def test_the_home_tells_lenders_how_many_loans_are_overdue(app, world):
    with tenant_scope(world.jelgava):
        _overdue(lend(make_item("Magnifier"), make_borrower(), world.staff))
        db.session.commit()
    with app.test_request_context():
        (task,) = [task for task in tasks_of(world.staff) if "overdue" in task.label]
        assert task.count == 1 and "/t/jelgava/lending/" in task.url
        assert not [task for task in tasks_of(world.other_staff) if "overdue" in task.label]


def _long_ago(app, *borrowers):
    for borrower in borrowers:
        borrower.created_at = utcnow() - timedelta(days=app.config["LENDING_BORROWER_RETENTION_DAYS"] + 2)
    db.session.commit()


def test_a_borrower_who_never_borrowed_is_erased_a_year_after_being_registered(app, world, in_jelgava):
    registered, new = make_borrower("Old registration"), make_borrower("New registration")
    _long_ago(app, registered)
    assert privacy.erase_borrowers(utcnow()) == 1
    assert registered.erased_at is not None and new.erased_at is None


def test_a_reservation_still_to_come_keeps_a_borrower_and_an_ended_one_does_not(app, world, in_jelgava):
    coming, ended = make_borrower("Coming"), make_borrower("Ended")
    today = services.today()
    services.reserve(services.ReservationInput(item_id=make_item("Magnifier").id, starts_on=today + timedelta(days=3), ends_on=today + timedelta(days=5), borrower_id=coming.id), by=world.staff)
    old = services.reserve(services.ReservationInput(item_id=make_item("Magnifier").id, starts_on=today, ends_on=today, borrower_id=ended.id), by=world.staff)
    old.starts_on = old.ends_on = today - timedelta(days=app.config["LENDING_BORROWER_RETENTION_DAYS"] + 1)
    _long_ago(app, coming, ended)
    assert privacy.erase_borrowers(utcnow()) == 1
    assert (coming.erased_at, ended.erased_at is not None) == (None, True)


def test_erasing_a_borrower_deletes_their_signed_acceptance_scans_and_loan_notes(app, world, in_jelgava):
    from bibnet.storage.backends import get_storage
    from bibnet.storage.models import StoredFile
    from bibnet.storage.uploads import store_bytes

    borrower = make_borrower()
    scan = store_bytes(b"%PDF-1.4 signed", "acceptance.pdf", "lending", "application/pdf")
    loan = lend(make_item("Magnifier"), borrower, world.staff, acceptance_file_id=scan.id, notes="Given to her daughter Ilze")
    services.return_loan(loan)
    loan.returned_on = services.today() - timedelta(days=app.config["LENDING_BORROWER_RETENTION_DAYS"] + 1)
    key = scan.key
    _long_ago(app, borrower)
    assert privacy.erase_borrowers(utcnow()) == 1
    assert (loan.notes, loan.acceptance_file_id) == ("", None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0
    with pytest.raises(Exception):  # noqa: B017  (the backend's own "no such file")
        get_storage().open(key).read()
