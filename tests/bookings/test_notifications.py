"""E-mails about bookings: who gets which mail, in which language, with what in it, and only after a commit."""
from datetime import UTC, datetime, time, timedelta
import email
from email import policy
from pathlib import Path

from babel.dates import format_date
from flask_babel import force_locale
import pytest
import sqlalchemy as sa

from bibnet.accounts.models import Membership, Role
from bibnet.extensions import db
from bibnet.tenants.bookings import reminders, services
from bibnet.tenants.bookings.conflicts import SlotTaken
from bibnet.tenants.bookings.models import Occurrence
from bibnet.tenants.bookings.notifications import organiser_address
from bibnet.tenants.bookings.recurrence import Frequency, to_utc

from conftest import booking_input, deliver_queued_mail, monday_in

ORGANISER = "Anna.Berzina@Example.lv"
PRIVATE_NOTE = "Key is under the mat"

# The test prepares and inspects Jelgava's rows, as a request to /t/jelgava/ would.
pytestmark = pytest.mark.usefixtures("in_jelgava")




def outbox(app) -> list[email.message.EmailMessage]:
    deliver_queued_mail(app)
    folder = Path(app.config["MAIL_OUTBOX"])
    files = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if folder.exists() else []
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]


def body(message) -> str:
    return message.get_content()


def book(world, room, day, start=time(10), end=time(11), confirm=True, contact=ORGANISER, **fields):
    fields.setdefault("organiser_name", "Senioru klubs")
    fields.setdefault("internal_note", PRIVATE_NOTE)
    fields.setdefault("expected", {"seniors": 3, "hearing": 2, "carers": 1})
    booking = services.create_booking(booking_input(room, world.staff, day, start, end, organiser_contact=contact, **fields), world.staff, confirm=confirm)
    db.session.commit()
    return booking


def latvian_date(day) -> str:
    return format_date(day, "full", locale="lv")


class TestTheOrganiser:
    def test_gets_the_confirmation_in_the_tenants_language_with_room_library_date_time_and_title(self, app, world, room):
        monday = monday_in(2)
        book(world, room, monday, time(10), time(11, 30), title="Tuesday club")
        (mail,) = outbox(app)
        assert mail["To"] == "Anna.Berzina@example.lv"
        assert "Tuesday club" in mail["Subject"]
        text = body(mail)
        assert "Tuesday club" in text and room.name in text and room.library in text
        assert latvian_date(monday) in text  # Jelgava writes in Latvian
        assert "10:00–11:30" in text  # local time, not UTC

    def test_never_reads_the_internal_note_or_the_visitor_counts(self, app, world, room):
        book(world, room, monday_in(2), expected={"seniors": 7}, internal_note=PRIVATE_NOTE)
        (mail,) = outbox(app)
        assert PRIVATE_NOTE not in body(mail)
        assert "7" not in body(mail).replace(str(monday_in(2).year), "")

    def test_gets_nothing_when_the_contact_is_a_phone_number_or_missing(self, app, world, room):
        book(world, room, monday_in(2), time(10), time(11), contact="+371 2612 3456")
        book(world, room, monday_in(2), time(12), time(13), contact=None)
        assert outbox(app) == []

    @pytest.mark.parametrize("contact,address", [("anna@example.lv", "anna@example.lv"), (" +371 26123456 ", None), ("anna at example.lv", None), ("anna@", None), ("", None)])
    def test_only_an_email_address_counts_as_one(self, contact, address):
        assert organiser_address(contact) == address

    def test_is_told_the_reason_of_a_rejection(self, app, world, make_room):
        room = make_room(world.jelgava, "Approval room", needs_approval=True)
        booking = book(world, room, monday_in(2), confirm=False)
        services.reject(booking.occurrences, "The room is being repainted")
        db.session.commit()
        rejection = outbox(app)[-1]
        assert rejection["To"] == "Anna.Berzina@example.lv"
        assert "The room is being repainted" in body(rejection)
        assert latvian_date(monday_in(2)) in body(rejection)

    def test_of_an_overlapping_request_is_told_another_booking_was_confirmed(self, app, world, make_room):
        room = make_room(world.jelgava, "Approval room", needs_approval=True)
        first = book(world, room, monday_in(2), contact="first@example.lv", confirm=False)
        book(world, room, monday_in(2), time(10, 30), time(11, 30), contact="second@example.lv", confirm=False)
        services.approve(first.occurrences, world.coordinator)
        db.session.commit()
        to_organisers = {mail["To"]: body(mail) for mail in outbox(app) if "example.lv" in mail["To"]}
        with force_locale("lv"):
            reason = services.reason_text(services.OVERLAP)
        assert reason in to_organisers["second@example.lv"]
        assert reason not in to_organisers["first@example.lv"]

    def test_is_told_which_sessions_of_a_series_were_cancelled(self, app, world, room):
        monday = monday_in(2)
        booking = book(world, room, monday, frequency=Frequency.WEEKLY, count=3)
        services.cancel([booking.occurrences[1]], world.staff, reason="Staff training day")
        db.session.commit()
        cancellation = outbox(app)[-1]
        text = body(cancellation)
        assert latvian_date(monday + timedelta(weeks=1)) in text
        assert latvian_date(monday) not in text and latvian_date(monday + timedelta(weeks=2)) not in text
        assert "Staff training day" in text


