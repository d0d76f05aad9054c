"""Pages of the bookings: day, week and list views, the free-slot search, the booking form, attendance.

Every change goes through `services`, which checks first and writes after; the pages commit on success
and show a refusal as the form with its errors (422) or as the list of unavailable dates (409).
"""
import contextlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, get_day_names
from babel.lists import format_list
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload
from wtforms.fields.choices import SelectChoice

from bibnet.access import allowed, require
from bibnet.accounts.models import Membership, User
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenants.bookings import calendar, services
from bibnet.tenants.bookings.conflicts import SlotTaken
from bibnet.tenants.bookings.forms import (
    AttendanceForm,
    BookingForm,
    ChooseForm,
    DetailsForm,
    FreeSearchForm,
    ListFilterForm,
    MoveForm,
    ReasonForm,
    RejectForm,
    counts,
    optional_int,
)
from bibnet.tenants.bookings.grid_cells import day_label, day_name, shown_grid, shown_week
from bibnet.tenants.bookings.labels import ACTIVITY_LABELS, STATUS_LABELS, VISITOR_LABELS
from bibnet.tenants.bookings.lookups import visible_booking  # importing lookups also registers the URL's booking loaders
from bibnet.tenants.bookings.models import OPEN, VISITOR_KINDS, Activity, Booking, Occurrence, Status
from bibnet.tenants.bookings.recurrence import Frequency, nth_weekday, to_local, to_utc
from bibnet.tenants.bookings.rules import BookingInput
from bibnet.tenants.rooms.models import Closure, OpeningHours, Room
from bibnet.web import menu
from bibnet.web.fields import format_local_date, parse_clock, parse_local_date
from bibnet.web.forms import Outcome, has_errors, saving, show_refusal
from bibnet.web.i18n import formatting_locale
from bibnet.web.pagination import paginate

bp = Blueprint("bookings", __name__, url_prefix="/t/<tenant_slug>/bookings", template_folder="templates")
menu.register(_l("Bookings"), "bookings.week", "bookings.view")

# The free-slot search lists at most this many windows; narrower searches show the rest.
MAX_WINDOWS = 100
NTH = {1: _l("first"), 2: _l("second"), 3: _l("third"), 4: _l("fourth"), -1: _l("last")}


# --- What the templates use ---------------------------------------------------------------------------

def _zone() -> str:
    return g.tenant.timezone


def _now_local() -> datetime:
    return to_local(utcnow(), _zone())


def clock(moment) -> str:
    """A time as HH:MM, the way the forms take it; a UTC instant is shown in the tenant's time zone."""
    if isinstance(moment, datetime):
        moment = to_local(moment, _zone()).time()
    return moment.strftime("%H:%M")


def local_day(moment: datetime) -> date:
    return to_local(moment, _zone()).date()


def rule_in_words(booking: Booking) -> str:
    """The series rule as a sentence, like "Every 2 weeks on Monday and Wednesday, until March 31, 2027"."""
    rule = booking.rule
    days = get_day_names("wide", locale=formatting_locale())
    if rule.frequency is Frequency.ONCE:
        return _("One session")
    # "Every week" and "every 21 weeks" are different sentences: in Latvian and Lithuanian 21 takes the
    # singular form, which must still show the number.
    every, n = rule.interval == 1, rule.interval
    if rule.frequency is Frequency.DAILY:
        words = _("Every day") if every else ngettext("Every %(num)d day", "Every %(num)d days", n)
    elif rule.frequency is Frequency.WEEKLY:
        weekdays = format_list([days[day] for day in sorted(rule.weekdays or {rule.first_date.weekday()})], locale=formatting_locale())
        words = _("Every week on %(days)s", days=weekdays) if every else ngettext("Every %(num)d week on %(days)s", "Every %(num)d weeks on %(days)s", n, days=weekdays)
    else:
        nth, day = NTH[nth_weekday(rule.first_date)], days[rule.first_date.weekday()]
        if every:
            words = _("Every month on the %(nth)s %(day)s", nth=nth, day=day)
        else:
            words = ngettext("Every %(num)d month on the %(nth)s %(day)s", "Every %(num)d months on the %(nth)s %(day)s", n, nth=nth, day=day)
    if rule.count is not None:
        return ngettext("%(rule)s, %(num)d session", "%(rule)s, %(num)d sessions", rule.count, rule=words)
    return _("%(rule)s, until %(date)s", rule=words, date=format_date(rule.until, "long", locale=formatting_locale()))


