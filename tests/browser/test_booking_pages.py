"""The booking pages in the browser: no axe-core WCAG 2.2 A/AA violation in en, lv and lt (week of a room and of all
rooms, day, list, free-slot search, the form with errors and with a conflict, the booking's page), and a session
booked with the keyboard only, from the week view to the week view again."""
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
import re

import pytest

from bibnet.accounts.models import User
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.bookings import services
from bibnet.tenants.bookings.models import Activity, Booking
from bibnet.tenants.bookings.recurrence import Frequency
from bibnet.tenants.bookings.rules import BookingInput
from bibnet.tenants.rooms.models import Closure, OpeningHours, Room

from .conftest import LANGUAGES
from .test_keyboard import Keyboard
from conftest import monday_in

pytestmark = pytest.mark.browser

BOOKINGS = "/t/jelgava/bookings"


@dataclass
class Seeded:
    room_id: int
    booking_id: int  # a weekly club, confirmed
    request_id: int  # a request waiting for approval
    monday: object  # the Monday of the seeded week
    session_id: int  # the club's first session
    requested_session_id: int  # the request's session
    past_session_id: int  # a session of last week, whose attendance can be recorded


def seed_bookings(app, world) -> Seeded:
    """Jelgava's sensory room, open Monday to Saturday, with a weekly club, a request and a closure next week."""
    monday = monday_in(1)
    with app.app_context(), tenant_scope(world.jelgava_id):
        room = Room(library="Jelgavas pilsētas bibliotēka", name="Sensorā istaba", capacity=8, buffer_minutes=15, max_advance_days=366)
        room.opening_hours = [OpeningHours(weekday=day, opens=time(9), closes=time(18)) for day in range(6)]
        db.session.add(room)
        db.session.add(Closure(room=room, starts_on=monday + timedelta(days=4), ends_on=monday + timedelta(days=4), reason="Apkope"))
        db.session.commit()
        staff = db.session.get(User, world.staff_user_id)

        def request(title, start, end, **fields):
            return BookingInput(room_id=room.id, activity=Activity.CLUB, title=title, responsible_id=staff.id, first_date=monday, start_time=start, end_time=end, expected={"seniors": 4, "carers": 1}, **fields)

        club = services.create_booking(request("Pirmdienas klubs", time(10), time(11, 30), frequency=Frequency.WEEKLY, weekdays=frozenset({0, 2}), count=4), staff, confirm=True)
        waiting = services.create_booking(request("Dienas centra vizīte", time(14), time(15)), staff, confirm=False)
        last_week = monday - timedelta(weeks=2)
        held = services.create_booking(replace(request("Pagājušās nedēļas klubs", time(10), time(11)), first_date=last_week), staff, confirm=True, now=datetime.combine(last_week - timedelta(days=7), time(12)).astimezone())
        db.session.commit()
        seeded = Seeded(room.id, club.id, waiting.id, monday, club.occurrences[0].id, waiting.occurrences[0].id, held.occurrences[0].id)
        db.session.remove()
    return seeded


@pytest.mark.parametrize("language", LANGUAGES)
def test_booking_pages(site, world, browser_app, language):
    seeded = seed_bookings(browser_app, world)
    monday = seeded.monday
    site.log_in("coordinator@jelgava.example")
    site.goto(f"{BOOKINGS}/week", 200)
    site.switch_language(language)
    site.scan(language, "week of all rooms")
    site.goto(f"{BOOKINGS}/week?room_id={seeded.room_id}&date={monday}", 200)
    site.scan(language, "week of a room")
    site.goto(f"{BOOKINGS}/day?date={monday}", 200)
    site.scan(language, "day of all rooms")
    site.goto(f"{BOOKINGS}/day?room_id={seeded.room_id}&date={monday}", 200)
    site.scan(language, "day of a room")
    site.goto(f"{BOOKINGS}/", 200)
    site.scan(language, "list")
    site.goto(f"{BOOKINGS}/free?duration=60&from={monday}&days=7&part=any", 200)
    site.scan(language, "free-slot search")
    site.goto(f"{BOOKINGS}/free?duration=5&from=31.02.2027&days=7", 422)
    site.scan(language, "free-slot search with errors")
    site.goto(f"{BOOKINGS}/new", 200)
    site.scan(language, "booking form")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "booking form with errors")

    # A weekly series on Mondays that collides with the club: 409, the dates, and "book only the free dates".
    site.goto(f"{BOOKINGS}/new?room_id={seeded.room_id}&date={monday}&start=11:00&end=12:00", 200)
    site.page.locator("#title").fill("Otrdienas lasītāji")
    site.page.locator("#frequency-2").check()
    site.page.locator("#ends-1").check()
    site.page.locator("#count").fill("3")
    site.submit("main form[novalidate] button[type=submit]", 409)
    site.scan(language, "booking form with unavailable dates")

    site.goto(f"{BOOKINGS}/{seeded.booking_id}/", 200)
    site.scan(language, "booking page")
    site.goto(f"{BOOKINGS}/{seeded.request_id}/", 200)
    site.scan(language, "booking page of a request")
    for path, what in [
        (f"{seeded.booking_id}/edit", "details form"),
        (f"{seeded.booking_id}/cancel", "cancelling a series"),
        (f"{seeded.request_id}/reject", "rejecting a request"),
        (f"occurrences/{seeded.session_id}/move", "moving a session"),
        (f"occurrences/{seeded.session_id}/cancel", "cancelling a session"),
        (f"occurrences/{seeded.past_session_id}/attendance", "recording attendance"),
        (f"occurrences/{seeded.requested_session_id}/reject", "rejecting a requested session"),
    ]:
        site.goto(f"{BOOKINGS}/{path}", 200)
        site.scan(language, what)
    site.goto(f"{BOOKINGS}/occurrences/{seeded.session_id}/attendance", 409)
    site.scan(language, "attendance of a future session, refused")
    site.check()