class TestTheCoordinators:
    def test_get_each_new_request_in_their_own_language(self, app, world, make_room, make_user):
        make_user("second.coordinator@jelgava.example", "Second Coordinator", world.jelgava, Role.COORDINATOR, locale="lv")
        former = make_user("former@jelgava.example", "Former Coordinator", world.jelgava, Role.COORDINATOR)
        db.session.scalar(sa.select(Membership).where(Membership.user_id == former.id)).active = False
        db.session.commit()
        room = make_room(world.jelgava, "Approval room", needs_approval=True)
        monday = monday_in(2)
        book(world, room, monday, title="Memory café", contact=None, confirm=False)
        mails = {mail["To"]: mail for mail in outbox(app)}
        # Staff, a former coordinator and the other tenant's coordinator get nothing.
        assert set(mails) == {"coordinator@jelgava.example", "second.coordinator@jelgava.example"}
        english, latvian = body(mails["coordinator@jelgava.example"]), body(mails["second.coordinator@jelgava.example"])
        assert "Memory café" in english and "Jānis Staff" in english and room.name in english
        assert f"{format_date(monday, 'full', locale='en_IE')}, 10:00–11:00" in english  # day-month-year, 24-hour: an EU platform
        assert latvian_date(monday) in latvian
        assert "waits for your approval" in english
        assert PRIVATE_NOTE not in english and "Anna" not in english

    def test_get_a_link_to_the_booking_when_the_request_came_through_the_web(self, app, world, make_room):
        room = make_room(world.jelgava, "Approval room", needs_approval=True)
        with app.test_request_context("/t/jelgava/bookings/new"):
            booking = book(world, room, monday_in(2), confirm=False)
        (mail,) = outbox(app)
        assert f"http://localhost/t/jelgava/bookings/{booking.id}/" in body(mail)

    def test_a_coordinator_who_chose_the_daily_digest_finds_the_request_there(self, app, world, make_room):
        from bibnet.accounts.models import NotificationDelivery
        from bibnet.notifications import send_digests

        world.coordinator.notification_delivery = NotificationDelivery.DAILY_DIGEST
        db.session.commit()
        room = make_room(world.jelgava, "Approval room", needs_approval=True)
        book(world, room, monday_in(2), title="Memory café", contact=None, confirm=False)
        assert outbox(app) == []
        assert send_digests(datetime.now(UTC)) == 1
        (digest,) = outbox(app)
        assert digest["To"] == "coordinator@jelgava.example"
        assert "Booking request to approve: Memory café" in body(digest) and "waits for your approval" in body(digest)

    def test_a_request_sends_the_organiser_nothing_yet(self, app, world, make_room):
        room = make_room(world.jelgava, "Approval room", needs_approval=True)
        book(world, room, monday_in(2), confirm=False)
        assert ORGANISER.lower() not in {mail["To"].lower() for mail in outbox(app)}