def unavailable_text(unavailable) -> str:
    """Why a date cannot be booked: the time it is taken (never by whom), the closure, or the hours."""
    if unavailable.reason == "closed":
        return _("Closed: %(reason)s", reason=unavailable.closure_reason)
    if unavailable.reason == "outside_hours":
        return _("Outside the opening hours")
    if unavailable.clash is None:
        return _("Already taken at this time")
    taken = _("Taken from %(start)s to %(end)s", start=clock(unavailable.clash[0]), end=clock(unavailable.clash[1]))
    if not unavailable.cleaning_minutes:
        return taken
    minutes = timedelta(minutes=unavailable.cleaning_minutes)
    if unavailable.clash[1] <= unavailable.slot.starts_at:  # it starts during the cleaning after the other session
        cleaning = ngettext(
            "The room needs %(num)d minutes of cleaning after the session ending at %(end)s: it is free from %(free)s.",
            "The room needs %(num)d minutes of cleaning after the session ending at %(end)s: it is free from %(free)s.",
            unavailable.cleaning_minutes, end=clock(unavailable.clash[1]), free=clock(unavailable.clash[1] + minutes),
        )
    else:  # its own cleaning runs into the next session
        cleaning = ngettext(
            "The room needs %(num)d minutes of cleaning after this session, and the next one starts at %(start)s: end by %(latest)s.",
            "The room needs %(num)d minutes of cleaning after this session, and the next one starts at %(start)s: end by %(latest)s.",
            unavailable.cleaning_minutes, start=clock(unavailable.clash[0]), latest=clock(unavailable.clash[0] - minutes),
        )
    return f"{taken}. {cleaning}"


@bp.context_processor
def _template_helpers():
    return {
        "ACTIVITY_LABELS": ACTIVITY_LABELS,
        "STATUS_LABELS": STATUS_LABELS,
        "VISITOR_LABELS": VISITOR_LABELS,
        "VISITOR_KINDS": VISITOR_KINDS,
        "State": calendar.State,
        "Status": Status,
        "clock": clock,
        "day_name": day_name,
        "day_label": day_label,
        "local_date": format_local_date,
        "local_day": local_day,
        "unavailable_text": unavailable_text,
        "reason_text": services.reason_text,
        "can_book": allowed("bookings.book"),
        "can_approve": allowed("bookings.approve"),
    }


# --- Loading --------------------------------------------------------------------------------------------

def _rooms() -> list[Room]:
    statement = sa.select(Room).where(Room.active).options(selectinload(Room.opening_hours)).order_by(Room.library, Room.name, Room.id)
    return list(db.session.scalars(statement))


def _calendar_rooms(weekday: int | None = None) -> list[calendar.CalendarRoom]:
    """The active rooms with their opening hours, for pages that only show rooms: one query of plain columns.
    `weekday`: only that weekday's hours are read (a day's page needs no other; fifty rooms open every day
    would otherwise bring seven times the rows)."""
    hours_of_room = OpeningHours.room_id == Room.id
    if weekday is not None:
        hours_of_room &= OpeningHours.weekday == weekday
    statement = (
        sa.select(
            Room.id, Room.library, Room.name, Room.buffer_minutes, Room.min_notice_hours, Room.max_advance_days, Room.max_duration_minutes,
            OpeningHours.weekday, OpeningHours.opens, OpeningHours.closes,
        )
        .outerjoin(OpeningHours, hours_of_room)
        .where(Room.active)
        .order_by(Room.library, Room.name, Room.id, OpeningHours.weekday, OpeningHours.opens)
    )
    rooms: list[calendar.CalendarRoom] = []
    for *columns, weekday, opens, closes in db.session.execute(statement):
        if not rooms or rooms[-1].id != columns[0]:
            rooms.append(calendar.CalendarRoom(*columns))
        if weekday is not None:
            rooms[-1].opening_hours.append(calendar.Hours(weekday, opens, closes))
    return rooms


def _members() -> list[Membership]:
    statement = sa.select(Membership).join(Membership.user).options(contains_eager(Membership.user)).where(Membership.active).order_by(User.name, User.id)
    return list(db.session.scalars(statement))


