"""The booking pages: the week, day and list views, the free-slot search, the booking form and the booking's page
with its actions. Bad input gets 422 with a message and writes nothing; a taken slot gets 409 naming the time."""
from datetime import datetime, time, timedelta
import re
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.bookings import services
from bibnet.tenants.bookings.models import Booking, Occurrence, Status
from bibnet.tenants.bookings.recurrence import Frequency
from bibnet.tenants.bookings.views import TITLES_PER_DAY
from bibnet.tenants.rooms.models import Closure

from conftest import booking_input, csrf_token, log_in, monday_in, post_form

BOOKINGS = "/t/jelgava/bookings"
NEW = f"{BOOKINGS}/new"



def book(world, room, day, start=time(10), end=time(11), confirm=True, now=None, **fields):
    with tenant_scope(world.jelgava):
        booking = services.create_booking(booking_input(room, world.staff, day, start, end, **fields), world.staff, confirm=confirm, now=now)
        db.session.commit()
        return booking


def form(world, room, day, start="10:00", end="11:00", **fields):
    """What the booking form sends for a single sensory session for 3 seniors and a carer."""
    data = {
        "room_id": room.id, "activity": "sensory_session", "title": "Tuesday club", "responsible_id": world.staff.id,
        "first_date": day.isoformat(), "start_time": start, "end_time": end, "frequency": "once", "interval": "1",
        "ends": "until", "until": "", "count": "", "organiser_name": "", "organiser_contact": "",
        "expected_seniors": "3", "expected_carers": "1", "internal_note": "",
    }
    return {**data, **fields}


def text(response) -> str:
    return response.get_data(as_text=True)


def count(world, model) -> int:
    with tenant_scope(world.jelgava):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def bookings(world) -> list[Booking]:
    with tenant_scope(world.jelgava):
        return db.session.scalars(sa.select(Booking).order_by(Booking.id)).all()


def occurrences_of(world, booking_id):
    with tenant_scope(world.jelgava):
        return db.session.scalars(sa.select(Occurrence).where(Occurrence.booking_id == booking_id).order_by(Occurrence.starts_at)).all()


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p id="{field}-error" class="field-error">(.*?)</p>', html, re.DOTALL)
    assert match, f"no error next to {field}"
    return re.sub(r"<[^>]+>", "", match.group(1))


class TestTheWeekOfARoom:
    def test_every_cell_says_its_state_in_words(self, world, room, client):
        monday = monday_in(2)
        book(world, room, monday, time(10), time(11, 30), title="Monday club")
        book(world, room, monday + timedelta(days=1), time(9), time(10), confirm=False, title="Care home visit")
        with tenant_scope(world.jelgava):
            db.session.add(Closure(starts_on=monday + timedelta(days=2), ends_on=monday + timedelta(days=2), reason="Deep cleaning"))
            db.session.commit()
        log_in(client, "staff@jelgava.example")
        page = text(client.get(f"{BOOKINGS}/week?room_id={room.id}&date={monday + timedelta(days=3)}"))
        assert '<th scope="col"><a class="d-inline-block py-1"' in page and "Monday" in page and "Sunday" in page
        assert '<th scope="row">09:00</th>' in page and '<th scope="row">17:30</th>' in page
        assert re.search(r'rowspan="3" class="table-primary">\s*<p class="mb-1">\s*<strong>Booked</strong>\s*10:00–11:30', page)
        assert "Monday club" in page and "<strong>Requested</strong>" in page and "Care home visit" in page
        assert "Closed: Deep cleaning" in page and "Not open" in page and "Free" in page
        assert f'href="{NEW}?room_id={room.id}&amp;date={monday}&amp;start=09:00&amp;end=09:45"' in page  # before the 10:00 session

    def test_each_free_block_is_one_action_named_by_its_day_and_times_with_links_to_each_day(self, world, room, client):
        """The week grid had a "Book" button in every free half hour: about 80 alike, 72 Tabs to reach Friday 14:00."""
        monday = monday_in(2)
        friday = monday + timedelta(days=4)
        book(world, room, friday, time(10, 45), time(13, 45), title="Friday club")
        log_in(client, "staff@jelgava.example")
        page = text(client.get(f"{BOOKINGS}/week?room_id={room.id}&date={monday}"))
        actions = re.findall(r'href="/t/jelgava/bookings/new\?room_id=[^"]*date=[^"]*"[^>]*>([^<]*)<', page)
        assert actions == [
            "Book Monday 09:00–18:00", "Book Tuesday 09:00–18:00", "Book Wednesday 09:00–18:00", "Book Thursday 09:00–18:00",
            "Book Friday 09:00–10:30", "Book Friday 14:00–18:00", "Book Saturday 10:00–14:00",
        ]
        assert f'href="{NEW}?room_id={room.id}&amp;date={friday}&amp;start=14:00&amp;end=15:00"' in page
        assert f'<a class="d-inline-block py-1" href="#free-{friday}">Friday</a>' in page and f'<dt id="free-{friday}" tabindex="-1">' in page

    def test_the_week_starts_on_monday_and_links_to_the_weeks_around_it(self, world, room, client):
        monday = monday_in(2)
        log_in(client, "staff@jelgava.example")
        page = text(client.get(f"{BOOKINGS}/week?room_id={room.id}&date={monday + timedelta(days=6)}"))
        assert f"date={monday - timedelta(weeks=1)}\">Previous week" in page and f"date={monday + timedelta(weeks=1)}\">Next week" in page
        assert f"/bookings/day?room_id={room.id}&amp;date={monday}\"" in page

    def test_the_room_and_date_are_chosen_with_a_plain_form(self, world, room, client):
        log_in(client, "staff@jelgava.example")
        page = text(client.get(f"{BOOKINGS}/week"))
        assert '<form method="get" action="/t/jelgava/bookings/week"' in page
        assert '<label class="form-label fw-semibold" for="room_id">Room</label>' in page and 'aria-describedby="date-hint"' in page

    def test_a_malformed_date_is_explained_and_this_week_shown(self, world, room, client):
        log_in(client, "staff@jelgava.example")
        response = client.get(f"{BOOKINGS}/week?date=31.02.2027")
        assert response.status_code == 422
        assert "Enter a real date" in field_error(text(response), "date")

    def test_an_unknown_room_is_not_found(self, world, room, make_room, client):
        theirs = make_room(world.pasvalys, "Their room")
        log_in(client, "staff@jelgava.example")
        assert client.get(f"{BOOKINGS}/week?room_id={theirs.id}").status_code == 404


