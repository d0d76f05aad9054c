"""The calendar grids as pure functions: slots of 30 minutes, sessions spanning rows, closed and not-open days,
the cleaning buffer, and the free windows of the free-slot search. No database, no app."""
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from bibnet.tenants.bookings.calendar import DayCount, Part, Session, State, free_windows, minutes, room_days, rooms_day, rooms_week, sessions_from
from bibnet.tenants.bookings.models import Status

MONDAY = date(2027, 3, 1)
WEEK = [MONDAY + timedelta(days=n) for n in range(7)]
RIGA = ZoneInfo("Europe/Riga")
LONG_AGO = datetime(2020, 1, 1, tzinfo=RIGA)


@dataclass
class FakeRoom:
    id: int = 1
    name: str = "Sensory room"
    buffer_minutes: int = 15
    min_notice_hours: int = 0
    max_advance_days: int = 3650
    max_duration_minutes: int = 180
    # weekday -> (opens, closes): Monday to Friday 09:00–18:00, Saturday 10:00–14:00, Sunday closed.
    hours: dict = field(default_factory=lambda: {**{day: (time(9), time(18)) for day in range(5)}, 5: (time(10), time(14))})

    @property
    def opening_hours(self):
        return [SimpleNamespace(weekday=day, opens=opens, closes=closes) for day, (opens, closes) in self.hours.items()]


@dataclass
class FakeClosure:
    starts_on: date
    ends_on: date
    reason: str
    room_id: int | None = None

    def covers(self, day, room_id):
        return (self.room_id is None or self.room_id == room_id) and self.starts_on <= day <= self.ends_on


def session(day, start, end, room_id=1, status=Status.CONFIRMED, buffer=15, title="Club", number=1):
    return Session(number, number, room_id, title, status, day, minutes(start), minutes(end), minutes(end) + buffer)


def column_of(grid, day):
    return next(column for column in grid.columns if column.day == day)


def cell_at(grid, day, hour, minute=0):
    """The cell that shows the slot starting at hour:minute on that day (a spanning cell counts for every row)."""
    column = column_of(grid, day)
    index = (hour * 60 + minute - grid.first) // 30
    while column.cells[index] is None:
        index -= 1
    return column.cells[index]