def _closures(first: date, last: date) -> list[Closure]:
    """Every closure of the tenant touching the days, of one room or of all of them."""
    return list(db.session.scalars(sa.select(Closure).where(Closure.starts_on <= last, Closure.ends_on >= first)))


# The all-rooms week shows this many sessions of a room's day by title; the rest are counted and one link away.
TITLES_PER_DAY = 3


def _day_counts(days: list[date]) -> dict[tuple[int, date], calendar.DayCount]:
    """Per room and local day: the booked and requested sessions counted, and the first few of them with their
    times and titles, the way a coordinator plans a week; one query, whatever the number of sessions.

    A week of fifty rooms holds thousands of sessions: the database numbers and counts each day's sessions
    (window functions over the occurrences alone) and joins the titles of the first TITLES_PER_DAY of each day
    only. The local days' bounds are UTC instants worked out here, so SQLite and PostgreSQL bucket alike.
    """
    zone = _zone()
    bounds = [to_utc(day, time(), zone) for day in [*days, days[-1] + timedelta(days=1)]]
    day_index = sa.case(*((Occurrence.starts_at < bound, n) for n, bound in enumerate(bounds[1:])))
    requested = Occurrence.status == Status.REQUESTED
    cell = (Occurrence.room_id, day_index)
    numbered = (
        sa.select(
            Occurrence.booking_id,
            Occurrence.room_id,
            day_index.label("day_index"),
            requested.label("requested"),
            Occurrence.starts_at,
            Occurrence.ends_at,
            sa.func.row_number().over(partition_by=cell, order_by=(Occurrence.starts_at, Occurrence.id)).label("place"),
            sa.func.count().over(partition_by=cell).label("sessions"),
            sa.func.sum(sa.case((requested, 1), else_=0)).over(partition_by=cell).label("requests"),
        )
        .where(Occurrence.status.in_(calendar.SHOWN), Occurrence.starts_at >= bounds[0], Occurrence.starts_at < bounds[-1])
        .subquery()
    )
    # The title of each listed session by its key, not by a join: joining, PostgreSQL reads every booking of the
    # tenant (a hash join over 100,000 rows) to find about a thousand.
    title = sa.select(Booking.title).where(Booking.id == numbered.c.booking_id).scalar_subquery()
    rows = db.session.execute(
        sa.select(numbered.c.room_id, numbered.c.day_index, numbered.c.requested, numbered.c.starts_at, numbered.c.ends_at, numbered.c.sessions, numbered.c.requests, title)
        .where(numbered.c.place <= TITLES_PER_DAY)
        .order_by(numbered.c.room_id, numbered.c.day_index, numbered.c.starts_at)
    )
    counts: dict[tuple[int, date], calendar.DayCount] = {}
    local = ZoneInfo(zone)
    for room_id, index, is_request, starts_at, ends_at, sessions, requests, title in rows:
        count = counts.get((room_id, days[index]))
        if count is None:
            count = counts[(room_id, days[index])] = calendar.DayCount(booked=sessions - requests, requested=requests)
        starts = starts_at.astimezone(local)
        ends = starts + (ends_at - starts_at)
        count.first.append(calendar.SessionLine(f"{starts.hour:02d}:{starts.minute:02d}–{ends.hour:02d}:{ends.minute:02d}", title, bool(is_request)))
    return counts


def _sessions(first: date, last: date, room: calendar.CalendarRoom | None = None) -> list[calendar.Session]:
    """The shown sessions of the local days first..last, in one query whatever their number."""
    zone = _zone()
    # Columns, not ORM objects: a week of fifty rooms holds thousands of sessions.
    statement = (
        sa.select(
            Occurrence.id, Occurrence.booking_id, Occurrence.room_id, Occurrence.status,
            Occurrence.starts_at, Occurrence.ends_at, Occurrence.blocked_until, Booking.title,
        )
        .join(Occurrence.booking)
        .where(
            Occurrence.status.in_(calendar.SHOWN),
            Occurrence.starts_at >= to_utc(first, time(), zone),
            Occurrence.starts_at < to_utc(last + timedelta(days=1), time(), zone),
        )
    )
    if room is not None:
        statement = statement.where(Occurrence.room_id == room.id)
    return calendar.sessions_from(db.session.execute(statement), zone)


