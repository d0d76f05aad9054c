"""`bibnet demo` gives Pasvalys and Jelgava a sensory room in use: a weekly club, a fortnight of sessions around
today with the attendance of the past ones, and one request waiting for approval. Loading it again adds nothing."""
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from flask.cli import ScriptInfo
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from bibnet import demo
from bibnet.audit.models import AuditEntry
from bibnet.cli import main
from bibnet.extensions import db
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings import demo as bookings_demo
from bibnet.tenants.bookings.models import Activity, Booking, Occurrence, Status
from bibnet.tenants.rooms import demo as rooms_demo
from bibnet.tenants.rooms.models import Closure, OpeningHours, Room

from conftest import deliver_queued_mail

MODELS = (Room, OpeningHours, Closure, Booking, Occurrence, AuditEntry)


def _load(app, now=None):
    """The whole demo, as `bibnet demo` loads it now or on a chosen day; returns a moment before it ran."""
    if now is None:
        before = datetime.now(UTC)
        result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
        assert result.exit_code == 0, result.output
        return before
    demo.load()
    rooms_demo.load_demo(now)
    bookings_demo.load_demo(now)
    db.session.commit()
    return now


def _tenant(slug):
    return db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))


def _room(slug):
    with tenant_scope(_tenant(slug)):
        return db.session.scalar(sa.select(Room))


def _occurrences(slug):
    """The room's sessions, each with its booking loaded (reading it later needs no tenant)."""
    with tenant_scope(_tenant(slug)):
        statement = sa.select(Occurrence).join(Occurrence.booking).options(contains_eager(Occurrence.booking))
        return list(db.session.scalars(statement.order_by(Occurrence.starts_at)))


def _counts():
    with all_tenants("test: counting the demo rows"):
        return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in MODELS}


def _local(moment, slug):
    return moment.astimezone(ZoneInfo(_tenant(slug).timezone))


class TestTheRooms:
    def test_pasvalys_books_directly_and_jelgava_needs_approval(self, app, app_context):
        _load(app)
        pasvalys, jelgava = _room("pasvalys"), _room("jelgava")
        assert (pasvalys.name, pasvalys.library) == ("Sensorinė skaitykla", "Pasvalio Mariaus Katiliškio viešoji biblioteka")
        assert (jelgava.name, jelgava.library) == ("Sensorā lasītava", "Jelgavas pilsētas bibliotēka")
        assert not pasvalys.needs_approval and jelgava.needs_approval
        assert "bubble_tube" in pasvalys.features and "hearing_loop" in jelgava.features
        assert _room("augsdaugava") is None

    def test_pasvalys_opens_tuesday_to_friday_and_saturday_morning(self, app, app_context):
        _load(app)
        with tenant_scope(_tenant("pasvalys")):
            hours = [(h.weekday, h.opens, h.closes) for h in _room("pasvalys").opening_hours]
        assert hours == [(1, time(10), time(18)), (2, time(10), time(18)), (3, time(10), time(18)), (4, time(10), time(18)), (5, time(10), time(15))]

    def test_each_tenant_closes_on_its_next_national_holiday(self, app, app_context):
        now = _load(app, datetime(2026, 11, 20, 9, tzinfo=UTC))
        with tenant_scope(_tenant("pasvalys")):
            (closure,) = db.session.scalars(sa.select(Closure))
        assert (closure.room_id, closure.starts_on, closure.ends_on, closure.reason) == (None, date(2026, 12, 24), date(2026, 12, 24), "Kūčios")
        with tenant_scope(_tenant("jelgava")):
            (closure,) = db.session.scalars(sa.select(Closure))
        assert closure.starts_on > now.date() and closure.reason == "Ziemassvētku vakars"