class TestTheWeekOfOneRoom:
    def test_rows_run_from_the_earliest_opening_to_the_latest_closing_in_30_minutes(self):
        grid = room_days(FakeRoom(), WEEK, [], [], earliest=LONG_AGO)
        assert [row.start_time for row in grid.rows][:3] == [time(9), time(9, 30), time(10)]
        assert grid.rows[-1].start_time == time(17, 30) and len(grid.rows) == 18
        assert [column.day for column in grid.columns] == WEEK

    def test_a_session_over_several_slots_is_one_cell_with_a_rowspan(self):
        grid = room_days(FakeRoom(), WEEK, [session(MONDAY, time(10), time(11, 30))], [], earliest=LONG_AGO)
        cell = cell_at(grid, MONDAY, 10)
        assert cell.state is State.BOOKED and cell.rowspan == 3 and cell.sessions[0].title == "Club"
        assert cell_at(grid, MONDAY, 11) is cell
        # The 10:30 row has no Monday cell: the session's cell spans it.
        assert MONDAY in [cell.day for cell in grid.rows[2].cells] and MONDAY not in [cell.day for cell in grid.rows[3].cells]

    def test_a_session_off_the_half_hours_spans_every_slot_it_touches(self):
        grid = room_days(FakeRoom(), WEEK, [session(MONDAY, time(10, 15), time(11, 15))], [], earliest=LONG_AGO)
        assert cell_at(grid, MONDAY, 10).rowspan == 3

    def test_requests_are_told_apart_and_overlapping_requests_share_a_cell(self):
        requests = [session(MONDAY, time(10), time(11), status=Status.REQUESTED, number=1), session(MONDAY, time(10, 30), time(12), status=Status.REQUESTED, number=2)]
        cell = cell_at(room_days(FakeRoom(), WEEK, requests, [], earliest=LONG_AGO), MONDAY, 10)
        assert cell.state is State.REQUESTED and cell.rowspan == 4 and len(cell.sessions) == 2

    def test_a_closed_day_says_closed_with_its_reason_in_one_cell(self):
        closure = FakeClosure(MONDAY + timedelta(days=2), MONDAY + timedelta(days=2), "Deep cleaning")
        grid = room_days(FakeRoom(), WEEK, [], [closure], earliest=LONG_AGO)
        (cell,) = [c for c in column_of(grid, WEEK[2]).cells if c is not None]
        assert cell.state is State.CLOSED and cell.closure_reason == "Deep cleaning" and cell.rowspan == 18

    def test_a_closure_of_another_room_does_not_close_this_one(self):
        closure = FakeClosure(MONDAY, MONDAY, "Repairs", room_id=2)
        assert cell_at(room_days(FakeRoom(), WEEK, [], [closure], earliest=LONG_AGO), MONDAY, 9).state is State.FREE

    def test_hours_the_room_does_not_open_say_not_open(self):
        grid = room_days(FakeRoom(), WEEK, [], [], earliest=LONG_AGO)
        saturday, sunday = WEEK[5], WEEK[6]
        assert cell_at(grid, saturday, 9).state is State.NOT_OPEN and cell_at(grid, saturday, 9).rowspan == 2
        assert cell_at(grid, saturday, 10).state is State.FREE
        assert cell_at(grid, saturday, 14).state is State.NOT_OPEN and cell_at(grid, saturday, 14).rowspan == 8
        assert cell_at(grid, sunday, 9).state is State.NOT_OPEN and cell_at(grid, sunday, 9).rowspan == 18

    def test_free_time_is_one_cell_from_its_first_free_moment_to_the_next_session_or_closing(self):
        grid = room_days(FakeRoom(), WEEK, [session(MONDAY, time(11), time(12))], [], earliest=LONG_AGO)
        before = cell_at(grid, MONDAY, 10)
        assert before.state is State.FREE and (before.start_time, before.end_time, before.rowspan) == (time(9), time(11), 4)
        assert (before.block.start_time, before.block.end_time) == (time(9), time(10, 45))  # its own buffer before 11:00
        after = cell_at(grid, MONDAY, 12)
        assert after is cell_at(grid, MONDAY, 17, 30) and (after.start_time, after.end_time) == (time(12), time(18))
        assert (after.book_start, after.block.end_time) == (time(12, 15), time(18))  # "Free from 12:15": after the buffer, not past closing

    def test_free_time_that_cannot_be_booked_is_a_cell_apart_from_the_time_that_can(self):
        earliest = datetime.combine(MONDAY, time(12, 10), tzinfo=RIGA)
        grid = room_days(FakeRoom(), WEEK, [], [], earliest=earliest)
        past, bookable = cell_at(grid, MONDAY, 9), cell_at(grid, MONDAY, 12, 30)
        assert (past.start_time, past.end_time, past.block) == (time(9), time(12, 30), None)
        assert (bookable.start_time, bookable.end_time, bookable.block.start_time) == (time(12, 30), time(18), time(12, 30))

    def test_a_slot_wholly_inside_a_buffer_is_kept_free_for_cleaning(self):
        room = FakeRoom(buffer_minutes=30)
        grid = room_days(room, WEEK, [session(MONDAY, time(10), time(11), buffer=30)], [], earliest=LONG_AGO)
        assert cell_at(grid, MONDAY, 11).state is State.CLEANING

    def test_slots_in_the_past_are_free_but_offer_no_booking(self):
        earliest = datetime.combine(MONDAY, time(12, 10), tzinfo=RIGA)
        grid = room_days(FakeRoom(), WEEK, [], [], earliest=earliest)
        assert cell_at(grid, MONDAY, 11).state is State.FREE and cell_at(grid, MONDAY, 11).book_start is None
        assert cell_at(grid, MONDAY, 12, 30).book_start == time(12, 30)
        assert cell_at(grid, WEEK[1], 9).book_start == time(9)

    def test_slots_inside_the_rooms_notice_period_offer_no_booking(self):
        now = datetime.combine(MONDAY, time(12, 10), tzinfo=RIGA)
        grid = room_days(FakeRoom(min_notice_hours=24), WEEK, [], [], earliest=now)
        assert cell_at(grid, WEEK[1], 9).book_start is None and cell_at(grid, WEEK[1], 12).book_start is None
        assert cell_at(grid, WEEK[1], 12, 30).book_start == time(12, 30)

    def test_a_room_without_hours_or_sessions_has_no_grid(self):
        assert room_days(FakeRoom(hours={}), WEEK, [], [], earliest=LONG_AGO) is None

    def test_a_session_outside_the_hours_widens_the_grid(self):
        grid = room_days(FakeRoom(), WEEK, [session(MONDAY, time(18), time(19))], [], earliest=LONG_AGO)
        assert grid.rows[-1].start_time == time(18, 30)
        assert cell_at(grid, MONDAY, 18).state is State.BOOKED