def _room_choices(rooms: list, empty_label) -> list[tuple]:
    return [SelectChoice("", empty_label)] + [SelectChoice(room.id, f"{room.name} ({room.library})") for room in rooms]


def _member_choices(members: list[Membership]) -> list[SelectChoice]:
    return [SelectChoice("", _("Choose a staff member"))] + [SelectChoice(m.user_id, m.user.name) for m in members]


def _chosen_room(rooms: list, room_id):
    if room_id is None:
        return None
    room = next((room for room in rooms if room.id == room_id), None)
    if room is None:
        abort(404)
    return room


def _choose(one_day: bool) -> tuple[ChooseForm, list[calendar.CalendarRoom], calendar.CalendarRoom | None, date]:
    """The form, the rooms, the room (None: all rooms) and the date a calendar shows; a bad date shows today
    with an error. `one_day`: the rooms come with that day's opening hours only."""
    today = _now_local().date()
    form = ChooseForm(formdata=request.args, data={"date": today})
    form.validate()  # the room is looked up below; its choices only draw the field
    shown = form.date.data or today
    rooms = _calendar_rooms(shown.weekday() if one_day else None)
    form.room_id.choices = _room_choices(rooms, _("All rooms"))
    return form, rooms, _chosen_room(rooms, optional_int(request.args.get("room_id"))), shown


# --- Calendars ------------------------------------------------------------------------------------------

@bp.route("/week")
@require("bookings.view")
def week():
    form, rooms, room, day = _choose(one_day=False)
    monday = day - timedelta(days=day.weekday())
    days = [monday + timedelta(days=n) for n in range(7)]
    now = _now_local()
    closures = _closures(days[0], days[-1])
    grid = table = None
    if room is not None:
        slots = calendar.room_days(room, days, _sessions(days[0], days[-1], room), closures, earliest=now)
        # The free blocks' actions are listed above the grid, by day, instead of in its cells.
        grid = slots and shown_grid(slots, book_links=False, list_free_time=allowed("bookings.book"))
    elif rooms:
        table = shown_week(calendar.rooms_week(rooms, days, _day_counts(days), closures, today=now.date()), days, allowed("bookings.book"))
    return render_template(
        "bookings/week.html", form=form, rooms=rooms, room=room, days=days, grid=grid, table=table, today=now.date(),
        previous=monday - timedelta(weeks=1), following=monday + timedelta(weeks=1),
    ), 422 if has_errors(form) else 200


@bp.route("/day")
@require("bookings.view")
def day():
    form, rooms, room, shown = _choose(one_day=True)
    now = _now_local()
    sessions = _sessions(shown, shown, room)
    closures = _closures(shown, shown)
    can_book = allowed("bookings.book")
    if room is not None:
        slots = calendar.room_days(room, [shown], sessions, closures, earliest=now)
        grid = slots and shown_grid(slots, link_headers=False, book_links=can_book)
    else:
        slots = calendar.rooms_day(rooms, shown, sessions, closures, earliest=now)
        grid = slots and shown_grid(slots, by_rooms=True, book_links=can_book)
    return render_template(
        "bookings/day.html", form=form, rooms=rooms, room=room, day=shown, grid=grid, today=now.date(),
        previous=shown - timedelta(days=1), following=shown + timedelta(days=1),
    ), 422 if has_errors(form) else 200


@bp.route("/")
@require("bookings.view")
def index():
    rooms = _calendar_rooms()
    today = _now_local().date()
    filters = ListFilterForm(formdata=request.args, data={"start": today})
    filters.room_id.choices = _room_choices(rooms, _("All rooms"))
    filters.validate()
    zone = _zone()
    statement = (
        sa.select(Occurrence)
        .join(Occurrence.booking)
        .join(Occurrence.room)
        .options(contains_eager(Occurrence.booking).joinedload(Booking.responsible), contains_eager(Occurrence.room))
        .order_by(Occurrence.starts_at, Occurrence.id)
    )
    room = _chosen_room(rooms, filters.room_id.data)
    if room is not None:
        statement = statement.where(Occurrence.room_id == room.id)
    if filters.start.data:
        statement = statement.where(Occurrence.starts_at >= to_utc(filters.start.data, time(), zone))
    if filters.end.data:
        statement = statement.where(Occurrence.starts_at < to_utc(filters.end.data + timedelta(days=1), time(), zone))
    if filters.status.data in Status._value2member_map_:
        statement = statement.where(Occurrence.status == Status(filters.status.data))
    page = paginate(statement)
    shown_filters = {name: value for name, value in request.args.items() if name in ("room_id", "from", "to", "status")}
    return render_template("bookings/list.html", filters=filters, page=page, shown_filters=shown_filters), 422 if has_errors(filters) else 200