def test_the_week_of_all_rooms_shows_each_days_sessions_by_time_and_title_and_links_to_the_day(world, room, make_room, client):
    """It showed only counts ("1 session booked"); a coordinator plans a week by what is on, so it shows titles."""
    other = make_room(world.jelgava, "Quiet room")
    monday = monday_in(2)
    book(world, other, monday, time(14), time(15), title="Reading hour")
    book(world, other, monday, time(16), time(17), title="Care home visit", confirm=False)
    log_in(client, "staff@jelgava.example")
    page = text(client.get(f"{BOOKINGS}/week?date={monday}"))
    assert "All rooms" in page and "Quiet room" in page and "Sensory room" in page
    assert re.search(r'bg-primary-subtle[^>]*><span class="text-nowrap">14:00–15:00</span> Reading hour</li>', page)
    assert re.search(r'bg-warning-subtle[^>]*><span class="text-nowrap">16:00–17:00</span> Care home visit <em>\(request\)</em></li>', page)
    assert f"{BOOKINGS}/day?room_id={other.id}&amp;date={monday}" in page


def test_the_week_of_all_rooms_lists_the_first_sessions_of_a_busy_day_and_counts_the_rest(world, room, make_room, client):
    monday = monday_in(2)
    for hour in range(9, 16):
        book(world, room, monday, time(hour), time(hour, 30), title=f"Session at {hour}")
    their_room = make_room(world.pasvalys, "Their room")
    with tenant_scope(world.pasvalys):
        services.create_booking(booking_input(their_room, world.other_staff, monday, time(9), time(10), title="Their session"), world.other_staff, confirm=True)
        db.session.commit()
    log_in(client, "staff@jelgava.example")
    page = text(client.get(f"{BOOKINGS}/week?date={monday}"))
    listed = re.findall(r"</span> (Session at \d+)</li>", page)
    assert listed == [f"Session at {hour}" for hour in range(9, 9 + TITLES_PER_DAY)]
    assert f"{7 - TITLES_PER_DAY} more sessions" in page
    assert "Their session" not in page
    assert "Not open" in page  # Sundays
    assert f"{NEW}?room_id={room.id}&amp;date={monday}" in page