def test_the_day_of_all_rooms_has_a_column_per_room():
    rooms = [FakeRoom(1, "Blue room"), FakeRoom(2, "Green room", hours={0: (time(8), time(12))})]
    grid = rooms_day(rooms, MONDAY, [session(MONDAY, time(10), time(11), room_id=2)], [], earliest=LONG_AGO)
    assert [column.room.name for column in grid.columns] == ["Blue room", "Green room"]
    assert grid.rows[0].start_time == time(8)
    assert grid.columns[0].cells[0].state is State.NOT_OPEN and grid.columns[0].cells[0].rowspan == 2
    assert grid.columns[1].cells[4].state is State.BOOKED and grid.columns[1].cells[4].rowspan == 2
    assert grid.columns[1].cells[8].state is State.NOT_OPEN


def test_the_week_of_all_rooms_counts_each_days_sessions_and_says_closed_or_not_open():
    rooms = [FakeRoom(1, "Blue room"), FakeRoom(2, "Green room")]
    closure = FakeClosure(WEEK[2], WEEK[2], "Holiday")
    table = rooms_week(rooms, WEEK, {(2, MONDAY): DayCount(booked=2, requested=1)}, [closure], today=MONDAY)
    blue, green = table
    assert green.days[0].count == DayCount(2, 1) and blue.days[0].count == DayCount()
    assert blue.days[0].hours_text == "09:00–18:00"
    assert blue.days[0].state is State.FREE and blue.days[0].hours == [(time(9), time(18))] and blue.days[0].bookable
    assert blue.days[2].state is State.CLOSED and blue.days[2].closure_reason == "Holiday" and not blue.days[2].bookable
    assert blue.days[6].state is State.NOT_OPEN