@bp.route("/free")
@require("bookings.view")
def free():
    rooms = _calendar_rooms()
    now = _now_local()
    search = FreeSearchForm(formdata=request.args, data={"start": now.date()})
    search.room_id.choices = _room_choices(rooms, _("Any room"))
    windows, more = None, False
    if search.validate() and request.args:
        room = _chosen_room(rooms, search.room_id.data)
        days = [search.start.data + timedelta(days=n) for n in range(search.days.data)]
        sessions = _sessions(days[0], days[-1], room)
        closures = _closures(days[0], days[-1])
        found = calendar.free_windows([room] if room else rooms, days, sessions, closures, search.duration.data, calendar.Part(search.part.data), now)
        windows, more = found[:MAX_WINDOWS], len(found) > MAX_WINDOWS
    return render_template("bookings/free.html", search=search, windows=windows, more=more, duration=search.duration.data), 422 if has_errors(search) else 200


# --- Booking ---------------------------------------------------------------------------------------------

def _prefill(form: BookingForm, rooms: list[Room]) -> None:
    """Values a "Book" link of a calendar carries: room, date, start and end."""
    form.room_id.data = optional_int(request.args.get("room_id")) or (rooms[0].id if len(rooms) == 1 else None)
    for name, parse in (("first_date", parse_local_date), ("start_time", parse_clock), ("end_time", parse_clock)):
        value = request.args.get({"first_date": "date", "start_time": "start", "end_time": "end"}[name])
        if value:
            with contextlib.suppress(ValueError):  # a hand-made link with a bad value: the field stays empty
                form[name].data = parse(value)
    form.responsible_id.data = current_user.id


def _booking_input(form: BookingForm) -> BookingInput:
    frequency = Frequency(form.frequency.data)
    repeats = frequency is not Frequency.ONCE
    return BookingInput(
        room_id=form.room_id.data,
        activity=Activity(form.activity.data),
        title=form.title.data or "",
        responsible_id=form.responsible_id.data,
        first_date=form.first_date.data,
        start_time=form.start_time.data,
        end_time=form.end_time.data,
        frequency=frequency,
        interval=form.interval.data if repeats else 1,
        weekdays=frozenset(form.weekdays.data or ()),
        until=form.until.data if repeats and form.ends.data == "until" else None,
        count=form.count.data if repeats and form.ends.data == "count" else None,
        expected=counts(form, "expected"),
        organiser_name=form.organiser_name.data,
        organiser_contact=form.organiser_contact.data,
        internal_note=form.internal_note.data or "",
    )


@bp.route("/new", methods=["GET", "POST"])
@require("bookings.book")
def book():
    form = BookingForm()
    error = unavailable = None
    dates = 0
    if form.validate_on_submit():
        booking_request = _booking_input(form)
        # Only the room booked: the lists of rooms and staff are read when the form is shown (again).
        room = db.session.scalar(sa.select(Room).where(Room.id == booking_request.room_id)) if booking_request.room_id else None
        confirm = services.confirms_at_once(room, allowed("bookings.approve"), current_user)
        try:
            booking = services.create_booking(booking_request, current_user, confirm=confirm, skip_unavailable=form.skip_unavailable.data == "1")
        except SlotTaken as taken:
            show_refusal(form, taken)
            unavailable, dates = taken.unavailable, len(booking_request.rule.dates())
        except Refused as refusal:
            error = show_refusal(form, refusal)
        else:
            # Said and addressed before the commit, which expires every object the request holds (reading them
            # again afterwards cost five statements).
            booked = sum(1 for o in booking.occurrences if o.status in OPEN)
            if confirm:
                message = ngettext("Booked: %(num)d session of “%(title)s”.", "Booked: %(num)d sessions of “%(title)s”.", booked, title=booking.title)
            else:
                message = ngettext("Requested: %(num)d session of “%(title)s”. A coordinator will confirm it.", "Requested: %(num)d sessions of “%(title)s”. A coordinator will confirm them.", booked, title=booking.title)
            page = url_for("bookings.view", booking_id=booking.id)
            db.session.commit()
            flash(message, "success")
            return redirect(page)
    rooms = _rooms()
    form.room_id.choices = _room_choices(rooms, _("Choose a room"))
    form.responsible_id.choices = _member_choices(_members())
    if request.method == "GET":
        _prefill(form, rooms)
    status = 409 if unavailable else 422 if (error or has_errors(form)) else 200
    resubmit = [(name, value) for name, value in request.form.items(multi=True) if name not in ("csrf_token", "skip_unavailable")]
    return render_template("bookings/form.html", form=form, error=error, unavailable=unavailable, dates=dates, resubmit=resubmit), status