@pytest.mark.parametrize("one_room", [True, False], ids=["one room", "all rooms"])
def test_the_week_view_runs_at_most_10_statements_whatever_the_bookings(world, room, make_room, client, count_queries, one_room):
    rooms = [room, make_room(world.jelgava, "Quiet room"), make_room(world.jelgava, "Blue room")]
    monday = monday_in(2)
    url = f"{BOOKINGS}/week?date={monday}" + (f"&room_id={room.id}" if one_room else "")
    log_in(client, "staff@jelgava.example")
    client.get(url)
    with count_queries() as empty:
        assert client.get(url).status_code == 200
    for each in rooms:
        book(world, each, monday, time(9), time(9, 30), frequency=Frequency.DAILY, count=5, title=f"Morning {each.name}")
        for hour in (10, 12, 14, 16):
            book(world, each, monday, time(hour), time(hour + 1), frequency=Frequency.WEEKLY, weekdays=frozenset(range(5)), count=10, title=f"{hour}:00 {each.name}")
    with tenant_scope(world.jelgava):
        db.session.add_all([Closure(starts_on=monday + timedelta(days=5), ends_on=monday + timedelta(days=5), reason="Holiday"), Closure(room_id=room.id, starts_on=monday, ends_on=monday, reason="Repairs")])
        db.session.commit()
    with count_queries() as full:
        response = client.get(url)
    assert response.status_code == 200
    assert "16:00 Sensory room" in text(response) if one_room else "2 more sessions" in text(response)
    assert full.n == empty.n <= 10, full.statements


def test_the_day_view_of_a_room_and_of_all_rooms(world, room, make_room, client):
    other = make_room(world.jelgava, "Quiet room")
    monday = monday_in(2)
    book(world, room, monday, time(10), time(11), title="Morning club")
    log_in(client, "staff@jelgava.example")
    page = text(client.get(f"{BOOKINGS}/day?room_id={room.id}&date={monday}"))
    assert "Morning club" in page and '<th scope="row">09:00</th>' in page and "Previous day" in page
    page = text(client.get(f"{BOOKINGS}/day?date={monday}"))
    assert re.search(r'<th scope="col">\s*<a[^>]*>Sensory room</a>', page) and re.search(r'<th scope="col">\s*<a[^>]*>Quiet room</a>', page)
    # One action per free block: the free room's whole day, and the booked room's time around its session.
    assert page.count(f"{NEW}?room_id={other.id}&amp;") == 1 and "Book Monday 09:00–18:00" in page
    assert page.count(f"{NEW}?room_id={room.id}&amp;") == 2 and "Book Monday 09:00–09:45" in page and "Book Monday 11:15–18:00" in page
    assert f"{NEW}?room_id={other.id}&amp;date={monday}&amp;start=09:00&amp;end=10:00" in page


@pytest.mark.parametrize("one_room", [True, False], ids=["one room", "all rooms"])
def test_the_day_view_runs_the_same_statements_for_an_empty_or_a_busy_day(world, room, make_room, client, count_queries, one_room):
    rooms = [room, make_room(world.jelgava, "Quiet room"), make_room(world.jelgava, "Blue room")]
    monday = monday_in(2)
    url = f"{BOOKINGS}/day?date={monday}" + (f"&room_id={room.id}" if one_room else "")
    log_in(client, "staff@jelgava.example")
    client.get(url)
    with count_queries() as empty:
        assert client.get(url).status_code == 200
    for each in rooms:
        for hour in (9, 11, 13, 15):
            book(world, each, monday, time(hour), time(hour + 1), title=f"{hour}:00 {each.name}")
        book(world, each, monday, time(16, 30), time(17, 30), confirm=False, title=f"Request {each.name}")
    with tenant_scope(world.jelgava):
        db.session.add(Closure(room_id=rooms[2].id, starts_on=monday, ends_on=monday, reason="Repairs"))
        db.session.commit()
    with count_queries() as busy:
        response = client.get(url)
    assert response.status_code == 200 and "15:00 Sensory room" in text(response)
    assert busy.n == empty.n <= 10, busy.statements


def test_the_day_view_shows_a_title_as_text_never_as_markup(world, room, make_room, client):
    make_room(world.jelgava, "Quiet <b>room</b>")
    monday = monday_in(2)
    book(world, room, monday, time(10), time(11), title='<script>alert("club")</script> & friends')
    log_in(client, "staff@jelgava.example")
    for url in (f"{BOOKINGS}/day?date={monday}", f"{BOOKINGS}/day?room_id={room.id}&date={monday}", f"{BOOKINGS}/week?room_id={room.id}&date={monday}"):
        page = text(client.get(url))
        assert "&lt;script&gt;alert(&#34;club&#34;)&lt;/script&gt; &amp; friends" in page and "<script>alert" not in page
    page = text(client.get(f"{BOOKINGS}/day?date={monday}"))
    assert "Quiet &lt;b&gt;room&lt;/b&gt;" in page and "<b>room</b>" not in page


