"""The slot grids of the day and week pages as they are drawn: each cell's words, class and links, ready to print.

A day of fifty rooms is about 1,300 cells. Worked out in the template, each cell called a macro, translated its
words, formatted its times and built its links through the URL map. Here the words are translated once per page,
the days named once per column, the addresses built once per page as patterns that each cell fills in, and each
row's cells are written as one piece of markup, which the template (`slot_grid` in `_macros.html`) prints.
"""
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date, format_skeleton
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from bibnet.tenants.bookings.calendar import SLOT_MINUTES, Cell, DayCell, FreeBlock, RoomWeek, Session, SlotGrid, State, clock_text
from bibnet.tenants.bookings.labels import STATUS_LABELS
from bibnet.tenants.bookings.models import Status
from bibnet.web.i18n import formatting_locale

# Past sessions whose outcome the grid says after the title.
OUTCOMES_SHOWN = (Status.COMPLETED, Status.NO_SHOW)
# No real id reaches this number: where it stands in a built address, the pattern takes the id.
_ID_PLACEHOLDER = 987_654_321_987


def day_name(day: date) -> str:
    name = format_date(day, "EEEE", locale=formatting_locale())
    return name[:1].upper() + name[1:]


def day_label(day: date) -> str:
    """The day and month, like "March 31" or "31. marts"."""
    return format_skeleton("MMMMd", day, locale=formatting_locale())


def id_pattern(endpoint: str, name: str) -> str:
    """The endpoint's address with `{}` where its integer argument `name` goes, built once through the URL map:
    `id_pattern("bookings.view", "booking_id").format(12) == url_for("bookings.view", booking_id=12)`."""
    built = url_for(endpoint, **{name: _ID_PLACEHOLDER}).replace("{", "{{").replace("}", "}}")
    return built.replace(str(_ID_PLACEHOLDER), "{}")


@dataclass(slots=True)
class Link:
    href: str
    text: str


@dataclass(slots=True)
class ShownColumn:
    day: date
    heading: str
    href: str | None  # where the heading links to (that room's day), if it links
    free_time: list[Link] = field(default_factory=list)  # the "Book" action of each free block, when listed apart


@dataclass(slots=True)
class ShownRow:
    time: str
    cells: Markup  # the <td> of each cell that starts in this row, left to right


@dataclass(slots=True)
class ShownGrid:
    columns: list[ShownColumn]
    rows: list[ShownRow]


class _Page:
    """What every cell of one page shares, worked out once: its words, translated and escaped, and its addresses.

    The cells' markup is written here rather than in the template: printed by Jinja, each of the ~1,300 cells of a
    day of fifty rooms cost a dozen escaped expressions. Every value put into the markup is escaped (`escape`), the
    numbers the page makes itself (times, ids, rowspans) excepted."""

    def __init__(self, by_rooms: bool, book_links: bool):
        self.by_rooms, self.book_links = by_rooms, book_links
        self.free = escape(_("Free"))
        self.cleaning = Markup('<td class="table-light">{}</td>').format(_("Kept free for cleaning"))
        self.not_open = escape(_("Not open"))
        # Translated without their values (flask-babel formats only when it is given some), filled in per cell.
        self.free_from, self.closed, self.book = _("Free from %(time)s"), _("Closed: %(reason)s"), _("Book %(day)s %(start)s–%(end)s")
        self.states = {State.BOOKED: escape(_("Booked")), State.REQUESTED: escape(_("Requested"))}
        self.outcomes = {status: escape(f" ({STATUS_LABELS[status]})") for status in OUTCOMES_SHOWN}
        self.day_url, self.book_url = url_for("bookings.day"), url_for("bookings.book")
        self.booking_url = str(escape(id_pattern("bookings.view", "booking_id")))
        self.weekdays: dict[date, str] = {}

    def weekday(self, day: date) -> str:
        if day not in self.weekdays:
            self.weekdays[day] = day_name(day)
        return self.weekdays[day]

    def book_link(self, block: FreeBlock) -> Link:
        """"Book Friday 14:00–18:00", opening the booking form at the block's start with a session of the usual length."""
        start = clock_text(block.starts)
        text = self.book % {"day": self.weekday(block.day), "start": start, "end": clock_text(block.ends)}
        return Link(f"{self.book_url}?room_id={block.room.id}&date={block.day.isoformat()}&start={start}&end={clock_text(block.booking_until)}", text)

    def session(self, session: Session) -> str:
        """"Booked 10:00–11:00 <the title, linked to the booking> (Completed)"."""
        return (
            f'<p class="mb-1"><strong>{self.states[session.state]}</strong> {clock_text(session.starts)}–{clock_text(session.ends)} '
            f'<a class="d-inline-block py-1" href="{self.booking_url.format(session.booking_id)}">{escape(session.title)}</a>{self.outcomes.get(session.status, "")}</p>'
        )

    def cell(self, cell: Cell) -> str:
        state = cell.state
        span = f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
        if state is State.FREE:
            text = escape(self.free_from % {"time": clock_text(cell.book_from)}) if cell.book_from is not None and cell.book_from != cell.starts else self.free
            if cell.block is None or not self.book_links:
                return f'<td{span} class="table-success">{text}</td>'
            book = self.book_link(cell.block)
            # In the all-rooms day the room is not in the action's words: a screen reader hears it after them.
            room = f'<span class="visually-hidden">, {escape(cell.block.room.name)}</span>' if self.by_rooms else ""
            return f'<td{span} class="table-success">{text}<br><a class="btn btn-sm btn-outline-dark" href="{escape(book.href)}">{escape(book.text)}{room}</a></td>'
        if state is State.BOOKED or state is State.REQUESTED:
            css = "table-primary" if state is State.BOOKED else "table-warning"
            return f'<td{span} class="{css}">{"".join(self.session(session) for session in cell.sessions)}</td>'
        if state is State.CLOSED:
            return f'<td{span} class="table-secondary">{escape(self.closed % {"reason": cell.closure_reason})}</td>'
        if state is State.CLEANING:
            return self.cleaning
        return f'<td{span} class="table-light">{self.not_open}</td>'