class TestTheClub:
    def test_meets_every_tuesday_at_ten_for_twelve_weeks_around_today(self, app, app_context):
        now = _load(app)
        with tenant_scope(_tenant("pasvalys")):
            (club,) = db.session.scalars(sa.select(Booking).where(Booking.activity == Activity.CLUB))
            sessions = club.occurrences
        assert len(sessions) == 12 and club.weekdays == "1" and club.count == 12
        starts = [_local(o.starts_at, "pasvalys") for o in sessions]
        assert {(s.weekday(), s.time()) for s in starts} == {(1, time(10))}
        assert starts[0] < now < starts[-1]
        assert {o.status for o in sessions if o.ends_at <= now} == {Status.COMPLETED}
        assert {o.status for o in sessions if o.starts_at > now} <= {Status.CONFIRMED, Status.CANCELLED}

    def test_keeps_ten_oclock_across_the_daylight_saving_switch(self, app, app_context):
        _load(app, datetime(2027, 3, 24, 12, tzinfo=UTC))  # the clocks go forward on 28 March
        sessions = [o for o in _occurrences("pasvalys") if o.booking.activity == Activity.CLUB]
        assert {_local(o.starts_at, "pasvalys").time() for o in sessions} == {time(10)}
        assert {o.starts_at.astimezone(UTC).hour for o in sessions} == {8, 7}

    def test_skips_a_holiday_that_falls_on_a_tuesday(self, app, app_context):
        _load(app, datetime(2024, 12, 2, 9, tzinfo=UTC))  # Kūčios 2024 is a Tuesday
        sessions = [o for o in _occurrences("pasvalys") if o.booking.activity == Activity.CLUB]
        skipped = [o for o in sessions if o.status is Status.CANCELLED]
        assert [_local(o.starts_at, "pasvalys").date() for o in skipped] == [date(2024, 12, 24)]
        assert len(sessions) == 12


class TestTheFortnightOfSessions:
    def check_sessions(self, now):
        for slug in ("pasvalys", "jelgava"):
            occurrences = _occurrences(slug)
            ended = [o for o in occurrences if o.ends_at <= now and o.status is not Status.CANCELLED]
            ahead = [o for o in occurrences if o.starts_at > now and o.status is not Status.CANCELLED]
            assert len(ended) >= 6 and len(ahead) >= 6
            for occurrence in ended:
                assert occurrence.status in (Status.COMPLETED, Status.NO_SHOW)
                # Recorded some minutes after the session ended, at the latest when the demo ran (which is after
                # `now` when a session ended in the last 20 minutes).
                assert occurrence.ends_at <= occurrence.attendance_recorded_at <= occurrence.ends_at + timedelta(minutes=20)
                if occurrence.status is Status.COMPLETED:
                    assert sum(occurrence.attended.values()) > 0
            assert any(o.status is Status.NO_SHOW for o in ended)
            requested = [o for o in ahead if o.status is Status.REQUESTED]
            assert len(requested) == (1 if slug == "jelgava" else 0)
            assert all(o.status is Status.CONFIRMED for o in ahead if o not in requested)
            days = {_local(o.starts_at, slug).date() for o in occurrences if o.booking.activity != Activity.CLUB}
            today = _local(now, slug).date()
            assert min(days) >= today - timedelta(days=7) and max(days) <= today + timedelta(days=8)

    def test_past_ones_have_attendance_or_a_no_show_and_future_ones_are_confirmed(self, app, app_context):
        self.check_sessions(_load(app))

    @pytest.mark.parametrize("day", range(7))
    def test_on_any_day_of_the_week(self, app, app_context, day):
        if db.engine.dialect.name != "sqlite":
            pytest.skip("date arithmetic only: once is enough")
        self.check_sessions(_load(app, datetime(2027, 1, 11, 14, 30, tzinfo=UTC) + timedelta(days=day)))

    def test_organisers_are_fictional_and_only_the_coordinator_is_mailed_about_the_request(self, app, app_context):
        _load(app)
        with all_tenants("test: reading the demo organisers"):
            contacts = set(db.session.scalars(sa.select(Booking.organiser_contact).where(Booking.organiser_contact.is_not(None))))
        assert len(contacts) >= 4 and all(contact.endswith("@example.org") for contact in contacts)
        deliver_queued_mail(app)
        outbox = Path(app.config["MAIL_OUTBOX"])
        recipients = {message_from_bytes(path.read_bytes())["To"] for path in outbox.glob("*.eml")}
        # The request goes to the coordinator; the other mail is the demo's notifications to its own users (the lead
        # hears of the submitted expenditure, coordinators of decisions), never to an organiser.
        assert "coordinator@jelgava.example" in recipients
        assert all(recipient.endswith(".example") for recipient in recipients), recipients


def test_loading_the_demo_again_adds_nothing(app, app_context):
    _load(app)
    loaded = _counts()
    assert loaded["Room"] == 2 and loaded["Booking"] > 20
    _load(app)
    assert _counts() == loaded