class TestTheList:
    def test_shows_sessions_with_their_status_in_words_and_filters_them(self, world, room, client):
        monday = monday_in(2)
        kept = book(world, room, monday, title="Kept club")
        cancelled = book(world, room, monday + timedelta(days=1), title="Called off")
        with tenant_scope(world.jelgava):
            services.cancel(db.session.get(Booking, cancelled.id).occurrences, world.staff)
            db.session.commit()
        log_in(client, "staff@jelgava.example")
        page = text(client.get(f"{BOOKINGS}/"))
        assert "Kept club" in page and "Called off" in page and "Cancelled" in page and "Confirmed" in page and "Jānis Staff" in page
        page = text(client.get(f"{BOOKINGS}/?status=cancelled"))
        assert "Called off" in page and "Kept club" not in page
        page = text(client.get(f"{BOOKINGS}/?from={monday + timedelta(days=1)}&to={monday + timedelta(days=1)}"))
        assert "Called off" in page and "Kept club" not in page
        assert kept.id

    def test_is_paginated_with_the_filters_kept(self, world, room, client):
        book(world, room, monday_in(2), frequency=Frequency.WEEKLY, weekdays=frozenset(range(5)), count=25)
        log_in(client, "staff@jelgava.example")
        page = text(client.get(f"{BOOKINGS}/?status=confirmed"))
        assert "25 sessions" in page and "Page 1 of 2" in page and "status=confirmed" in page

    def test_a_malformed_filter_date_is_explained(self, world, room, client):
        log_in(client, "staff@jelgava.example")
        response = client.get(f"{BOOKINGS}/?to=2027-13-40")
        assert response.status_code == 422 and "Enter a real date" in text(response)


class TestTheFreeSlotSearch:
    def test_lists_windows_long_enough_around_sessions_and_buffers(self, world, room, client):
        monday = monday_in(2)
        book(world, room, monday, time(9), time(12))
        book(world, room, monday, time(13), time(16), confirm=False, title="A request")  # requests do not block
        log_in(client, "staff@jelgava.example")
        page = text(client.get(f"{BOOKINGS}/free?duration=120&from={monday}&days=1&part=any"))
        assert "1 free time for 120 minutes" in page
        assert re.search(r"<td>12:15</td>\s*<td>18:00</td>", page)
        assert f"{NEW}?room_id={room.id}&amp;date={monday}&amp;start=12:15&amp;end=14:15" in page

    def test_one_query_for_the_sessions_of_the_whole_range(self, world, room, client, count_queries):
        monday = monday_in(2)
        log_in(client, "staff@jelgava.example")
        url = f"{BOOKINGS}/free?duration=60&from={monday}&days=14&part=morning"
        client.get(url)
        with count_queries() as few:
            client.get(url)
        book(world, room, monday, frequency=Frequency.WEEKLY, weekdays=frozenset(range(5)), count=10)
        with count_queries() as many:
            assert client.get(url).status_code == 200
        assert many.n == few.n

    def test_a_bad_length_is_explained(self, world, room, client):
        log_in(client, "staff@jelgava.example")
        response = client.get(f"{BOOKINGS}/free?duration=5&days=7")
        assert response.status_code == 422 and "from 15 to 720 minutes" in field_error(text(response), "duration")