class TestFreeWindows:
    def test_opening_hours_minus_sessions_and_their_buffers(self):
        busy = [session(MONDAY, time(10), time(11)), session(MONDAY, time(14), time(15))]
        windows = free_windows([FakeRoom()], [MONDAY], busy, [], 60, Part.ANY, LONG_AGO)
        # 09:00–09:45 is too short (the new session's buffer before 10:00); after 11:15 until 13:45; after 15:15.
        assert [(w.start_time, w.end_time) for w in windows] == [(time(11, 15), time(13, 45)), (time(15, 15), time(18))]

    def test_requests_do_not_block(self):
        windows = free_windows([FakeRoom()], [MONDAY], [session(MONDAY, time(9), time(17), status=Status.REQUESTED)], [], 60, Part.ANY, LONG_AGO)
        assert [(w.start_time, w.end_time) for w in windows] == [(time(9), time(18))]

    def test_closed_days_and_days_without_hours_have_none(self):
        closure = FakeClosure(MONDAY, MONDAY, "Holiday")
        assert free_windows([FakeRoom()], [MONDAY, WEEK[6]], [], [closure], 60, Part.ANY, LONG_AGO) == []

    def test_morning_and_afternoon_are_told_by_the_start(self):
        morning = free_windows([FakeRoom()], [MONDAY], [], [], 60, Part.MORNING, LONG_AGO)
        afternoon = free_windows([FakeRoom()], [MONDAY], [], [], 60, Part.AFTERNOON, LONG_AGO)
        assert [(w.start_time, w.end_time) for w in morning] == [(time(9), time(18))]
        assert [(w.start_time, w.end_time) for w in afternoon] == [(time(12), time(18))]

    def test_not_in_the_past_and_with_the_notice_the_room_asks_for(self):
        now = datetime.combine(MONDAY, time(10, 7), tzinfo=RIGA)
        assert free_windows([FakeRoom()], [MONDAY], [], [], 60, Part.ANY, now)[0].start_time == time(10, 15)
        strict = FakeRoom(min_notice_hours=24)
        assert [w.day for w in free_windows([strict], [MONDAY, WEEK[1]], [], [], 60, Part.ANY, now)] == [WEEK[1]]

    def test_longer_than_the_room_allows_finds_nothing(self):
        assert free_windows([FakeRoom(max_duration_minutes=90)], [MONDAY], [], [], 120, Part.ANY, LONG_AGO) == []


def test_occurrences_become_local_sessions_and_cancelled_ones_are_left_out():
    def occurrence(number, start_utc, status):
        starts = datetime.combine(MONDAY, start_utc, tzinfo=UTC)
        return SimpleNamespace(id=number, booking_id=number, room_id=1, status=status, starts_at=starts, ends_at=starts + timedelta(hours=1), blocked_until=starts + timedelta(hours=1, minutes=15), title=f"Session {number}")

    shown = sessions_from([occurrence(1, time(8), Status.CONFIRMED), occurrence(2, time(9), Status.CANCELLED), occurrence(3, time(7), Status.REQUESTED)], "Europe/Riga")
    assert [(s.title, s.start_time, s.end_time, s.state) for s in shown] == [("Session 3", time(9), time(10), State.REQUESTED), ("Session 1", time(10), time(11), State.BOOKED)]
    assert shown[1].blocked_until == 11 * 60 + 15


class TestFreeBlocks:
    """One "Book" action per stretch of free time, not one per half hour (the week grid had about 80)."""

    def blocks(self, sessions=(), earliest=None, day=MONDAY):
        grid = room_days(FakeRoom(), [day], list(sessions), [], earliest=earliest)
        return [(block.start_time, block.end_time) for block in grid.columns[0].blocks]

    def test_a_free_day_is_one_block_from_opening_to_closing(self):
        assert self.blocks() == [(time(9), time(18))]

    def test_a_session_splits_the_day_around_itself_and_its_cleaning_buffers(self):
        assert self.blocks([session(MONDAY, time(10), time(11, 30))]) == [(time(9), time(9, 45)), (time(11, 45), time(18))]

    def test_a_request_splits_the_blocks_without_blocking_time(self):
        request = session(MONDAY, time(14), time(15), status=Status.REQUESTED)
        assert self.blocks([request]) == [(time(9), time(14)), (time(15), time(18))]

    def test_time_inside_the_notice_period_is_in_no_block(self):
        now = datetime.combine(MONDAY, time(12, 10), tzinfo=RIGA)
        assert self.blocks(earliest=now) == [(time(12, 30), time(18))]

    def test_the_block_offers_a_session_of_default_length_from_its_start(self):
        grid = room_days(FakeRoom(), [MONDAY], [session(MONDAY, time(9), time(16, 30))], [], earliest=None)
        (block,) = grid.columns[0].blocks
        assert (block.start_time, block.end_time, block.booking_end) == (time(16, 45), time(18), time(17, 45))