class TestOnlyAfterTheCommit:
    def test_nothing_is_sent_before_the_commit_nor_after_a_rollback(self, app, world, room):
        services.create_booking(booking_input(room, world.staff, monday_in(2), time(10), time(11), organiser_contact=ORGANISER), world.staff, confirm=True)
        assert outbox(app) == []
        db.session.rollback()
        db.session.commit()
        assert outbox(app) == []

    def test_a_refused_booking_sends_no_mail(self, app, world, room):
        book(world, room, monday_in(2), time(10), time(11), contact=None)
        with pytest.raises(SlotTaken):
            services.create_booking(booking_input(room, world.staff, monday_in(2), time(10, 30), time(11, 30), organiser_contact=ORGANISER), world.staff, confirm=True)
        db.session.commit()
        assert outbox(app) == []

    def test_a_failing_mail_server_does_not_undo_the_booking_and_the_mail_waits(self, app, world, room, monkeypatch):
        from bibnet import mail

        def broken(message):
            raise OSError("connection refused")

        booking = book(world, room, monday_in(2))
        monkeypatch.setattr(mail, "_transport", broken)
        assert deliver_queued_mail(app) == 0
        assert db.session.get(Occurrence, booking.occurrences[0].id) is not None
        monkeypatch.undo()
        assert outbox(app) == []  # the next try is a minute later
        assert db.session.scalar(sa.select(mail.QueuedMail.attempts)) == 1


class TestTheReminder:
    def sunday_afternoon_before(self, monday, zone="Europe/Riga") -> datetime:
        return to_utc(monday - timedelta(days=1), time(15), zone)

    def test_is_sent_the_day_before_and_only_once(self, app, world, room):
        monday = monday_in(2)
        booking = book(world, room, monday, time(10), time(11), title="Sensory morning")
        book(world, room, monday + timedelta(days=1), time(10), time(11), contact="tuesday@example.lv")
        before = len(outbox(app))
        assert reminders.send_reminders(now=self.sunday_afternoon_before(monday)) == 1
        (reminder,) = outbox(app)[before:]
        assert reminder["To"] == "Anna.Berzina@example.lv" and "Sensory morning" in reminder["Subject"]
        assert latvian_date(monday) in body(reminder) and "10:00" in body(reminder)
        assert booking.occurrences[0].reminder_sent_at is not None
        assert reminders.send_reminders(now=self.sunday_afternoon_before(monday) + timedelta(hours=2)) == 0
        assert len(outbox(app)) == before + 1

    def test_tomorrow_is_the_tenants_local_tomorrow(self, app, world, room):
        monday = monday_in(2)
        book(world, room, monday, time(9), time(10))
        # 23:30 UTC on Saturday is already Sunday 01:30 (or 02:30) in Riga: Monday is tomorrow there.
        saturday_night_utc = datetime.combine(monday - timedelta(days=2), time(23, 30), tzinfo=UTC)
        assert reminders.send_reminders(now=saturday_night_utc) == 1

    def test_skips_cancelled_sessions_and_phone_contacts(self, app, world, room):
        monday = monday_in(2)
        cancelled = book(world, room, monday, time(10), time(11))
        book(world, room, monday, time(12), time(13), contact="+371 26123456")
        services.cancel(cancelled.occurrences, world.staff)
        db.session.commit()
        assert reminders.send_reminders(now=self.sunday_afternoon_before(monday)) == 0