class TestTheBookingForm:
    def test_a_book_link_fills_in_room_date_and_times(self, world, room, client):
        monday = monday_in(2)
        log_in(client, "staff@jelgava.example")
        page = text(client.get(f"{NEW}?room_id={room.id}&date={monday}&start=10:00&end=11:00"))
        assert f'<option selected value="{room.id}">' in page and 'value="10:00"' in page and 'value="11:00"' in page
        assert f'<option selected value="{world.staff.id}">Jānis Staff</option>' in page  # the current user is responsible
        assert f'value="{monday.isoformat()}"' in page  # English prefills ISO, which no reader takes for another day
        assert 'aria-describedby="first_date-hint"' in page and 'aria-describedby="start_time-hint"' in page
        assert "<legend" in page and "Counts only" in page

    def test_a_session_is_booked_and_shown(self, world, room, client):
        log_in(client, "staff@jelgava.example")
        response = post_form(client, NEW, form(world, room, monday_in(2), organiser_name="Day centre", organiser_contact="+371 2000 0000"))
        assert response.status_code == 302
        booking = bookings(world)[0]
        assert response.headers["Location"].endswith(f"{BOOKINGS}/{booking.id}/")
        assert booking.organiser_contact == "+371 2000 0000" and booking.expected_seniors == 3
        page = text(client.get(response.headers["Location"]))
        assert "Booked: 1 session of “Tuesday club”." in page and "Confirmed" in page and "One session" in page

    def test_booking_through_the_form_reads_no_list_of_rooms_or_staff(self, world, room, client, count_queries):
        """The lists are for showing the form; a booking that goes through only redirects."""
        log_in(client, "staff@jelgava.example")
        token = csrf_token(client.get(NEW).get_data(as_text=True))
        with count_queries() as counted:
            response = client.post(NEW, data={**form(world, room, monday_in(2)), "csrf_token": token})
        assert response.status_code == 302
        lists = [statement for statement in counted.statements if "ORDER BY room.library" in statement or "FROM membership JOIN" in statement]
        assert lists == []

    def test_a_refused_booking_shows_the_form_again_with_its_rooms_and_staff(self, world, room, client):
        log_in(client, "staff@jelgava.example")
        response = post_form(client, NEW, form(world, room, monday_in(2), start="11:00", end="10:00"))
        assert response.status_code == 422
        page = text(response)
        assert f'<option selected value="{room.id}">' in page and f'value="{world.staff.id}"' in page

    def test_dates_are_typed_the_way_of_the_users_language(self, world, room, client):
        db.session.get(User, world.staff.id).locale = "lv"
        db.session.commit()
        monday = monday_in(2)
        log_in(client, "staff@jelgava.example")
        page = text(client.get(NEW))
        assert "Piemēram" in page or "For example" in page
        response = post_form(client, NEW, form(world, room, monday, first_date=monday.strftime("%d.%m.%Y")))
        assert response.status_code == 302
        assert bookings(world)[0].first_date == monday

    def test_a_room_that_needs_approval_makes_a_request_of_staff(self, world, make_room, client):
        room = make_room(world.jelgava, "Approval room", needs_approval=True)
        log_in(client, "staff@jelgava.example")
        response = post_form(client, NEW, form(world, room, monday_in(2)))
        assert response.status_code == 302
        assert [o.status for o in occurrences_of(world, bookings(world)[0].id)] == [Status.REQUESTED]

    @pytest.mark.parametrize(
        "fields,field,message",
        [
            ({"start_time": "11:00", "end_time": "10:00"}, "end_time", "The end time must be after the start time."),
            ({"first_date": "31.02.2027"}, "first_date", "Enter a real date"),
            ({"start_time": "25:99"}, "start_time", "Enter a time like 14:30."),
            ({"expected_seniors": "8", "expected_carers": "2"}, "expected_carers", "The room holds 8 people"),
            ({"expected_hearing": "-1"}, "expected_hearing", "0 or more"),
            ({"expected_visual": "two"}, "expected_visual", "whole number"),
            ({"title": " "}, "title", "short title"),
            ({"organiser_contact": "call me"}, "organiser_contact", "phone number or an e-mail address"),
            ({"frequency": "weekly", "until": "", "count": ""}, "until", "Give the date of the last session"),
        ],
    )
    def test_bad_input_is_explained_and_nothing_is_written(self, world, room, client, fields, field, message):
        log_in(client, "staff@jelgava.example")
        response = post_form(client, NEW, form(world, room, monday_in(2), **fields))
        assert response.status_code == 422
        page = text(response)
        assert "<title>Error:" in page and 'class="error-summary"' in page and f'href="#{field}"' in page
        assert message in field_error(page, field)
        assert count(world, Booking) == 0

    def test_a_date_in_the_past_is_refused(self, world, room, client):
        log_in(client, "staff@jelgava.example")
        response = post_form(client, NEW, form(world, room, monday_in(-1)))
        assert response.status_code == 422 and "already passed" in field_error(text(response), "first_date")
        assert count(world, Booking) == 0

    def test_a_taken_slot_is_a_409_naming_the_time_not_the_booking(self, world, room, client):
        monday = monday_in(2)
        book(world, room, monday, time(10), time(11), title="Secret group")
        log_in(client, "staff@jelgava.example")
        response = post_form(client, NEW, form(world, room, monday, start="10:30", end="11:30"))
        assert response.status_code == 409
        page = text(response)
        assert "Taken from 10:00 to 11:00" in page and "Secret group" not in page
        assert "Book only the" not in page  # a single session has no free dates left
        assert count(world, Booking) == 1

    def test_a_clash_with_the_cleaning_buffer_says_so(self, world, room, client):
        monday = monday_in(2)
        book(world, room, monday, time(10), time(11))
        log_in(client, "staff@jelgava.example")
        response = post_form(client, NEW, form(world, room, monday, start="11:00", end="12:00"))
        assert response.status_code == 409
        assert "The room needs 15 minutes of cleaning after the session ending at 11:00: it is free from 11:15." in text(response)
        response = post_form(client, NEW, form(world, room, monday, start="09:00", end="09:50"))
        assert response.status_code == 409
        assert "The room needs 15 minutes of cleaning after this session, and the next one starts at 10:00: end by 09:45." in text(response)
        response = post_form(client, NEW, form(world, room, monday, start="10:30", end="11:30"))
        assert response.status_code == 409 and "cleaning" not in text(response)  # a real overlap is just taken
        assert count(world, Booking) == 1

    def test_a_series_with_collisions_lists_them_and_books_only_the_free_dates(self, world, room, client):
        monday = monday_in(2)
        book(world, room, monday + timedelta(weeks=1), time(10), time(11))
        with tenant_scope(world.jelgava):
            db.session.add(Closure(starts_on=monday + timedelta(weeks=2), ends_on=monday + timedelta(weeks=2), reason="National holiday"))
            db.session.commit()
        log_in(client, "staff@jelgava.example")
        series = form(world, room, monday, frequency="weekly", weekdays="0", ends="count", count="4")
        response = post_form(client, NEW, series)
        assert response.status_code == 409
        page = text(response)
        assert "2 dates cannot be booked" in page and "Taken from 10:00 to 11:00" in page and "Closed: National holiday" in page
        assert "Book only the 2 free dates" in page and count(world, Booking) == 1
        resubmit = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.split("Book only the")[0].split('<form method="post"')[-1]))
        assert resubmit["skip_unavailable"] == "1" and resubmit["count"] == "4"
        response = client.post(NEW, data={**resubmit, "csrf_token": csrf_token(page)})
        assert response.status_code == 302
        booking = bookings(world)[-1]
        assert [o.status for o in occurrences_of(world, booking.id)] == [Status.CONFIRMED, Status.CANCELLED, Status.CANCELLED, Status.CONFIRMED]
        assert "Not booked: the room was not available then." in text(client.get(response.headers["Location"]))