def _booking_page(booking: Booking, status: int = 200, error=None, unavailable=None):
    occurrences = db.session.scalars(sa.select(Occurrence).where(Occurrence.booking_id == booking.id).order_by(Occurrence.starts_at, Occurrence.id)).all()
    now = utcnow()
    requested = [o for o in occurrences if o.status is Status.REQUESTED]
    return render_template(
        "bookings/booking.html", booking=booking, occurrences=occurrences, now=now, rule=rule_in_words(booking), error=error, unavailable=unavailable,
        future_open=[o for o in occurrences if o.status in OPEN and o.starts_at > now], requested=requested,
        approval_refused=services.approval_refusal(current_user) if requested and allowed("bookings.approve") else None,
    ), status


@bp.route("/<int:booking_id>/")
@require("bookings.view")
def view(booking):
    return _booking_page(booking)


def _back_to_booking(booking_id: int, message: str):
    flash(message, "success")
    return redirect(url_for("bookings.view", booking_id=booking_id))


@bp.route("/<int:booking_id>/edit", methods=["GET", "POST"])
@require("bookings.book")
def edit(booking):
    form = DetailsForm(obj=booking) if request.method == "GET" else DetailsForm()
    form.responsible_id.choices = _member_choices(_members())
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.change_details(
                booking,
                activity=Activity(form.activity.data),
                title=form.title.data,
                responsible_id=form.responsible_id.data,
                organiser_name=form.organiser_name.data or "",
                organiser_contact=form.organiser_contact.data or "",
                expected=counts(form, "expected"),
                internal_note=form.internal_note.data or "",
            )
        if outcome.saved:
            return _back_to_booking(booking.id, _("The details of “%(title)s” are saved.", title=booking.title))
    return render_template("bookings/edit.html", form=form, booking=booking, error=outcome.error), 422 if (outcome.error or has_errors(form)) else 200


@bp.route("/<int:booking_id>/cancel", methods=["GET", "POST"])
@require("bookings.book")
def cancel_series(booking):
    form = ReasonForm()
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            cancelled = services.cancel_series(booking, current_user, form.reason.data or "")
        if outcome.saved:
            return _back_to_booking(booking.id, ngettext("%(num)d future session is cancelled.", "%(num)d future sessions are cancelled.", len(cancelled)))
    return render_template("bookings/confirm.html", form=form, booking=booking, occurrence=None, action="cancel", error=outcome.error), 422 if (outcome.error or has_errors(form)) else 200


@bp.route("/<int:booking_id>/approve", methods=["POST"])
@require("bookings.approve")
def approve_series(booking):
    return _approve(booking, [o for o in booking.occurrences if o.status is Status.REQUESTED])


@bp.route("/<int:booking_id>/reject", methods=["GET", "POST"])
@require("bookings.approve")
def reject_series(booking):
    return _reject(booking, None, [o for o in booking.occurrences if o.status is Status.REQUESTED])


def _approve(booking: Booking, occurrences: list[Occurrence]):
    booking_id = booking.id
    try:
        approved = services.approve(occurrences, current_user)
    except SlotTaken as taken:
        show_refusal(None, taken)
        return _booking_page(visible_booking(booking_id), 409, unavailable=taken.unavailable)
    except Refused as refusal:  # a gate on approving is a 403 naming what is missing
        error = show_refusal(None, refusal)
        return _booking_page(visible_booking(booking_id), refusal.status, error=error)  # loaded again after the rollback
    db.session.commit()
    return _back_to_booking(booking.id, ngettext("%(num)d session is confirmed.", "%(num)d sessions are confirmed.", len(approved)))


