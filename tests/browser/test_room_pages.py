"""The room pages in every language and state (filled, with errors) have no axe-core WCAG 2.2 A/AA violation, and
a coordinator adds a closure with the keyboard alone."""
from datetime import date, time, timedelta

import pytest

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.rooms.models import Closure, OpeningHours, Room

from .conftest import LANGUAGES
from .test_keyboard import Keyboard

pytestmark = pytest.mark.browser

ROOMS = "/t/jelgava/rooms"


def seed_room(app, world) -> int:
    """Jelgava's sensory room with its week, features and a closure ahead."""
    with app.app_context(), tenant_scope(world.jelgava_id):
        room = Room(
            library="Jelgava central library",
            name="Sensory room",
            capacity=8,
            description="A calm room on the ground floor.\nThe key is at the front desk.",
            features=["bubble_tube", "fibre_optics", "step_free_access", "hearing_loop"],
            needs_approval=True,
        )
        room.opening_hours = [OpeningHours(weekday=day, opens=time(9), closes=time(13)) for day in range(5)]
        room.opening_hours += [OpeningHours(weekday=day, opens=time(14), closes=time(18)) for day in range(5)]
        db.session.add(room)
        db.session.flush()
        db.session.add(Closure(room_id=None, starts_on=date.today() + timedelta(days=20), ends_on=date.today() + timedelta(days=22), reason="Public holiday"))
        db.session.commit()
        room_id = room.id
        db.session.remove()
    return room_id


@pytest.mark.parametrize("language", LANGUAGES)
def test_room_pages(site, world, browser_app, language):
    room_id = seed_room(browser_app, world)
    site.log_in("coordinator@jelgava.example")
    site.goto(f"{ROOMS}/", 200)
    site.switch_language(language)
    site.scan(language)
    site.goto(f"{ROOMS}/{room_id}/", 200)
    site.scan(language, "/rooms/<id>/")
    site.expect_no_sideways_scrolling()

    site.goto(f"{ROOMS}/new", 200)
    site.scan(language)
    site.page.locator("#capacity").fill("0")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/rooms/new with errors")
    site.goto(f"{ROOMS}/{room_id}/edit", 200)
    site.scan(language, "/rooms/<id>/edit")

    site.goto(f"{ROOMS}/{room_id}/hours", 200)
    site.scan(language, "/rooms/<id>/hours")
    site.page.locator("#day0_opens0").fill("18:00")
    site.page.locator("#day1_closes1").fill("")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/rooms/<id>/hours with errors")

    site.goto(f"{ROOMS}/{room_id}/photo", 200)
    site.scan(language, "/rooms/<id>/photo")
    site.goto(f"{ROOMS}/closures/", 200)
    site.scan(language)
    site.page.locator("#starts_on").fill("31.02.2026")
    site.submit("form[action$='/closures/'] button[type=submit]", 422)
    site.scan(language, "/rooms/closures/ with errors")
    site.check()


def test_staff_read_the_room_pages_and_they_reflow_at_320_css_pixels(site, world, browser_app):
    room_id = seed_room(browser_app, world)
    site.log_in("staff@jelgava.example")
    site.page.set_viewport_size({"width": 320, "height": 640})
    for path in (f"{ROOMS}/", f"{ROOMS}/{room_id}/", f"{ROOMS}/closures/"):
        site.goto(path, 200)
        site.expect_no_sideways_scrolling()
        site.scan("lv", f"{path} (staff, 320 px)")
    site.check()


def test_a_coordinator_adds_a_closure_with_the_keyboard_only(site, world, browser_app):
    room_id = seed_room(browser_app, world)
    site.log_in("coordinator@jelgava.example")
    site.goto(f"{ROOMS}/closures/", 200)
    keys = Keyboard(site.page)
    keys.tab_to(lambda focus: focus["id"] == "room", "the room choice")
    site.page.keyboard.press("ArrowDown")  # from "every room" to the sensory room
    keys.tab_to(lambda focus: focus["id"] == "starts_on", "the first day")
    # Native date inputs take digits in the order of the browser's own locale: days that read the same either way.
    site.page.keyboard.type("05052031")
    keys.tab_to(lambda focus: focus["id"] == "ends_on", "the last day")
    site.page.keyboard.type("06062031")
    keys.tab_to(lambda focus: focus["id"] == "reason", "the reason")
    site.page.keyboard.type("New carpet")
    keys.tab_to(lambda focus: focus["name"].startswith("button"), "the button that adds the closure")
    with site.page.expect_navigation() as navigation:
        site.page.keyboard.press("Enter")
    assert navigation.value.status == 200  # after the redirect
    keys.check()
    with browser_app.app_context(), tenant_scope(world.jelgava_id):
        added = db.session.query(Closure).filter_by(reason="New carpet").one()
        assert (added.room_id, added.starts_on, added.ends_on) == (room_id, date(2031, 5, 5), date(2031, 6, 6))
        db.session.remove()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_confirmation_of_a_closure_over_booked_sessions(site, world, browser_app, language):
    """The closure form over a booked session leads to the list of affected sessions (409), and a confirmation
    without a message to the organisers to the same list with the error (422)."""
    from bibnet.accounts.models import User
    from bibnet.tenants.bookings import services
    from bibnet.tenants.bookings.models import Activity
    from bibnet.tenants.bookings.rules import BookingInput

    from conftest import monday_in

    room_id = seed_room(browser_app, world)
    tuesday = monday_in(1) + timedelta(days=1)
    with browser_app.app_context(), tenant_scope(world.jelgava_id):
        staff = db.session.get(User, world.staff_user_id)
        club = BookingInput(room_id=room_id, activity=Activity.CLUB, title="Otrdienas klubs", responsible_id=staff.id, first_date=tuesday, start_time=time(10), end_time=time(11), organiser_contact="klubs@example.lv")
        services.create_booking(club, staff, confirm=True)
        db.session.commit()
        db.session.remove()
    site.log_in("coordinator@jelgava.example")
    site.goto(f"{ROOMS}/closures/", 200)
    site.switch_language(language)
    site.page.locator("#starts_on").fill(tuesday.isoformat())
    site.page.locator("#ends_on").fill(tuesday.isoformat())
    site.page.locator("#reason").fill("Remonts")
    site.submit("form[action$='/closures/'] button[type=submit]", 409)
    site.scan(language, "closure over a booked session")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "closure over a booked session, confirmed without a message")
    site.page.locator("#cancellation_message").fill("Telpā būs remonts; piedāvājam trešdienu.")
    site.submit("main form button[type=submit]", 200)
    assert "Remonts" in site.page.locator("main").inner_text()
    site.check()