class TestTheBookingPage:
    def test_shows_the_details_and_the_rule_in_words(self, world, room, client):
        monday = monday_in(2)
        booking = book(world, room, monday, frequency=Frequency.WEEKLY, interval=2, weekdays=frozenset({0, 2}), until=monday + timedelta(weeks=4, days=2), organiser_name="Day centre", internal_note="Prepare the ramp")
        log_in(client, "staff@jelgava.example")
        page = text(client.get(f"{BOOKINGS}/{booking.id}/"))
        assert "Every 2 weeks on Monday and Wednesday, until" in page
        assert "Day centre" in page and "Prepare the ramp" in page and "Seniors (50 and older): 3" in page
        assert "6 sessions" in page and page.count(">Move<") == 6

    def test_one_session_is_cancelled_and_the_series_stays(self, world, room, client):
        booking = book(world, room, monday_in(2), frequency=Frequency.DAILY, count=3)
        second = occurrences_of(world, booking.id)[1]
        log_in(client, "staff@jelgava.example")
        response = post_form(client, f"{BOOKINGS}/occurrences/{second.id}/cancel", {"reason": "Group is ill"})
        assert response.status_code == 302
        assert [o.status for o in occurrences_of(world, booking.id)] == [Status.CONFIRMED, Status.CANCELLED, Status.CONFIRMED]

    def test_all_future_sessions_are_cancelled(self, world, room, client):
        booking = book(world, room, monday_in(2), frequency=Frequency.DAILY, count=3)
        log_in(client, "staff@jelgava.example")
        response = post_form(client, f"{BOOKINGS}/{booking.id}/cancel", {"reason": ""})
        assert response.status_code == 302
        assert {o.status for o in occurrences_of(world, booking.id)} == {Status.CANCELLED}

    def test_a_session_is_moved_and_a_taken_time_is_a_409(self, world, room, client):
        monday = monday_in(2)
        booking = book(world, room, monday)
        book(world, room, monday + timedelta(days=1), time(14), time(15))
        (occurrence,) = occurrences_of(world, booking.id)
        log_in(client, "staff@jelgava.example")
        url = f"{BOOKINGS}/occurrences/{occurrence.id}/move"
        assert 'value="10:00"' in text(client.get(url))
        response = post_form(client, url, {"day": str(monday + timedelta(days=1)), "start_time": "14:30", "end_time": "15:30"})
        assert response.status_code == 409 and "Taken from 14:00 to 15:00" in text(response)
        response = post_form(client, url, {"day": str(monday + timedelta(days=1)), "start_time": "12:00", "end_time": "11:00"})
        assert response.status_code == 422 and "after the start time" in field_error(text(response), "end_time")
        response = post_form(client, url, {"day": str(monday + timedelta(days=1)), "start_time": "16:00", "end_time": "17:00"})
        assert response.status_code == 302
        (moved,) = occurrences_of(world, booking.id)
        assert moved.moved and moved.status is Status.CONFIRMED

    def test_attendance_is_counted_per_group_or_a_no_show(self, world, room, client):
        last_week = monday_in(-1)
        booking = book(world, room, last_week, frequency=Frequency.DAILY, count=2, now=datetime.combine(last_week - timedelta(days=7), time(12)).astimezone())
        first, second = occurrences_of(world, booking.id)
        log_in(client, "staff@jelgava.example")
        page = text(client.get(f"{BOOKINGS}/{booking.id}/"))
        assert "Record the attendance" in page
        url = f"{BOOKINGS}/occurrences/{first.id}/attendance"
        response = post_form(client, url, {"attended_seniors": "4", "attended_visual": "1", "attended_carers": "2", "action": "attended"})
        assert response.status_code == 302
        response = post_form(client, url, {"attended_seniors": "0", "action": "attended"})
        assert response.status_code == 422 and "Record a no-show instead" in text(response)
        response = post_form(client, f"{BOOKINGS}/occurrences/{second.id}/attendance", {"action": "no_show"})
        assert response.status_code == 302
        first, second = occurrences_of(world, booking.id)
        assert first.status is Status.COMPLETED and first.attended["seniors"] == 4 and first.attended["carers"] == 2
        assert second.status is Status.NO_SHOW

    def test_the_attendance_form_does_not_open_for_a_future_or_cancelled_session(self, world, room, client):
        last_week = monday_in(-1)
        past = book(world, room, last_week, frequency=Frequency.DAILY, count=2, now=datetime.combine(last_week - timedelta(days=7), time(12)).astimezone())
        held, called_off = occurrences_of(world, past.id)
        with tenant_scope(world.jelgava):
            db.session.get(Occurrence, called_off.id).status = Status.CANCELLED
            db.session.commit()
        (coming,) = occurrences_of(world, book(world, room, monday_in(2)).id)
        log_in(client, "staff@jelgava.example")
        for occurrence, reason in ((coming, "once the session has started"), (called_off, "only be recorded for a confirmed session")):
            response = client.get(f"{BOOKINGS}/occurrences/{occurrence.id}/attendance")
            assert response.status_code == 409 and reason in text(response)
            assert "Save the attendance" not in text(response)
            assert f"/occurrences/{occurrence.id}/attendance" not in text(client.get(f"{BOOKINGS}/{occurrence.booking_id}/"))
        assert f"/occurrences/{held.id}/attendance" in text(client.get(f"{BOOKINGS}/{past.id}/"))

    def test_details_are_changed(self, world, room, client):
        booking = book(world, room, monday_in(2))
        log_in(client, "staff@jelgava.example")
        url = f"{BOOKINGS}/{booking.id}/edit"
        assert 'value="Sensory session"' in text(client.get(url))
        data = {"activity": "club", "title": "Reading club", "responsible_id": world.coordinator.id, "organiser_name": "", "organiser_contact": "", "expected_seniors": "2", "internal_note": "Bring books"}
        response = post_form(client, url, {**data, "expected_seniors": "20"})
        assert response.status_code == 422 and "The room holds 8 people" in text(response)
        assert post_form(client, url, data).status_code == 302
        changed = bookings(world)[0]
        assert (changed.title, changed.activity.value, changed.responsible_id, changed.expected_seniors) == ("Reading club", "club", world.coordinator.id, 2)