def _reject(booking: Booking, occurrence: Occurrence | None, occurrences: list[Occurrence]):
    form = RejectForm()
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            rejected = services.reject(occurrences, form.reason.data, current_user)
        if outcome.saved:
            return _back_to_booking(booking.id, ngettext("%(num)d session is rejected.", "%(num)d sessions are rejected.", len(rejected)))
    return render_template("bookings/confirm.html", form=form, booking=booking, occurrence=occurrence, action="reject", error=outcome.error), 422 if (outcome.error or has_errors(form)) else 200


# --- One session ----------------------------------------------------------------------------------------

@bp.route("/occurrences/<int:occurrence_id>/cancel", methods=["GET", "POST"])
@require("bookings.book")
def cancel(occurrence):
    form = ReasonForm()
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            services.cancel([occurrence], current_user, form.reason.data or "")
        if outcome.saved:
            return _back_to_booking(occurrence.booking_id, _("The session of %(date)s is cancelled.", date=format_date(local_day(occurrence.starts_at), "long", locale=formatting_locale())))
    return render_template("bookings/confirm.html", form=form, booking=occurrence.booking, occurrence=occurrence, action="cancel", error=outcome.error), 422 if (outcome.error or has_errors(form)) else 200


@bp.route("/occurrences/<int:occurrence_id>/approve", methods=["POST"])
@require("bookings.approve")
def approve(occurrence):
    return _approve(occurrence.booking, [occurrence])


@bp.route("/occurrences/<int:occurrence_id>/reject", methods=["GET", "POST"])
@require("bookings.approve")
def reject(occurrence):
    return _reject(occurrence.booking, occurrence, [occurrence])


@bp.route("/occurrences/<int:occurrence_id>/move", methods=["GET", "POST"])
@require("bookings.book")
def move(occurrence):
    zone = _zone()
    if request.method == "GET":
        form = MoveForm(data={"day": to_local(occurrence.starts_at, zone).date(), "start_time": to_local(occurrence.starts_at, zone).time(), "end_time": to_local(occurrence.ends_at, zone).time()})
    else:
        form = MoveForm()
    error = unavailable = None
    if form.validate_on_submit():
        try:
            services.move_occurrence(occurrence, form.day.data, form.start_time.data, form.end_time.data, current_user)
        except SlotTaken as taken:
            show_refusal(form, taken)
            unavailable = taken.unavailable
        except Refused as refusal:
            error = show_refusal(form, refusal, rename={"date": "day"})
        else:
            db.session.commit()
            return _back_to_booking(occurrence.booking_id, _("The session is moved to %(date)s, %(start)s–%(end)s.", date=format_date(form.day.data, "long", locale=formatting_locale()), start=clock(form.start_time.data), end=clock(form.end_time.data)))
    status = 409 if unavailable else 422 if (error or has_errors(form)) else 200
    return render_template("bookings/move.html", form=form, occurrence=occurrence, booking=occurrence.booking, error=error, unavailable=unavailable), status


@bp.route("/occurrences/<int:occurrence_id>/attendance", methods=["GET", "POST"])
@require("bookings.book")
def attendance(occurrence):
    if (reason := services.why_no_attendance(occurrence)) is not None:
        return render_template("bookings/attendance.html", occurrence=occurrence, booking=occurrence.booking, refused=reason), 409
    recorded = occurrence.attended or {}
    form = AttendanceForm(data={f"attended_{kind}": value for kind, value in recorded.items()}) if request.method == "GET" else AttendanceForm()
    outcome = Outcome()
    if form.validate_on_submit():
        no_show = request.form.get("action") == "no_show"
        with saving(form, rename={kind: f"attended_{kind}" for kind in VISITOR_KINDS}) as outcome:
            services.record_attendance(occurrence, None if no_show else counts(form, "attended"), current_user)
        if outcome.saved:
            message = _("A no-show is recorded.") if no_show else _("The attendance is recorded.")
            return _back_to_booking(occurrence.booking_id, message)
    return render_template("bookings/attendance.html", form=form, occurrence=occurrence, booking=occurrence.booking, error=outcome.error), 422 if (outcome.error or has_errors(form)) else 200