def test_a_long_unbroken_note_wraps_instead_of_widening_the_page(site, world, browser_app):
    seeded = seed_bookings(browser_app, world)
    with browser_app.app_context(), tenant_scope(world.jelgava_id):
        booking = db.session.get(Booking, seeded.booking_id)
        booking.internal_note = "x" * 2000
        booking.title = "K" * 120
        db.session.commit()
        db.session.remove()
    site.log_in("coordinator@jelgava.example")
    site.goto(f"{BOOKINGS}/{seeded.booking_id}/", 200)
    site.expect_no_sideways_scrolling()
    site.scan("lv", "booking page with a long note")
    site.check()


def test_book_a_session_with_the_keyboard_only(page, base_url, world, browser_app):
    """Log in, open the week view, book a session by Tab, Enter and typing only, and find it in the week."""
    seeded = seed_bookings(browser_app, world)
    wednesday = seeded.monday + timedelta(days=2)
    page.set_default_timeout(10_000)
    keys = Keyboard(page, max_tabs=60)  # the week grid has a link per free slot
    keys.log_in("staff@jelgava.example", base_url)

    keys.tab_to(lambda focus: focus["href"].endswith("/t/jelgava/"), "The Jelgava link")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/t/jelgava/")
    keys.tab_to(lambda focus: focus["inNav"] and focus["href"].endswith("/t/jelgava/bookings/week"), "The Bookings link of the library menu")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/t/jelgava/bookings/week$"))

    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["href"].endswith(f"/bookings/week?date={seeded.monday}"), "The Next week link")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/bookings/week\?date={seeded.monday}$"))

    keys.skip_to_main()
    keys.tab_to(lambda focus: f"room_id={seeded.room_id}&date={wednesday}" in focus["href"] and "/bookings/new" in focus["href"], "The Book link of Wednesday")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/bookings/new\?.*"))

    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["id"] == "title", "The title field")
    page.keyboard.type("Tastes and sounds")
    keys.tab_to(lambda focus: focus["id"] == "start_time", "The start time")
    page.keyboard.type("15:00")
    assert keys.press("Tab")["id"] == "end_time"
    page.keyboard.type("16:00")
    page.keyboard.press("Enter")  # sends the form, as Enter in a text field does
    page.wait_for_url(re.compile(r".*/bookings/\d+/$"))
    assert "Tastes and sounds" in page.locator("main h1").inner_text()
    assert page.locator("main [role=status]").inner_text().strip() != ""

    keys.skip_to_main()
    keys.tab_to(lambda focus: f"/bookings/week?room_id={seeded.room_id}" in focus["href"], "The week of the room")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/bookings/week\?room_id=.*"))
    week = page.locator("main table").inner_text()
    assert "Tastes and sounds" in week and "15:00–16:00" in week
    keys.check()


MOST_KEYS_TO_BOOK_A_FREE_BLOCK = 12


def test_book_a_free_block_from_the_week_grid_in_a_handful_of_key_presses(page, base_url, world, browser_app):
    """From the week of a room to the booking form of Friday 14:00 by keyboard only: 72 Tabs before, now a handful.

    The day links jump to Friday's free blocks; its second block is "Book Friday 14:00–18:00"."""
    seeded = seed_bookings(browser_app, world)
    monday = seeded.monday + timedelta(weeks=1)  # the seeded week's Friday is closed
    friday = monday + timedelta(days=4)
    with browser_app.app_context(), tenant_scope(world.jelgava_id):
        staff = db.session.get(User, world.staff_user_id)
        club = BookingInput(room_id=seeded.room_id, activity=Activity.CLUB, title="Piektdienas klubs", responsible_id=staff.id, first_date=friday, start_time=time(10, 45), end_time=time(13, 45), expected={"seniors": 4})
        services.create_booking(club, staff, confirm=True)
        db.session.commit()
        db.session.remove()
    page.set_default_timeout(10_000)
    keys = Keyboard(page)
    keys.log_in("staff@jelgava.example", base_url)
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{BOOKINGS}/week?room_id={seeded.room_id}&date={monday}")

    pressed = 0

    def press(key: str) -> dict:
        nonlocal pressed
        pressed += 1
        return keys.press(key) if key == "Tab" else page.keyboard.press(key)

    assert press("Tab")["href"] == "#main"
    press("Enter")
    focus = press("Tab")
    while focus["href"] != f"#free-{friday}":
        assert pressed < MOST_KEYS_TO_BOOK_A_FREE_BLOCK, " → ".join(keys.visited)
        focus = press("Tab")
    press("Enter")
    focus = press("Tab")
    while f"date={friday}&start=14:00" not in focus["href"]:  # the page may be in any language: find it by its address
        assert pressed < MOST_KEYS_TO_BOOK_A_FREE_BLOCK, " → ".join(keys.visited)
        focus = press("Tab")
    assert "14:00–18:00" in focus["name"]
    press("Enter")
    page.wait_for_url(re.compile(rf".*/bookings/new\?room_id={seeded.room_id}&date={friday}&start=14:00&end=15:00$"))
    assert pressed <= MOST_KEYS_TO_BOOK_A_FREE_BLOCK, " → ".join(keys.visited)

    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["id"] == "title", "The title field")
    page.keyboard.type("Skaņu pēcpusdiena")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/bookings/\d+/$"))
    assert "Skaņu pēcpusdiena" in page.locator("main h1").inner_text()
    keys.check()