class TestApproval:
    @pytest.fixture
    def requested(self, world, make_room):
        room = make_room(world.jelgava, "Approval room", needs_approval=True)
        return book(world, room, monday_in(2), confirm=False, frequency=Frequency.DAILY, count=3)

    def test_a_coordinator_approves_one_session_or_all(self, world, requested, client):
        first = occurrences_of(world, requested.id)[0]
        log_in(client, "coordinator@jelgava.example")
        page = f"{BOOKINGS}/{requested.id}/"
        assert "Approve all 3 requested sessions" in text(client.get(page))
        assert post_form(client, f"{BOOKINGS}/occurrences/{first.id}/approve", {}, page=page).status_code == 302
        assert [o.status for o in occurrences_of(world, requested.id)] == [Status.CONFIRMED, Status.REQUESTED, Status.REQUESTED]
        assert post_form(client, f"{BOOKINGS}/{requested.id}/approve", {}, page=page).status_code == 302
        assert {o.status for o in occurrences_of(world, requested.id)} == {Status.CONFIRMED}
        response = post_form(client, f"{BOOKINGS}/{requested.id}/approve", {}, page=page)
        assert response.status_code == 422 and "no future requested session" in text(response)

    def test_rejecting_needs_a_reason(self, world, requested, client):
        first, *_ = occurrences_of(world, requested.id)
        log_in(client, "coordinator@jelgava.example")
        url = f"{BOOKINGS}/occurrences/{first.id}/reject"
        response = post_form(client, url, {"reason": " "})
        assert response.status_code == 422 and "Give a reason" in field_error(text(response), "reason")
        assert post_form(client, url, {"reason": "The room is being repainted"}).status_code == 302
        assert post_form(client, f"{BOOKINGS}/{requested.id}/reject", {"reason": "Fully booked"}).status_code == 302
        statuses = occurrences_of(world, requested.id)
        assert {o.status for o in statuses} == {Status.REJECTED} and statuses[0].status_reason == "The room is being repainted"

    def test_staff_cannot_approve(self, world, requested, client):
        first, *_ = occurrences_of(world, requested.id)
        log_in(client, "staff@jelgava.example")
        page = f"{BOOKINGS}/{requested.id}/"
        assert "Approve" not in text(client.get(page))
        assert post_form(client, f"{BOOKINGS}/occurrences/{first.id}/approve", {}, page=page).status_code == 403
        assert client.get(f"{BOOKINGS}/occurrences/{first.id}/reject").status_code == 403