def shown_grid(grid: SlotGrid, by_rooms: bool = False, link_headers: bool = True, book_links: bool = True, list_free_time: bool = False) -> ShownGrid:
    """The grid as the page draws it: columns of days of one room, or of rooms on one day (`by_rooms`).
    `book_links`: a free block's first cell offers its "Book" action; `list_free_time`: each column lists the
    actions of its blocks instead (the week of a room shows them above its grid)."""
    page = _Page(by_rooms, book_links)
    columns, cells = [], []
    for column in grid.columns:
        href = f"{page.day_url}?room_id={column.room.id}&date={column.day.isoformat()}"
        if by_rooms:
            shown = ShownColumn(column.day, column.room.name, href)
        else:
            shown = ShownColumn(column.day, f"{page.weekday(column.day)} {day_label(column.day)}", href if link_headers else None)
        if list_free_time:
            shown.free_time = [page.book_link(block) for block in column.blocks]
        columns.append(shown)
        cells.append([None if cell is None else page.cell(cell) for cell in column.cells])
    rows = [
        ShownRow(clock_text(grid.first + index * SLOT_MINUTES), Markup("\n".join(column[index] for column in cells if column[index] is not None)))
        for index in range(len(cells[0]) if cells else 0)
    ]
    return ShownGrid(columns, rows)


# --- The all-rooms week ----------------------------------------------------------------------------------

@dataclass(slots=True)
class ShownRoomWeek:
    room: object
    href: str  # the room's own week
    cells: Markup  # the <td> of each day


@dataclass(slots=True)
class ShownWeek:
    days: list[Link]  # each day's heading, linked to the all-rooms day
    rows: list[ShownRoomWeek]


class _WeekPage:
    """What the 350 cells of a week of fifty rooms share, worked out once, and each cell's markup (see `_Page`)."""

    def __init__(self, days: list[date], can_book: bool):
        self.can_book = can_book
        self.names = {day: escape(f"{day_name(day)} {day_label(day)}") for day in days}
        self.day_url, self.book_url = url_for("bookings.day"), url_for("bookings.book")
        self.open, self.not_open, self.nothing = escape(_("Open:")), escape(_("Not open")), escape(_("Nothing booked"))
        self.book, self.see_day, self.requested = escape(_("Book")), escape(_("See the day")), escape(_("request"))
        self.closed = _("Closed: %(reason)s")
        self.more: dict[int, Markup] = {}

    def more_sessions(self, number: int) -> Markup:
        """"5 more sessions", translated once per number: the cells of a week say only a few."""
        if number not in self.more:
            self.more[number] = escape(ngettext("%(num)d more session", "%(num)d more sessions", number))
        return self.more[number]

    def cell(self, room_name: Markup, cell: DayCell) -> str:
        query = f"?room_id={cell.room.id}&amp;date={cell.day.isoformat()}"
        # Said after the link's words by screen readers: which room and day it is about.
        about = f'<span class="visually-hidden"> {room_name}, {self.names[cell.day]}</span>'
        if cell.state is State.CLOSED:
            parts = [f'<td class="table-secondary"><p class="mb-1">{escape(self.closed % {"reason": cell.closure_reason})}</p>']
        elif cell.state is State.NOT_OPEN:
            parts = [f'<td class="table-light"><p class="mb-1">{self.not_open}</p>']
        else:
            parts = [f'<td class=""><p class="mb-1 small">{self.open} {escape(cell.hours_text)}</p>']
        count = cell.count
        if count.total:
            parts.append('<ul class="list-unstyled small mb-1 week-sessions">')
            for line in count.first:
                if line.requested:
                    parts.append(f'<li class="bg-warning-subtle px-1 mb-1 text-break"><span class="text-nowrap">{line.times}</span> {escape(line.title)} <em>({self.requested})</em></li>')
                else:
                    parts.append(f'<li class="bg-primary-subtle px-1 mb-1 text-break"><span class="text-nowrap">{line.times}</span> {escape(line.title)}</li>')
            more = self.more_sessions(count.more) if count.more else self.see_day
            parts.append(f'</ul><a class="d-inline-block py-1 me-2" href="{self.day_url}{query}">{more}{about}</a>')
        elif cell.state is State.FREE:
            parts.append(f'<p class="mb-1">{self.nothing}</p>')
        if cell.bookable and self.can_book:
            parts.append(f'<a class="btn btn-sm btn-outline-dark" href="{self.book_url}{query}">{self.book}{about}</a>')
        parts.append("</td>")
        return "\n".join(parts)


def shown_week(table: list[RoomWeek], days: list[date], can_book: bool) -> ShownWeek:
    """The all-rooms week as the page draws it: a row per room, a cell per day (`calendar.rooms_week`)."""
    page = _WeekPage(days, can_book)
    week_url = url_for("bookings.week")
    headings = [Link(f"{page.day_url}?date={day.isoformat()}", f"{day_name(day)} {day_label(day)}") for day in days]
    rows = []
    for row in table:
        room_name = escape(row.room.name)
        cells = Markup("\n".join(page.cell(room_name, cell) for cell in row.days))
        rows.append(ShownRoomWeek(row.room, f"{week_url}?room_id={row.room.id}&date={days[0].isoformat()}", cells))
    return ShownWeek(headings, rows)
