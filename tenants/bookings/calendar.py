"""The calendar grids of the booking pages, as pure functions: rooms, opening hours, closures and sessions in,
a table model out. No database and no Flask here, so every grid can be tested on its own.

Grids are drawn in the tenant's local wall-clock time, in rows of 30 minutes. A cell says its state, which the
page shows as text (and colour): free, booked, requested, closed, not open, or kept free for cleaning (the
room's buffer after a session, or the buffer a new session would need before the next one).
"""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
import enum
from operator import attrgetter
from zoneinfo import ZoneInfo

from bibnet.tenants.bookings.models import OCCUPYING, Status

SLOT_MINUTES = 30
# The shortest session a "Book" link offers; a gap shorter than this is not worth offering.
MIN_SESSION_MINUTES = 15
DEFAULT_SESSION_MINUTES = 60
NOON = 12 * 60
END_OF_DAY = 24 * 60 - 1  # 23:59, the latest a `time` can say
SHOWN = (Status.REQUESTED, *OCCUPYING)


class State(enum.StrEnum):
    FREE = "free"
    BOOKED = "booked"
    REQUESTED = "requested"
    CLOSED = "closed"
    NOT_OPEN = "not_open"
    CLEANING = "cleaning"


class Part(enum.StrEnum):
    """The part of the day a free-slot search asks for: by the time the session starts."""

    ANY = "any"
    MORNING = "morning"
    AFTERNOON = "afternoon"


def minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def clock(minute_of_day: int) -> time:
    minute_of_day = min(max(minute_of_day, 0), END_OF_DAY)
    return time(minute_of_day // 60, minute_of_day % 60)


# Every minute of the day as HH:MM, written once: a grid of fifty rooms shows about a thousand of them.
_CLOCK_TEXTS = tuple(f"{minute // 60:02d}:{minute % 60:02d}" for minute in range(END_OF_DAY + 1))


def clock_text(minute_of_day: int) -> str:
    """`clock(minute_of_day)` as HH:MM, without making a `time`."""
    return _CLOCK_TEXTS[min(max(minute_of_day, 0), END_OF_DAY)]


@dataclass(frozen=True)
class Hours:
    """One opening interval of a room on a weekday (0 = Monday)."""

    weekday: int
    opens: time
    closes: time


@dataclass
class CalendarRoom:
    """A room as the calendars read it: its names, the rules its grid follows and its opening hours, plain values
    read as columns (the pages only show rooms; a page of fifty rooms need not build fifty ORM objects)."""

    id: int
    library: str
    name: str
    buffer_minutes: int
    min_notice_hours: int
    max_advance_days: int
    max_duration_minutes: int
    opening_hours: list[Hours] = field(default_factory=list)


@dataclass(slots=True)
class Session:
    """An occurrence as the calendar shows it: local day and wall-clock minutes, the room's buffer included.
    (Not frozen: a frozen dataclass takes ten times longer to make, and a day of fifty rooms makes hundreds.)"""

    occurrence_id: int
    booking_id: int
    room_id: int
    title: str
    status: Status
    day: date
    starts: int  # minutes after local midnight
    ends: int
    blocked_until: int

    @property
    def state(self) -> State:
        return State.REQUESTED if self.status is Status.REQUESTED else State.BOOKED

    @property
    def start_time(self) -> time:
        return clock(self.starts)

    @property
    def end_time(self) -> time:
        return clock(self.ends)


def sessions_from(occurrences: Iterable, zone: str) -> list[Session]:
    """The shown sessions (requests and those holding the room), in local time, ordered by start.

    `occurrences` are rows with the occurrence's columns and its booking's `title`.
    """
    local = ZoneInfo(zone)
    sessions = []
    append = sessions.append
    midnight = 24 * 60
    for occurrence in occurrences:
        status = occurrence.status
        if status not in SHOWN:
            continue
        starts = occurrence.starts_at.astimezone(local)
        ends = occurrence.ends_at.astimezone(local)
        blocked = occurrence.blocked_until.astimezone(local)
        day = starts.date()
        # Minutes after the local midnight of the day the session starts; an end or buffer running past midnight
        # simply ends with the day. Written out, not a function called twice per session: a day of fifty rooms has hundreds.
        append(Session(
            occurrence.id, occurrence.booking_id, occurrence.room_id, occurrence.title, status, day, starts.hour * 60 + starts.minute,
            ends.hour * 60 + ends.minute if ends.date() == day else midnight,
            blocked.hour * 60 + blocked.minute if blocked.date() == day else midnight,
        ))
    sessions.sort(key=attrgetter("day", "starts", "occurrence_id"))
    return sessions


def opening_intervals(room, day: date) -> list[tuple[int, int]]:
    """The room's opening intervals on that weekday, in minutes after midnight, in order."""
    return sorted((minutes(hours.opens), minutes(hours.closes)) for hours in room.opening_hours if hours.weekday == day.weekday())


def closure_of(closures: Iterable, room_id: int, day: date):
    return next((closure for closure in closures if closure.covers(day, room_id)), None)


@dataclass(slots=True)
class Cell:
    """One table cell of a slot grid; `rowspan` rows from `starts` to `ends` (minutes after midnight)."""

    state: State
    room: object
    day: date
    starts: int
    ends: int
    rowspan: int = 1
    sessions: list[Session] = field(default_factory=list)
    closure_reason: str = ""
    # For a free cell that can still be booked: the start and end the "Book" link fills in, and the latest a
    # session starting then may end (the closing time, or the next session less the cleaning buffer).
    book_from: int | None = None
    book_until: int | None = None
    free_until: int | None = None
    # On the first cell of a free block only: the whole block, which gets the one "Book" action.
    block: "FreeBlock | None" = None

    @property
    def start_time(self) -> time:
        return clock(self.starts)

    @property
    def end_time(self) -> time:
        return clock(self.ends)

    @property
    def book_start(self) -> time | None:
        return None if self.book_from is None else clock(self.book_from)

    @property
    def book_end(self) -> time | None:
        return None if self.book_until is None else clock(self.book_until)


@dataclass
class Column:
    room: object
    day: date
    cells: list[Cell | None]  # one per row; None where a cell of an earlier row spans down
    blocks: list["FreeBlock"] = field(default_factory=list)  # the bookable free time, in order


@dataclass(frozen=True)
class Row:
    starts: int
    cells: list[Cell]

    @property
    def start_time(self) -> time:
        return clock(self.starts)

    @property
    def end_time(self) -> time:
        return clock(self.starts + SLOT_MINUTES)


@dataclass
class SlotGrid:
    """Rows of 30-minute slots, columns of days (one room) or of rooms (one day)."""

    first: int  # minute of the first row
    columns: list[Column]

    @property
    def rows(self) -> list[Row]:
        count = len(self.columns[0].cells) if self.columns else 0
        return [
            Row(self.first + index * SLOT_MINUTES, [column.cells[index] for column in self.columns if column.cells[index] is not None])
            for index in range(count)
        ]


def _span(rooms_and_days, sessions: list[Session]) -> tuple[int, int] | None:
    """From the earliest opening to the latest closing (or session), rounded out to whole slots."""
    edges = [edge for room, day in rooms_and_days for interval in opening_intervals(room, day) for edge in interval]
    shown = {(room.id, day) for room, day in rooms_and_days}
    edges += [edge for s in sessions if (s.room_id, s.day) in shown for edge in (s.starts, s.ends)]
    if not edges:
        return None
    first = min(edges) // SLOT_MINUTES * SLOT_MINUTES
    last = -(-max(edges) // SLOT_MINUTES) * SLOT_MINUTES
    return first, min(last, 24 * 60)


def _clusters(sessions: list[Session], first: int) -> list[tuple[int, int, list[Session]]]:
    """Sessions grouped into runs of rows [a, b) they cover; overlapping requests share one cell."""
    clusters: list[tuple[int, int, list[Session]]] = []
    for session in sorted(sessions, key=lambda s: (s.starts, s.ends)):
        a = max(session.starts - first, 0) // SLOT_MINUTES
        b = max(-(-(session.ends - first) // SLOT_MINUTES), a + 1)
        if clusters and a < clusters[-1][1]:
            start, end, members = clusters[-1]
            clusters[-1] = (start, max(end, b), [*members, session])
        else:
            clusters.append((a, b, [session]))
    return clusters


def _free_cell(room, day: date, starts: int, intervals, held: list[tuple[int, int]], buffer: int, earliest: int | None) -> Cell:
    """A slot with no session in it: free from the first moment no buffer and no opening edge forbids.
    `held`: (start, end of the buffer) of each session holding the room that day, in order of start."""
    ends = starts + SLOT_MINUTES
    interval = next(((o, c) for o, c in intervals if o < ends and starts < c), None)
    if interval is None:
        return Cell(State.NOT_OPEN, room, day, starts, ends)
    book_from = max(starts, interval[0])
    for held_from, held_until in held:
        if held_from < ends and held_until > book_from:
            book_from = held_until
    latest_end = interval[1]
    for held_from, _held_until in held:
        if held_from >= book_from:  # the next session after the free time: it needs its cleaning buffer before it
            latest_end = min(latest_end, held_from - buffer)
            break
    if book_from >= ends or latest_end - book_from < MIN_SESSION_MINUTES:
        return Cell(State.CLEANING, room, day, starts, ends)
    cell = Cell(State.FREE, room, day, starts, ends)
    if earliest is None or book_from >= earliest:
        cell.book_from, cell.book_until, cell.free_until = book_from, min(book_from + DEFAULT_SESSION_MINUTES, latest_end), latest_end
    return cell


@dataclass(frozen=True)
class FreeWindow:
    """A stretch of free time of one room on one day, from `starts` to `ends` (minutes)."""

    room: object
    day: date
    starts: int
    ends: int

    @property
    def start_time(self) -> time:
        return clock(self.starts)

    @property
    def end_time(self) -> time:
        return clock(self.ends)

    def end_after(self, duration: int) -> time:
        """The end of a session of `duration` minutes starting with the window."""
        return clock(self.starts + duration)


@dataclass(frozen=True)
class FreeBlock(FreeWindow):
    """Contiguous bookable time in a grid: one "Book" action instead of one per half hour."""

    @property
    def booking_until(self) -> int:
        """The end the booking form is given (minutes): a default-length session, or the whole block when it is shorter."""
        return self.starts + min(DEFAULT_SESSION_MINUTES, self.ends - self.starts)

    @property
    def booking_end(self) -> time:
        return clock(self.booking_until)


def _mark_free_blocks(cells: list[Cell | None]) -> list[FreeBlock]:
    """Each bookable free cell (a whole stretch, see `_merge_runs`) becomes a block, from its earliest start to
    its latest end, cut at the cell's end where a request or another state follows."""
    blocks: list[FreeBlock] = []
    for cell in cells:
        if cell is not None and cell.state is State.FREE and cell.book_from is not None:
            cell.block = FreeBlock(cell.room, cell.day, cell.book_from, min(cell.free_until, cell.ends))
            blocks.append(cell.block)
    return blocks


def _continues(previous: Cell, cell: Cell) -> bool:
    """Whether `cell` says what `previous`, the cell just above it, says, so that the two are drawn as one: not
    open, closed for the same reason, or free time that can (or cannot) be booked from its first moment on."""
    if previous.state is not cell.state or previous.ends != cell.starts:
        return False
    if cell.state is State.FREE:
        return (previous.book_from is None) == (cell.book_from is None) and cell.book_from in (None, cell.starts)
    return cell.state in (State.NOT_OPEN, State.CLOSED) and previous.closure_reason == cell.closure_reason


def _merge_runs(cells: list[Cell | None]) -> None:
    """Neighbouring rows that say the same become one cell: a free stretch is one cell with one "Book" action,
    not a cell per half hour (a day of fifty rooms would draw a thousand)."""
    previous = None
    for index, cell in enumerate(cells):
        if cell is None:
            previous = None
            continue
        if previous is not None and _continues(previous, cell):
            previous.rowspan += 1
            previous.ends = cell.ends
            previous.free_until = cell.free_until
            cells[index] = None
        else:
            previous = cell


def by_room_and_day(sessions: list[Session]) -> dict[tuple[int, date], list[Session]]:
    """The sessions grouped by room and day in one pass, each group in the order given."""
    grouped: dict[tuple[int, date], list[Session]] = defaultdict(list)
    for session in sessions:
        grouped[(session.room_id, session.day)].append(session)
    return grouped


def column(room, day: date, first: int, last: int, mine: list[Session], closures, earliest: datetime | None = None) -> Column:
    """One room on one day, as cells of the rows [first, last); `mine` are that room's sessions of that day.
    `earliest`: the local moment now, before the room's notice period is added; no slot before both offers a booking."""
    if earliest is not None:
        earliest += timedelta(hours=room.min_notice_hours)
    count = (last - first) // SLOT_MINUTES
    held = sorted((s.starts, s.blocked_until) for s in mine if s.status is not Status.REQUESTED)
    cells: list[Cell | None] = [None] * count
    covered = set()
    for a, b, members in _clusters(mine, first):
        b = min(b, count)
        state = State.BOOKED if any(s.status is not Status.REQUESTED for s in members) else State.REQUESTED
        cells[a] = Cell(state, room, day, first + a * SLOT_MINUTES, first + b * SLOT_MINUTES, rowspan=b - a, sessions=members)
        covered.update(range(a, b))
    closure = closure_of(closures, room.id, day)
    intervals = opening_intervals(room, day)
    if earliest is None or day > earliest.date():
        earliest_minute = None
    elif day < earliest.date():
        earliest_minute = 24 * 60
    else:
        earliest_minute = minutes(earliest.time())
    for index in range(count):
        if index in covered:
            continue
        starts = first + index * SLOT_MINUTES
        if closure is not None:
            cells[index] = Cell(State.CLOSED, room, day, starts, starts + SLOT_MINUTES, closure_reason=closure.reason)
        else:
            cells[index] = _free_cell(room, day, starts, intervals, held, room.buffer_minutes, earliest_minute)
    _merge_runs(cells)
    return Column(room, day, cells, _mark_free_blocks(cells))


def room_days(room, days: list[date], sessions: list[Session], closures, earliest: datetime | None = None) -> SlotGrid | None:
    """One room: a column per day (a week, or one day). None when the room neither opens nor has sessions."""
    span = _span([(room, day) for day in days], sessions)
    if span is None:
        return None
    grouped = by_room_and_day(sessions)
    return SlotGrid(span[0], [column(room, day, *span, grouped.get((room.id, day), []), closures, earliest) for day in days])


def rooms_day(rooms: list, day: date, sessions: list[Session], closures, earliest: datetime | None = None) -> SlotGrid | None:
    """Every room on one day: a column per room."""
    span = _span([(room, day) for room in rooms], sessions)
    if span is None or not rooms:
        return None
    # Grouped once: fifty columns each scanning every session of the day cost more than drawing them.
    grouped = by_room_and_day(sessions)
    return SlotGrid(span[0], [column(room, day, *span, grouped.get((room.id, day), []), closures, earliest) for room in rooms])


@dataclass(frozen=True)
class SessionLine:
    """A session as the all-rooms week lists it: its local times ("10:00–11:30") and title, and whether it is only
    requested. The times are text already: a week of fifty rooms shows about a thousand of them."""

    times: str
    title: str
    requested: bool


@dataclass
class DayCount:
    booked: int = 0
    requested: int = 0
    first: list[SessionLine] = field(default_factory=list)  # the day's first sessions, in time order

    @property
    def total(self) -> int:
        return self.booked + self.requested

    @property
    def more(self) -> int:
        """Sessions of the day not listed by title."""
        return self.total - len(self.first)


@dataclass
class DayCell:
    """A room's day in the all-rooms week: its first sessions by title, how many there are, and whether it is closed
    or open at all. Not every session: a week of fifty rooms holds thousands; the day view lists them all.
    """

    room: object
    day: date
    state: State  # FREE (open that day), CLOSED or NOT_OPEN
    count: DayCount
    hours: list[tuple[time, time]]
    closure_reason: str = ""
    bookable: bool = False
    hours_text: str = ""  # the hours as the cell says them, "09:00–13:00, 14:00–18:00"


@dataclass
class RoomWeek:
    room: object
    days: list[DayCell]


def rooms_week(rooms: list, days: list[date], counts: dict[tuple[int, date], DayCount], closures, today: date | None = None) -> list[RoomWeek]:
    """Rows of rooms, columns of days; each cell lists the day's first sessions and says closed or not open."""
    table = []
    for room in rooms:
        # A room's week of hours is read once, not once per day: fifty rooms make 350 cells.
        hours_by_weekday: dict[int, list[tuple[time, time]]] = {}
        for hours in sorted(room.opening_hours, key=lambda hours: (hours.weekday, hours.opens)):
            hours_by_weekday.setdefault(hours.weekday, []).append((hours.opens, hours.closes))
        texts = {weekday: ", ".join(f"{opens:%H:%M}–{closes:%H:%M}" for opens, closes in hours) for weekday, hours in hours_by_weekday.items()}
        cells = []
        for day in days:
            hours = hours_by_weekday.get(day.weekday(), [])
            closure = closure_of(closures, room.id, day)
            state = State.CLOSED if closure is not None else State.FREE if hours else State.NOT_OPEN
            cells.append(
                DayCell(
                    room=room,
                    day=day,
                    state=state,
                    count=counts.get((room.id, day), DayCount()),
                    hours=hours,
                    closure_reason=closure.reason if closure is not None else "",
                    bookable=state is State.FREE and (today is None or day >= today),
                    hours_text=texts.get(day.weekday(), ""),
                )
            )
        table.append(RoomWeek(room, cells))
    return table


def _subtract(intervals: list[tuple[int, int]], taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    result = intervals
    for t0, t1 in taken:
        result = [piece for a, b in result for piece in ((a, min(b, t0)), (max(a, t1), b)) if piece[0] < piece[1]]
    return result


def free_windows(rooms: list, days: list[date], sessions: list[Session], closures, duration: int, part: Part, earliest: datetime) -> list[FreeWindow]:
    """Where a session of `duration` minutes fits: opening hours minus closures minus occupied time.

    A session holding the room blocks it until its buffer ends, and the new session needs its own buffer
    before the next one starts. Requests block nothing. `earliest` (local) is now plus the notice the
    room asks for; starts are rounded up to a quarter hour.
    """
    windows = []
    grouped = by_room_and_day(sessions)
    for day in days:
        for room in rooms:
            if duration > room.max_duration_minutes or closure_of(closures, room.id, day) is not None:
                continue
            soonest = earliest + timedelta(hours=room.min_notice_hours)
            if day < soonest.date() or day > (earliest + timedelta(days=room.max_advance_days)).date():
                continue
            taken = [(s.starts - room.buffer_minutes, s.blocked_until) for s in grouped.get((room.id, day), []) if s.state is State.BOOKED]
            if day == soonest.date():
                seconds = soonest.hour * 3600 + soonest.minute * 60 + soonest.second + (1 if soonest.microsecond else 0)
                taken.append((0, -(-seconds // 900) * 15))
            if part is Part.AFTERNOON:
                taken.append((0, NOON))
            for a, b in _subtract(opening_intervals(room, day), taken):
                if part is Part.MORNING and a >= NOON:
                    continue
                if b - a >= duration:
                    windows.append(FreeWindow(room, day, a, b))
    return windows
