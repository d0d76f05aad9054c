"""The room's iCal feed: valid RFC 5545, series as RRULE/EXDATE/RECURRENCE-ID in local time, no private details."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from flask_babel import force_locale
from icalendar import Calendar
import pytest

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.bookings import services
from bibnet.tenants.bookings.labels import activity_label
from bibnet.tenants.bookings.models import OCCUPYING, Activity
from bibnet.tenants.bookings.recurrence import Frequency, to_utc
from bibnet.tenants.rooms.models import new_calendar_token

from conftest import booking_input, monday_in

RIGA = ZoneInfo("Europe/Riga")

# The test prepares and inspects Jelgava's rows, as a request to /t/jelgava/ would.
pytestmark = pytest.mark.usefixtures("in_jelgava")




def book(world, room, day, start=time(10), end=time(11), confirm=True, skip=False, tenant=None, responsible=None, now=None, **fields):
    tenant, responsible = tenant or world.jelgava, responsible or world.staff
    with tenant_scope(tenant):
        request = booking_input(room, responsible, day, start, end, **fields)
        booking = services.create_booking(request, responsible, confirm=confirm, skip_unavailable=skip, now=now)
        db.session.commit()
        return booking


def fetch(client, room, tenant=None):
    """GET the room's feed; `tenant`: the room's, when it is not Jelgava (reading the token needs its scope)."""
    if tenant is not None:
        with tenant_scope(tenant):
            token = room.calendar_token
    else:
        token = room.calendar_token
    return client.get(f"/calendar/{token}.ics")


def feed(client, room, tenant=None) -> Calendar:
    response = fetch(client, room, tenant)
    assert response.status_code == 200
    return Calendar.from_ical(response.data)


def events(calendar):
    return calendar.walk("VEVENT")


def expand(series, exdates, overrides) -> list[datetime]:
    """The sessions a calendar app shows for a series: RRULE from DTSTART, minus EXDATE, moved per RECURRENCE-ID."""
    starts = list(rrule.rrulestr(series["RRULE"].to_ical().decode(), dtstart=series.start))
    moved = {event["RECURRENCE-ID"].dt: event.start for event in overrides}
    return sorted(moved.get(start, start) for start in starts if start not in exdates)


class TestTheFeed:
    def test_is_a_valid_calendar_named_after_the_room_with_the_tenants_time_zone(self, client, world, room):
        book(world, room, monday_in(2))
        response = fetch(client, room)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert "private" in response.headers["Cache-Control"]
        calendar = Calendar.from_ical(response.data)
        assert calendar["VERSION"] == "2.0" and "BibNet" in calendar["PRODID"]
        assert calendar["X-WR-CALNAME"] == "Sensory room"
        assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Riga"]
        (event,) = events(calendar)
        assert event["DTSTART"].params["TZID"] == "Europe/Riga"
        assert event.start == datetime.combine(monday_in(2), time(10), tzinfo=RIGA)
        assert event.end == datetime.combine(monday_in(2), time(11), tzinfo=RIGA)
        assert event["STATUS"] == "CONFIRMED" and "DTSTAMP" in event
        assert str(event["UID"]).startswith("booking-") and str(event["UID"]).endswith("@bibnet")
        assert b"\r\n" in response.data  # RFC 5545 content lines end with CRLF

    def test_uses_the_lithuanian_partners_zone_for_its_rooms(self, client, world, make_room):
        room = make_room(world.pasvalys, "Pasvalys room")
        book(world, room, monday_in(2), tenant=world.pasvalys, responsible=world.other_staff)
        calendar = feed(client, room, world.pasvalys)
        assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Vilnius"]
        assert events(calendar)[0]["DTSTART"].params["TZID"] == "Europe/Vilnius"

    def test_shows_the_activity_type_only_never_title_organiser_counts_or_note(self, client, world, room):
        book(
            world, room, monday_in(2), activity=Activity.CLUB, title="Memory club of Mrs Ozola",
            organiser_name="Anna Bērziņa", organiser_contact="anna@example.lv",
            expected={"seniors": 4, "hearing": 3, "carers": 1}, internal_note="Brings her own wheelchair",
        )
        response = fetch(client, room)
        text = response.data.decode()
        for private in ("Memory club", "Ozola", "Anna", "anna@example.lv", "wheelchair", "seniors", "hearing"):
            assert private not in text
        (event,) = events(Calendar.from_ical(response.data))
        with force_locale("lv"):  # Jelgava's language
            assert event["SUMMARY"] == activity_label(Activity.CLUB)
        assert "DESCRIPTION" not in event and "ORGANIZER" not in event and "ATTENDEE" not in event

    def test_leaves_out_requests_and_cancelled_sessions(self, client, world, make_room):
        room = make_room(world.jelgava, "Approval room", needs_approval=True)
        book(world, room, monday_in(2), time(10), time(11), confirm=False)
        cancelled = book(world, room, monday_in(2), time(14), time(15))
        with tenant_scope(world.jelgava):
            services.cancel(cancelled.occurrences, world.staff)
            db.session.commit()
        assert events(feed(client, room)) == []

    def test_reaches_ninety_days_back(self, client, world, room):
        recent, old = book(world, room, monday_in(2), time(10), time(11)), book(world, room, monday_in(2), time(12), time(13))
        with tenant_scope(world.jelgava):
            for booking, days in ((recent, 14 + 7 * 8), (old, 14 + 7 * 14)):  # about 60 and 100 days ago
                for occurrence in booking.occurrences:
                    for name in ("starts_at", "ends_at", "blocked_until", "original_starts_at"):
                        setattr(occurrence, name, getattr(occurrence, name) - timedelta(days=days))
                booking.first_date = booking.last_date = booking.first_date - timedelta(days=days)
            db.session.commit()
            recent_uid = f"booking-{recent.id}@bibnet"
        assert [str(event["UID"]) for event in events(feed(client, room))] == [recent_uid]

    def test_runs_a_fixed_number_of_queries_whatever_the_number_of_bookings(self, client, world, room, count_queries):
        for hour in (9, 11, 13, 15):
            book(world, room, monday_in(2), time(hour), time(hour + 1), frequency=Frequency.WEEKLY, count=3)
        db.session.commit()
        with count_queries() as counted:
            assert len(events(feed(client, room))) == 4
        assert counted.n <= 5, counted.statements  # room, tenant, bookings, occurrences (+ the test reading the token)


class TestTheSecretUrl:
    def test_an_unknown_token_is_not_found(self, client, world, room):
        assert client.get("/calendar/not-a-token.ics").status_code == 404

    def test_regenerating_the_token_cuts_off_the_old_url(self, client, world, room):
        old = f"/calendar/{room.calendar_token}.ics"
        assert client.get(old).status_code == 200
        db.session.refresh(room)
        room.calendar_token = new_calendar_token()
        db.session.commit()
        assert client.get(old).status_code == 404
        assert fetch(client, room).status_code == 200

    def test_needs_no_log_in(self, client, world, room):
        response = fetch(client, room)
        assert response.status_code == 200 and "Set-Cookie" not in response.headers


class TestASeries:
    def test_is_one_event_with_rrule_exdate_for_a_cancelled_date_and_recurrence_id_for_a_moved_one(self, client, world, room):
        monday = monday_in(2)
        booking = book(world, room, monday, frequency=Frequency.WEEKLY, count=4)
        cancelled, moved = booking.occurrences[1], booking.occurrences[2]
        with tenant_scope(world.jelgava):
            services.cancel([cancelled], world.staff)
            services.move_occurrence(moved, monday + timedelta(weeks=2, days=1), time(14), time(15))
            db.session.commit()
            held = sorted(o.starts_at for o in booking.occurrences if o.status in OCCUPYING)
        series, *overrides = events(feed(client, room))
        assert series["RRULE"]["FREQ"] == ["WEEKLY"] and series["RRULE"]["COUNT"] == [4] and series["RRULE"]["BYDAY"] == ["MO"]
        assert series.start == datetime.combine(monday, time(10), tzinfo=RIGA)
        exdates = [moment.dt for moment in series["EXDATE"].dts]
        assert exdates == [datetime.combine(monday + timedelta(weeks=1), time(10), tzinfo=RIGA)]
        assert series["EXDATE"].params["TZID"] == "Europe/Riga"
        (override,) = overrides
        assert override["UID"] == series["UID"]
        assert override["RECURRENCE-ID"].dt == datetime.combine(monday + timedelta(weeks=2), time(10), tzinfo=RIGA)
        assert override.start == datetime.combine(monday + timedelta(weeks=2, days=1), time(14), tzinfo=RIGA)
        # What a calendar app shows is exactly what holds the room.
        assert expand(series, exdates, overrides) == held

    def test_with_an_end_date_gets_until_in_utc_at_the_end_of_that_local_day(self, client, world, room):
        monday = monday_in(2)
        book(world, room, monday, frequency=Frequency.WEEKLY, weekdays=frozenset({0, 2}), until=monday + timedelta(weeks=2, days=2))
        response = fetch(client, room)
        (series,) = events(Calendar.from_ical(response.data))
        until = to_utc(monday + timedelta(weeks=2, days=2), time(23, 59, 59), "Europe/Riga")
        assert series["RRULE"]["UNTIL"] == [until]
        assert f"UNTIL={until:%Y%m%dT%H%M%S}Z".encode() in response.data
        assert series["RRULE"]["BYDAY"] == ["MO", "WE"]
        assert len(expand(series, [], [])) == 6

    def test_monthly_on_the_nth_weekday(self, client, world, room):
        first = monday_in(2)
        booking = book(world, room, first, frequency=Frequency.MONTHLY, count=3)
        (series,) = events(feed(client, room))
        assert series["RRULE"]["FREQ"] == ["MONTHLY"]
        assert expand(series, [], []) == [o.starts_at for o in booking.occurrences]

    def test_with_skipped_dates_excludes_them(self, client, world, room):
        monday = monday_in(2)
        book(world, room, monday + timedelta(weeks=1), time(10, 30), time(11, 30))
        book(world, room, monday, frequency=Frequency.WEEKLY, count=3, skip=True)
        series = next(event for event in events(feed(client, room)) if "RRULE" in event)
        assert [moment.dt for moment in series["EXDATE"].dts] == [datetime.combine(monday + timedelta(weeks=1), time(10), tzinfo=RIGA)]


@pytest.mark.parametrize("tenant_name,zone", [("jelgava", "Europe/Riga"), ("pasvalys", "Europe/Vilnius")])
def test_a_weekly_ten_oclock_club_stays_at_ten_across_the_daylight_saving_switch(client, world, make_room, tenant_name, zone):
    tenant = getattr(world, tenant_name)
    responsible = world.staff if tenant_name == "jelgava" else world.other_staff
    room = make_room(tenant, "DST room")
    year = date.today().year + 1
    last_sunday_of_march = max(date(year, 3, day) for day in range(25, 32) if date(year, 3, day).weekday() == 6)
    first = last_sunday_of_march - timedelta(weeks=2, days=6)
    booking = book(world, room, first, activity=Activity.CLUB, frequency=Frequency.WEEKLY, count=5, tenant=tenant, responsible=responsible, now=datetime(year, 1, 1, tzinfo=UTC))
    with tenant_scope(tenant):
        stored = [o.starts_at for o in booking.occurrences]
    (series,) = events(feed(client, room, tenant))
    assert series["DTSTART"].params["TZID"] == zone
    assert series.start.replace(tzinfo=None) == datetime.combine(first, time(10))
    expanded = expand(series, [], [])
    assert {moment.astimezone(ZoneInfo(zone)).time() for moment in expanded} == {time(10)}
    assert [moment.astimezone(UTC).hour for moment in expanded] == [8, 8, 8, 7, 7]
    assert expanded == stored
