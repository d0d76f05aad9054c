"""The booking rules: what may be booked, and what is refused with which message. Nothing is written on refusal."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.bookings import services
from bibnet.tenants.bookings.conflicts import SlotTaken
from bibnet.tenants.bookings.models import Booking, Occurrence, Status
from bibnet.tenants.bookings.recurrence import Frequency
from bibnet.tenants.rooms.models import Closure

from conftest import booking_input, monday_in

# The test prepares and inspects Jelgava's rows, as a request to /t/jelgava/ would.
pytestmark = pytest.mark.usefixtures("in_jelgava")




def book(world, room, day, start, end, confirm=True, skip=False, **fields):
    with tenant_scope(world.jelgava):
        booking = services.create_booking(booking_input(room, world.staff, day, start, end, **fields), world.staff, confirm=confirm, skip_unavailable=skip)
        db.session.commit()
        return booking


def refused(world, room, day, start, end, **fields):
    with tenant_scope(world.jelgava):
        with pytest.raises((Refused, SlotTaken)) as caught:
            services.create_booking(booking_input(room, world.staff, day, start, end, **fields), world.staff, confirm=True)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == booking_count(world)
    return caught.value


def booking_count(world):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Booking))


def messages(error):
    return {name: [str(m) for m in found] for name, found in error.errors.items()}


class TestASingleSession:
    def test_is_stored_in_utc_and_holds_the_room(self, world, room):
        monday = monday_in(2)
        booking = book(world, room, monday, time(10), time(11, 30))
        (occurrence,) = booking.occurrences
        assert occurrence.status is Status.CONFIRMED
        assert occurrence.starts_at.tzinfo is not None
        assert occurrence.starts_at.astimezone(UTC).hour in (7, 8)  # Riga is UTC+2 or UTC+3
        assert occurrence.blocked_until - occurrence.ends_at == timedelta(minutes=15)

    def test_overlapping_an_existing_session_is_refused_with_its_time(self, world, room):
        monday = monday_in(2)
        book(world, room, monday, time(10), time(11))
        error = refused(world, room, monday, time(10, 30), time(12))
        assert isinstance(error, SlotTaken)
        (clash,) = error.unavailable
        assert clash.reason == "taken" and clash.clash[0].astimezone(UTC).minute == 0

    def test_the_cleaning_buffer_counts(self, world, room):
        monday = monday_in(2)
        book(world, room, monday, time(10), time(11))
        assert isinstance(refused(world, room, monday, time(11, 10), time(12)), SlotTaken)
        book(world, room, monday, time(11, 15), time(12))  # exactly at the end of the buffer

    def test_back_to_back_is_fine_without_a_buffer(self, world, make_room):
        room = make_room(world.jelgava, "No buffer room", buffer_minutes=0)
        monday = monday_in(2)
        book(world, room, monday, time(10), time(11))
        book(world, room, monday, time(11), time(12))

    @pytest.mark.parametrize(
        "start,end,field,text",
        [
            (time(11), time(10), "end_time", "The end time must be after the start time."),
            (time(9), time(13, 30), "end_time", "at most 180 minutes"),
            (time(7), time(8), "start_time", "not open at this time"),
        ],
    )
    def test_bad_times_are_refused(self, world, room, start, end, field, text):
        error = refused(world, room, monday_in(2), start, end)
        assert any(text in message for message in messages(error)[field])

    def test_a_time_in_the_past_is_refused(self, world, room):
        error = refused(world, room, monday_in(-1), time(10), time(11))
        assert "already passed" in messages(error)["first_date"][0]

    def test_too_short_notice_and_too_far_ahead_are_refused(self, world, make_room):
        room = make_room(world.jelgava, "Strict room", min_notice_hours=72, max_advance_days=30)
        tomorrow = date.today() + timedelta(days=1)
        error = refused(world, room, tomorrow, time(10), time(11), frequency=Frequency.DAILY, count=1)
        assert "at least 72 hours ahead" in messages(error)["first_date"][0]
        error = refused(world, room, monday_in(8), time(10), time(11))
        assert "at most 30 days ahead" in messages(error)["first_date"][0]

    def test_more_visitors_than_the_room_holds_is_refused(self, world, room):
        error = refused(world, room, monday_in(2), time(10), time(11), expected={"seniors": 6, "visual": 2, "carers": 1})
        assert "holds 8 people" in messages(error)["expected.carers"][0]

    def test_negative_counts_are_refused(self, world, room):
        error = refused(world, room, monday_in(2), time(10), time(11), expected={"hearing": -1})
        assert "0 or more" in messages(error)["expected.hearing"][0]

    def test_a_closed_day_is_refused_with_the_closure_reason(self, world, room):
        monday = monday_in(2)
        with tenant_scope(world.jelgava):
            db.session.add(Closure(starts_on=monday, ends_on=monday, reason="Deep cleaning"))
            db.session.commit()
        error = refused(world, room, monday, time(10), time(11))
        assert "closed on this day: Deep cleaning" in messages(error)["first_date"][0]

    def test_a_room_of_another_tenant_is_unknown(self, world, make_room):
        theirs = make_room(world.pasvalys, "Their room")
        error = refused(world, theirs, monday_in(2), time(10), time(11))
        assert "room_id" in messages(error)

    def test_the_responsible_person_must_be_staff_of_the_tenant(self, world, room):
        with tenant_scope(world.jelgava), pytest.raises(Refused) as caught:
            services.create_booking(booking_input(room, world.other_staff, monday_in(2), time(10), time(11)), world.staff, confirm=True)
        assert "responsible_id" in caught.value.errors


class TestASeries:
    def test_weekly_on_two_weekdays_until_a_date(self, world, room):
        monday = monday_in(2)
        booking = book(world, room, monday, time(10), time(11), frequency=Frequency.WEEKLY, weekdays=frozenset({0, 2}), until=monday + timedelta(weeks=3, days=2))
        starts = [o.starts_at.astimezone(UTC).date() for o in booking.occurrences]
        assert len(starts) == 8 and booking.last_date == monday + timedelta(weeks=3, days=2)

    def test_every_second_week_with_a_count(self, world, room):
        monday = monday_in(2)
        booking = book(world, room, monday, time(10), time(11), frequency=Frequency.WEEKLY, interval=2, count=3)
        assert [o.original_starts_at.date() for o in booking.occurrences] == [monday, monday + timedelta(weeks=2), monday + timedelta(weeks=4)]

    def test_monthly_on_the_nth_weekday(self, world, room):
        first = monday_in(2)
        booking = book(world, room, first, time(10), time(11), frequency=Frequency.MONTHLY, count=4)
        nth = (first.day - 1) // 7
        for occurrence in booking.occurrences:
            day = occurrence.starts_at.date()
            assert day.weekday() == 0
            assert (day.day - 1) // 7 == nth or (nth == 4 and day.day > 21)

    def test_longer_than_a_year_is_refused(self, world, room):
        monday = monday_in(2)
        error = refused(world, room, monday, time(10), time(11), frequency=Frequency.WEEKLY, count=60)
        assert "at most one year" in messages(error)["count"][0]
        error = refused(world, room, monday, time(10), time(11), frequency=Frequency.DAILY, until=monday + timedelta(days=400))
        assert "at most one year" in messages(error)["until"][0]

    def test_a_series_needs_an_end(self, world, room):
        error = refused(world, room, monday_in(2), time(10), time(11), frequency=Frequency.WEEKLY)
        assert "until" in messages(error)

    def test_colliding_dates_are_named_and_the_free_ones_can_be_booked(self, world, room):
        monday = monday_in(2)
        book(world, room, monday + timedelta(weeks=1), time(10, 30), time(11, 30))
        with tenant_scope(world.jelgava):
            db.session.add(Closure(starts_on=monday + timedelta(weeks=2), ends_on=monday + timedelta(weeks=2), reason="Public holiday"))
            db.session.commit()
        error = refused(world, room, monday, time(10), time(11), frequency=Frequency.WEEKLY, count=4)
        assert [(u.slot.day, u.reason) for u in error.unavailable] == [(monday + timedelta(weeks=1), "taken"), (monday + timedelta(weeks=2), "closed")]
        booking = book(world, room, monday, time(10), time(11), frequency=Frequency.WEEKLY, count=4, skip=True)
        assert [o.status for o in booking.occurrences] == [Status.CONFIRMED, Status.CANCELLED, Status.CANCELLED, Status.CONFIRMED]
        assert services.reason_text(booking.occurrences[1].status_reason).startswith("Not booked")


class TestTime:
    @pytest.mark.parametrize("zone,tenant", [("Europe/Riga", "jelgava"), ("Europe/Vilnius", "pasvalys")])
    def test_a_weekly_club_stays_at_ten_local_across_the_daylight_saving_switch(self, world, make_room, zone, tenant):
        owner = getattr(world, tenant)
        assert owner.timezone == zone
        room = make_room(owner, "DST room")
        # The Mondays around the last Sunday of March of next year: UTC+2 before, UTC+3 after.
        year = date.today().year + 1
        last_sunday = max(date(year, 3, day) for day in range(25, 32) if date(year, 3, day).weekday() == 6)
        first = last_sunday - timedelta(days=6)
        responsible = world.staff if tenant == "jelgava" else world.other_staff
        with tenant_scope(owner):
            booking = services.create_booking(
                booking_input(room, responsible, first, time(10), time(11), frequency=Frequency.WEEKLY, count=2),
                responsible, confirm=True, now=datetime(year, 1, 1, tzinfo=UTC),
            )
            db.session.commit()
            starts = [o.starts_at for o in booking.occurrences]
        assert [moment.astimezone(UTC).hour for moment in starts] == [8, 7]
        assert {moment.astimezone(ZoneInfo(zone)).hour for moment in starts} == {10}


class TestApproval:
    def test_requests_may_overlap_and_confirming_one_rejects_the_others(self, world, make_room):
        room = make_room(world.jelgava, "Approval room", needs_approval=True)
        monday = monday_in(2)
        first = book(world, room, monday, time(10), time(11), confirm=False)
        second = book(world, room, monday, time(10, 30), time(11, 30), confirm=False)
        assert {first.occurrences[0].status, second.occurrences[0].status} == {Status.REQUESTED}
        with tenant_scope(world.jelgava):
            services.approve(first.occurrences, world.coordinator)
            db.session.commit()
            db.session.refresh(second.occurrences[0])
        assert first.occurrences[0].status is Status.CONFIRMED
        assert second.occurrences[0].status is Status.REJECTED
        assert services.reason_text(second.occurrences[0].status_reason) == "Another booking was confirmed for this time."

    def test_rejecting_needs_a_reason(self, world, make_room):
        room = make_room(world.jelgava, "Approval room", needs_approval=True)
        booking = book(world, room, monday_in(2), time(10), time(11), confirm=False)
        with tenant_scope(world.jelgava):
            with pytest.raises(Refused):
                services.reject(booking.occurrences, "  ")
            services.reject(booking.occurrences, "The room is being repainted")
            db.session.commit()
        assert booking.occurrences[0].status is Status.REJECTED


class TestChangingOneSession:
    def test_cancelling_one_occurrence_leaves_the_series(self, world, room):
        booking = book(world, room, monday_in(2), time(10), time(11), frequency=Frequency.WEEKLY, count=3)
        with tenant_scope(world.jelgava):
            services.cancel([booking.occurrences[1]], world.staff)
            db.session.commit()
        assert [o.status for o in booking.occurrences] == [Status.CONFIRMED, Status.CANCELLED, Status.CONFIRMED]

    def test_moving_one_occurrence_keeps_where_the_rule_put_it(self, world, room):
        booking = book(world, room, monday_in(2), time(10), time(11), frequency=Frequency.WEEKLY, count=3)
        second = booking.occurrences[1]
        with tenant_scope(world.jelgava):
            services.move_occurrence(second, second.original_starts_at.date() + timedelta(days=1), time(14), time(15))
            db.session.commit()
        assert second.moved and second.starts_at.date() == second.original_starts_at.date() + timedelta(days=1)

    def test_moving_onto_a_taken_slot_is_refused(self, world, room):
        monday = monday_in(2)
        book(world, room, monday, time(14), time(15))
        booking = book(world, room, monday, time(10), time(11))
        with tenant_scope(world.jelgava):
            with pytest.raises(SlotTaken):
                services.move_occurrence(booking.occurrences[0], monday, time(14, 30), time(15, 30))
            db.session.refresh(booking.occurrences[0])
        assert booking.occurrences[0].starts_at.astimezone(UTC).hour in (7, 8)


class TestAttendance:
    def test_is_counted_per_target_group_after_the_session(self, world, room):
        booking = book(world, room, monday_in(2), time(10), time(11))
        occurrence = booking.occurrences[0]
        with tenant_scope(world.jelgava):
            with pytest.raises(Refused):
                services.record_attendance(occurrence, {"seniors": 2})
            services.record_attendance(occurrence, {"seniors": 2, "visual": 1, "carers": 1}, now=occurrence.ends_at)
            db.session.commit()
        assert occurrence.status is Status.COMPLETED
        assert occurrence.attended == {"seniors": 2, "physical": 0, "psychosocial": 0, "intellectual": 0, "visual": 1, "hearing": 0, "other": 0, "carers": 1}

    def test_a_no_show_is_recorded_as_such(self, world, room):
        occurrence = book(world, room, monday_in(2), time(10), time(11)).occurrences[0]
        with tenant_scope(world.jelgava):
            services.record_attendance(occurrence, None, now=occurrence.ends_at)
            db.session.commit()
        assert occurrence.status is Status.NO_SHOW


def test_the_database_itself_refuses_overlapping_occurrences_on_postgresql(world, room):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's")
    booking = book(world, room, monday_in(2), time(10), time(11))
    taken = booking.occurrences[0]
    with tenant_scope(world.jelgava):
        db.session.add(Occurrence(booking_id=booking.id, room_id=room.id, starts_at=taken.starts_at, ends_at=taken.ends_at, blocked_until=taken.blocked_until, original_starts_at=taken.starts_at, status=Status.CONFIRMED))
        with pytest.raises(sa.exc.IntegrityError) as caught:
            db.session.flush()
        db.session.rollback()
    assert caught.value.orig.sqlstate == "23P01"