def test_the_project_lead_sees_everything_and_changes_nothing(world, room, client):
    booking = book(world, room, monday_in(2), frequency=Frequency.DAILY, count=2)
    occurrence = occurrences_of(world, booking.id)[0]
    log_in(client, "lead@pasvalys.example")
    for url in (f"{BOOKINGS}/week", f"{BOOKINGS}/week?room_id={room.id}&date={monday_in(2)}", f"{BOOKINGS}/day", f"{BOOKINGS}/", f"{BOOKINGS}/free?duration=60", f"{BOOKINGS}/{booking.id}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        page = text(response)
        assert ">Book<" not in page and ">Move<" not in page and ">Cancel<" not in page and "New booking" not in page, url
    page = f"{BOOKINGS}/{booking.id}/"
    for url in (NEW, f"{BOOKINGS}/{booking.id}/cancel", f"{BOOKINGS}/{booking.id}/edit", f"{BOOKINGS}/{booking.id}/approve", f"{BOOKINGS}/occurrences/{occurrence.id}/cancel",
                f"{BOOKINGS}/occurrences/{occurrence.id}/move", f"{BOOKINGS}/occurrences/{occurrence.id}/attendance", f"{BOOKINGS}/occurrences/{occurrence.id}/approve", f"{BOOKINGS}/occurrences/{occurrence.id}/reject"):
        assert post_form(client, url, {"reason": "x"}, page=page).status_code == 403, url
    assert {o.status for o in occurrences_of(world, booking.id)} == {Status.CONFIRMED}


def test_another_tenants_booking_is_not_found(world, make_room, client):
    theirs = make_room(world.pasvalys, "Their room")
    with tenant_scope(world.pasvalys):
        booking = services.create_booking(booking_input(theirs, world.other_staff, monday_in(2), time(10), time(11)), world.other_staff, confirm=True)
        db.session.commit()
        occurrence_id = booking.occurrences[0].id
    log_in(client, "staff@jelgava.example")
    assert client.get(f"{BOOKINGS}/{booking.id}/").status_code == 404
    assert client.get(f"{BOOKINGS}/occurrences/{occurrence_id}/move").status_code == 404


def test_the_menu_has_bookings(world, room, client):
    log_in(client, "staff@jelgava.example")
    assert '<a href="/t/jelgava/bookings/week"' in text(client.get("/t/jelgava/"))


def test_today_is_the_tenants(world, room, client):
    """A calendar without a date shows the tenant's today, whatever the server's time zone."""
    log_in(client, "staff@jelgava.example")
    page = text(client.get(f"{BOOKINGS}/day?room_id={room.id}"))
    today = utcnow().astimezone(ZoneInfo("Europe/Riga")).date()
    assert f"date={today + timedelta(days=1)}\">Next day" in page
