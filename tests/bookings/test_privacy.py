"""Organiser contacts are erased after the retention period, counts stay; the jobs run from `bibnet jobs run`."""
from datetime import time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bibnet.audit.models import AuditEntry
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.bookings import privacy, reminders, services
from bibnet.tenants.bookings.models import Booking
from bibnet.tenants.bookings.recurrence import Frequency, to_local
from bibnet.tenants.rooms.models import OpeningHours

from conftest import booking_input, deliver_queued_mail, monday_in

# The test prepares and inspects Jelgava's rows, as a request to /t/jelgava/ would.
pytestmark = pytest.mark.usefixtures("in_jelgava")




def book(world, room, day, start=time(10), end=time(11), tenant=None, responsible=None, **fields):
    tenant, responsible = tenant or world.jelgava, responsible or world.staff
    fields.setdefault("organiser_name", "Senioru klubs")
    fields.setdefault("organiser_contact", "klubs@example.lv")
    with tenant_scope(tenant):
        booking = services.create_booking(booking_input(room, responsible, day, start, end, **fields), responsible, confirm=True)
        db.session.commit()
        return booking


def last_end(booking):
    return max(o.ends_at for o in booking.occurrences)


def reload(booking, tenant):
    with tenant_scope(tenant):
        db.session.expire_all()
        return db.session.get(Booking, booking.id)


class TestErasingContacts:
    def test_happens_thirty_days_after_the_session_and_counts_stay(self, world, room):
        booking = book(world, room, monday_in(2), expected={"seniors": 4, "carers": 1})
        ended = last_end(booking)
        assert privacy.erase_contacts(now=ended + timedelta(days=29)) == 0
        assert booking.organiser_contact == "klubs@example.lv"
        assert privacy.erase_contacts(now=ended + timedelta(days=31)) == 1
        booking = reload(booking, world.jelgava)
        assert booking.organiser_name is None and booking.organiser_contact is None
        assert booking.contact_erased_at is not None
        assert booking.expected == {"seniors": 4, "physical": 0, "psychosocial": 0, "intellectual": 0, "visual": 0, "hearing": 0, "other": 0, "carers": 1}
        assert booking.title == "Sensory session" and len(booking.occurrences) == 1

    def test_of_a_series_waits_for_its_last_session(self, world, room):
        booking = book(world, room, monday_in(2), frequency=Frequency.WEEKLY, count=3)
        first_end = min(o.ends_at for o in booking.occurrences)
        assert privacy.erase_contacts(now=first_end + timedelta(days=31)) == 0
        assert privacy.erase_contacts(now=last_end(booking) + timedelta(days=31)) == 1

    def test_follows_the_configured_retention(self, app, world, room, monkeypatch):
        monkeypatch.setitem(app.config, "BOOKING_CONTACT_RETENTION_DAYS", 7)
        booking = book(world, room, monday_in(2))
        assert privacy.erase_contacts(now=last_end(booking) + timedelta(days=8)) == 1

    def test_covers_every_tenant_and_runs_once(self, world, room, make_room):
        theirs = make_room(world.pasvalys, "Pasvalys room")
        ours, other = book(world, room, monday_in(2)), book(world, theirs, monday_in(2), tenant=world.pasvalys, responsible=world.other_staff)
        with tenant_scope(world.pasvalys):
            other_end = last_end(other)
        later = max(last_end(ours), other_end) + timedelta(days=31)
        assert privacy.erase_contacts(now=later) == 2
        assert reload(other, world.pasvalys).organiser_contact is None
        assert privacy.erase_contacts(now=later + timedelta(days=1)) == 0

    def test_is_in_the_audit_log_without_the_erased_values(self, world, room):
        booking = book(world, room, monday_in(2), organiser_name="Anna Bērziņa", organiser_contact="+371 26123456")
        privacy.erase_contacts(now=last_end(booking) + timedelta(days=31))
        entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.object_type == "Booking", AuditEntry.action == "update")).all()
        (entry,) = [e for e in entries if "contact_erased_at" in e.changes]
        assert entry.changes["organiser_name"] == "***" and entry.changes["organiser_contact"] == "***"
        assert "Anna" not in str(entry.changes) and "26123456" not in str(entry.changes)


def outbox(app) -> list[str]:
    deliver_queued_mail(app)
    folder = Path(app.config["MAIL_OUTBOX"])
    return [path.read_text() for path in folder.glob("*.eml")] if folder.exists() else []


def into_the_past(booking, days: int) -> None:
    """Make a booked session one that took place `days` days ago (the services refuse booking the past)."""
    for occurrence in booking.occurrences:
        for name in ("starts_at", "ends_at", "blocked_until", "original_starts_at"):
            setattr(occurrence, name, getattr(occurrence, name) - timedelta(days=days))
    booking.first_date -= timedelta(days=days)
    booking.last_date -= timedelta(days=days)
    db.session.commit()


class TestTheJobs:
    @pytest.fixture
    def open_every_day(self, room):
        room.opening_hours = [OpeningHours(weekday=day, opens=time(8), closes=time(20)) for day in range(7)]
        db.session.commit()
        return room

    def test_send_reminders_mails_the_organisers_of_tomorrow(self, app, world, open_every_day):
        room = open_every_day
        tomorrow_in_riga = to_local(utcnow(), "Europe/Riga").date() + timedelta(days=1)
        book(world, room, tomorrow_in_riga, time(16), time(17))
        runner = app.test_cli_runner()
        sent_before = len(outbox(app))
        result = runner.invoke(args=["jobs", "run", "--only", "bookings.reminders"])
        assert result.exit_code == 0, result.output
        assert "queued 1 reminder" in result.output
        assert len(outbox(app)) == sent_before + 1
        assert "No job was due" in runner.invoke(args=["jobs", "run", "--only", "bookings.reminders"]).output
        assert reminders.send_reminders() == 0  # and once more by hand: the session is reminded already

    def test_erase_contacts_erases_those_past_the_retention_period(self, app, world, room):
        old, recent = book(world, room, monday_in(2), time(10), time(11)), book(world, room, monday_in(2), time(12), time(13))
        into_the_past(old, 7 * 8)
        into_the_past(recent, 7 * 4)  # two weeks ago: within the 30 days
        result = app.test_cli_runner().invoke(args=["jobs", "run", "--only", "retention.erase"])
        assert result.exit_code == 0, result.output
        assert "bookings.organiser_contacts: 1" in result.output
        assert reload(old, world.jelgava).organiser_contact is None
        assert reload(recent, world.jelgava).organiser_contact == "klubs@example.lv"

    def test_one_run_does_every_due_job(self, app, world, room):
        into_the_past(book(world, room, monday_in(2)), 7 * 8)
        result = app.test_cli_runner().invoke(args=["jobs", "run"])
        assert result.exit_code == 0, result.output
        assert "bookings.reminders: queued 0 reminder" in result.output and "bookings.organiser_contacts: 1" in result.output


def test_the_retention_default_is_thirty_days(app):
    assert app.config["BOOKING_CONTACT_RETENTION_DAYS"] == 30
