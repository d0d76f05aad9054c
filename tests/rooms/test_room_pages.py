"""The room pages: coordinators set up rooms, their hours, photo, calendar link and closures; everyone else reads.

Bad input gets 422 with a message next to the field, and nothing is written.
"""
from datetime import date, time, timedelta
import io
import struct
import zlib

import pytest
import sqlalchemy as sa

from bibnet.audit.models import AuditEntry
from bibnet.extensions import db
from bibnet.storage.models import StoredFile
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.rooms.models import Closure, OpeningHours, Room
from bibnet.web.fields import AmbiguousDate, parse_local_date

from conftest import csrf_token, log_in, post_form

ROOMS = "/t/jelgava/rooms"


def tiny_png() -> bytes:
    """A real 1×1 PNG: signature, IHDR, IDAT and IEND chunks with their CRCs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8 bits, RGB
    pixels = zlib.compress(b"\x00\x80\xc0\xff")  # filter byte + one pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def room_fields(**changes) -> dict:
    fields = {
        "library": "Jelgava central library",
        "name": "Sensory room",
        "capacity": "8",
        "description": "A calm room on the ground floor.\nThe key is at the desk.",
        "features": ["bubble_tube", "step_free_access"],
        "buffer_minutes": "15",
        "min_notice_hours": "24",
        "max_advance_days": "60",
        "max_duration_minutes": "120",
        "needs_approval": "y",
        "active": "y",
    }
    fields.update(changes)
    return {name: value for name, value in fields.items() if value is not None}


def rooms_of(tenant) -> list[Room]:
    with tenant_scope(tenant):
        return db.session.scalars(sa.select(Room).order_by(Room.id)).all()


def week_of(tenant, room_id) -> list[tuple]:
    with tenant_scope(tenant):
        return [
            (hours.weekday, hours.opens, hours.closes)
            for hours in db.session.scalars(sa.select(OpeningHours).where(OpeningHours.room_id == room_id).order_by(OpeningHours.weekday, OpeningHours.opens))
        ]


def closures_of(tenant) -> list[Closure]:
    with tenant_scope(tenant):
        return db.session.scalars(sa.select(Closure).order_by(Closure.id)).all()


@pytest.fixture
def coordinator(world, client):
    log_in(client, "coordinator@jelgava.example")
    return client



class TestAddingAndChangingARoom:
    def test_a_coordinator_adds_a_room_that_opens_on_weekdays_until_its_hours_are_set(self, world, coordinator):
        response = post_form(coordinator, f"{ROOMS}/new", room_fields())
        assert response.status_code == 302
        (room,) = rooms_of(world.jelgava)
        assert response.headers["Location"] == f"{ROOMS}/{room.id}/"
        assert (room.name, room.capacity, room.min_notice_hours, room.needs_approval, room.active) == ("Sensory room", 8, 24, True, True)
        assert sorted(room.features) == ["bubble_tube", "step_free_access"]
        assert week_of(world.jelgava, room.id) == [(day, time(9), time(17)) for day in range(5)]

        listing = coordinator.get(f"{ROOMS}/").get_data(as_text=True)
        assert "Sensory room" in listing and "Bubble tube, Step-free access" in listing

    def test_the_room_page_shows_rules_hours_in_the_users_language_and_the_calendar_link(self, world, coordinator, room):
        db.session.get(type(world.coordinator), world.coordinator.id).locale = "lv"
        db.session.commit()
        page = coordinator.get(f"{ROOMS}/{room.id}/").get_data(as_text=True)
        assert "pirmdiena" in page and "svētdiena" in page  # Monday and Sunday in Latvian
        assert "09:00–18:00" in page and "10:00–14:00" in page
        assert f"http://localhost/calendar/{room.calendar_token}.ics" in page

    def test_a_coordinator_changes_the_rules_and_clears_the_features(self, world, coordinator, room):
        response = post_form(coordinator, f"{ROOMS}/{room.id}/edit", room_fields(name="Quiet room", features=None, needs_approval=None, buffer_minutes="30"))
        assert response.status_code == 302
        (changed,) = rooms_of(world.jelgava)
        assert (changed.name, changed.features, changed.needs_approval, changed.buffer_minutes) == ("Quiet room", [], False, 30)

    def test_the_form_shows_the_room_as_it_is(self, coordinator, room):
        page = coordinator.get(f"{ROOMS}/{room.id}/edit").get_data(as_text=True)
        assert 'value="Sensory room"' in page and 'value="15"' in page
        assert "<legend" in page and "Sensory and accessibility features" in page

    def test_a_name_used_by_another_room_of_the_library_is_refused_with_a_message(self, world, coordinator, room, make_room):
        make_room(world.pasvalys, name="Quiet room")  # another tenant may use any name
        other = make_room(world.jelgava, name="Quiet room")
        response = post_form(coordinator, f"{ROOMS}/{room.id}/edit", room_fields(name="Quiet room"))
        assert response.status_code == 422
        assert "Your library already has a room with this name." in response.get_data(as_text=True)
        assert [r.name for r in rooms_of(world.jelgava)] == ["Sensory room", "Quiet room"]
        assert post_form(coordinator, f"{ROOMS}/{other.id}/edit", room_fields(name="Quiet room")).status_code == 302  # its own name

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("capacity", "0", "Enter a whole number from 1 to 500."),
            ("capacity", "many", "Enter a whole number from 1 to 500."),
            ("buffer_minutes", "241", "Enter a whole number from 0 to 240."),
            ("min_notice_hours", "-1", "Enter a whole number from 0 to 720."),
            ("max_advance_days", "0", "Enter a whole number from 1 to 366."),
            ("max_duration_minutes", "10", "Enter a whole number from 15 to 720."),
            ("name", "  ", "Enter the room"),
            ("library", "x" * 201, "Use at most 200 characters."),
        ],
    )
    def test_settings_outside_the_databases_limits_are_refused_and_nothing_is_written(self, world, coordinator, field, value, message):
        response = post_form(coordinator, f"{ROOMS}/new", room_fields(**{field: value}))
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "There is a problem" in page and message in page and f'href="#{field}"' in page
        assert rooms_of(world.jelgava) == []


class TestOpeningHours:
    def test_two_intervals_a_day_and_closed_days_left_empty(self, world, coordinator, room):
        fields = {"day0_opens0": "9:00", "day0_closes0": "12:00", "day0_opens1": "13.00", "day0_closes1": "18:00", "day5_opens0": "10:00", "day5_closes0": "14:00"}
        response = post_form(coordinator, f"{ROOMS}/{room.id}/hours", fields)
        assert response.status_code == 302
        assert week_of(world.jelgava, room.id) == [(0, time(9), time(12)), (0, time(13), time(18)), (5, time(10), time(14))]
        page = coordinator.get(f"{ROOMS}/{room.id}/").get_data(as_text=True)
        assert "09:00–12:00, 13:00–18:00" in page and page.count(">closed<") == 5

    def test_the_form_shows_the_current_week(self, coordinator, room):
        page = coordinator.get(f"{ROOMS}/{room.id}/hours").get_data(as_text=True)
        assert 'id="day0_opens0"' in page and 'value="09:00"' in page and 'value="18:00"' in page
        assert 'aria-describedby="hours-hint"' in page and "<legend" in page

    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            ({"day0_opens0": "12:00", "day0_closes0": "09:00"}, "day0_closes0", "The closing time must be later than the opening time."),
            ({"day1_opens0": "09:00", "day1_closes0": "13:00", "day1_opens1": "12:00", "day1_closes1": "17:00"}, "day1_closes1", "The two intervals of this day overlap."),
            ({"day2_opens0": "09:00"}, "day2_closes0", "Enter both the opening and the closing time, or leave both empty."),
            ({"day3_opens0": "25:00", "day3_closes0": "26:00"}, "day3_opens0", "Enter a time like 14:30."),
        ],
    )
    def test_impossible_hours_are_refused_and_the_week_stays_as_it_was(self, world, coordinator, room, fields, field, message):
        before = week_of(world.jelgava, room.id)
        response = post_form(coordinator, f"{ROOMS}/{room.id}/hours", fields)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page and f'href="#{field}"' in page and f'id="{field}-error"' in page
        assert week_of(world.jelgava, room.id) == before


class TestPhotoAndCalendarLink:
    def test_a_coordinator_uploads_a_photo_that_the_room_page_shows_with_alt_text(self, world, coordinator, room):
        page = f"{ROOMS}/{room.id}/photo"
        assert 'enctype="multipart/form-data"' in coordinator.get(page).get_data(as_text=True)
        token = csrf_token(coordinator.get(page).get_data(as_text=True))
        response = coordinator.post(page, data={"csrf_token": token, "photo": (io.BytesIO(tiny_png()), "room.png")}, content_type="multipart/form-data")
        assert response.status_code == 302
        (changed,) = rooms_of(world.jelgava)
        assert changed.photo_id is not None
        shown = coordinator.get(f"{ROOMS}/{room.id}/").get_data(as_text=True)
        assert f'src="/t/jelgava/files/{changed.photo_id}"' in shown and 'alt="Photo of the room Sensory room in Jelgava Municipality central library"' in shown
        image = coordinator.get(f"/t/jelgava/files/{changed.photo_id}")
        assert image.status_code == 200 and image.mimetype == "image/png" and image.data == tiny_png()

    def test_a_new_photo_replaces_the_old_one(self, world, coordinator, room):
        for _ in range(2):
            token = csrf_token(coordinator.get(f"{ROOMS}/{room.id}/photo").get_data(as_text=True))
            assert coordinator.post(f"{ROOMS}/{room.id}/photo", data={"csrf_token": token, "photo": (io.BytesIO(tiny_png()), "room.png")}, content_type="multipart/form-data").status_code == 302
        with tenant_scope(world.jelgava):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 1

    @pytest.mark.parametrize(("data", "message"), [(b"%PDF-1.4 a document", "Upload one of these: JPEG, PNG, WebP."), (b"", "The file is empty.")])
    def test_a_file_that_is_no_image_is_refused(self, world, coordinator, room, data, message):
        token = csrf_token(coordinator.get(f"{ROOMS}/{room.id}/photo").get_data(as_text=True))
        response = coordinator.post(f"{ROOMS}/{room.id}/photo", data={"csrf_token": token, "photo": (io.BytesIO(data), "room.pdf")}, content_type="multipart/form-data")
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
        assert rooms_of(world.jelgava)[0].photo_id is None
        with tenant_scope(world.jelgava):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0

    def test_regenerating_the_calendar_link_ends_the_old_one(self, world, coordinator, room):
        old = room.calendar_token
        response = post_form(coordinator, f"{ROOMS}/{room.id}/calendar-link", {}, page=f"{ROOMS}/{room.id}/")
        assert response.status_code == 302
        (changed,) = rooms_of(world.jelgava)
        assert changed.calendar_token != old
        page = coordinator.get(f"{ROOMS}/{room.id}/").get_data(as_text=True)
        assert changed.calendar_token in page and old not in page
        assert coordinator.get(f"/calendar/{old}.ics").status_code == 404
        assert coordinator.get(f"/calendar/{changed.calendar_token}.ics").status_code == 200


class TestClosures:
    def test_a_closure_of_the_whole_library_and_one_of_a_room(self, world, coordinator, room):
        christmas = date.today().replace(month=12, day=24) if date.today() <= date.today().replace(month=12, day=24) else date(date.today().year + 1, 12, 24)
        fields = {"room": "", "starts_on": christmas.isoformat(), "ends_on": (christmas + timedelta(days=2)).isoformat(), "reason": "Christmas"}
        assert post_form(coordinator, f"{ROOMS}/closures/", fields).status_code == 302
        in_a_week = date.today() + timedelta(days=7)
        fields = {"room": str(room.id), "starts_on": in_a_week.isoformat(), "ends_on": in_a_week.isoformat(), "reason": "New carpet"}
        assert post_form(coordinator, f"{ROOMS}/closures/", fields).status_code == 302
        assert [(c.room_id, c.starts_on, c.ends_on, c.reason) for c in closures_of(world.jelgava)] == [
            (None, christmas, christmas + timedelta(days=2), "Christmas"),
            (room.id, in_a_week, in_a_week, "New carpet"),
        ]
        page = coordinator.get(f"{ROOMS}/{room.id}/").get_data(as_text=True)
        assert "Christmas" in page and "New carpet" in page and "every room of the library" in page

    @pytest.mark.parametrize(
        ("starts_on", "ends_on", "field", "message"),
        [
            ("31.02.2026", "2026-03-01", "starts_on", "Enter a real date, for example"),
            ("2026-03-05", "2026-03-01", "ends_on", "The last day must be on or after the first day."),
            ("", "2026-03-01", "starts_on", "Enter the first day of the closure."),
            ("13/13/26", "2026-03-01", "starts_on", "Enter a real date, for example"),
            ("0001-01-01", "2026-03-01", "starts_on", "Enter a date from "),  # the limit in the user's format
            ("2026-03-01", "9999-12-31", "ends_on", "Enter a date from "),
        ],
    )
    def test_malformed_or_reversed_dates_are_refused_and_nothing_is_written(self, world, coordinator, room, starts_on, ends_on, field, message):
        response = post_form(coordinator, f"{ROOMS}/closures/", {"room": "", "starts_on": starts_on, "ends_on": ends_on, "reason": "Holiday"})
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page and f'href="#{field}"' in page
        assert 'aria-describedby="starts_on-hint' in page and f"For example {date.today().year}-03-31 or 31.03.{date.today().year}." in page
        assert closures_of(world.jelgava) == []

    def test_deleting_a_closure_removes_it_and_the_audit_log_records_it(self, world, coordinator, room):
        with tenant_scope(world.jelgava):
            closure = Closure(room_id=room.id, starts_on=date.today(), ends_on=date.today(), reason="Burst pipe")
            db.session.add(closure)
            db.session.commit()
            closure_id = closure.id
        response = post_form(coordinator, f"{ROOMS}/closures/{closure_id}/delete", {}, page=f"{ROOMS}/closures/")
        assert response.status_code == 302
        assert closures_of(world.jelgava) == []
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.object_type == "Closure", AuditEntry.action == "delete"))
        assert entry is not None and entry.object_id == closure_id and entry.actor_id == world.coordinator.id


class TestTypedDates:
    @pytest.mark.parametrize(
        ("text", "locale", "expected"),
        [
            ("2026-03-17", "lv", date(2026, 3, 17)),
            ("17.03.2026", "lv", date(2026, 3, 17)),
            ("17.03.26.", "lv", date(2026, 3, 17)),
            ("2026-03-17", "lt", date(2026, 3, 17)),
            ("17/03/26", "en", date(2026, 3, 17)),  # day-month-year, as in Ireland: this is an EU platform
            ("17/3/2026", "en", date(2026, 3, 17)),
            ("05/05/2026", "en", date(2026, 5, 5)),  # the same either way
            ("17.03.2026", "en", date(2026, 3, 17)),
        ],
    )
    def test_iso_and_the_users_short_format_are_understood(self, app_context, text, locale, expected):
        assert parse_local_date(text, locale) == expected

    @pytest.mark.parametrize(("text", "locale"), [("3/17/26", "en"), ("3/31/2026", "en"), ("3.17.2026", "lv"), ("17.03.202", "lv"), ("tomorrow", "en"), ("2026-02-30", "lt")])
    def test_a_day_and_month_swapped_or_impossible_date_is_refused(self, app_context, text, locale):
        with pytest.raises(ValueError):
            parse_local_date(text, locale)


    @pytest.mark.parametrize("locale", ["en", "lv"])  # Lithuanian's order is year first: refused as no date at all
    def test_a_slash_date_that_reads_as_two_days_is_refused_not_guessed(self, app_context, locale):
        with pytest.raises(AmbiguousDate) as refused:
            parse_local_date("01/02/2027", locale)
        assert refused.value.readings == (date(2027, 2, 1), date(2027, 1, 2))

    def test_the_form_names_both_readings_and_asks_for_iso(self, world, coordinator, room):
        response = post_form(coordinator, f"{ROOMS}/closures/", {"room": "", "starts_on": "01/02/2027", "ends_on": "2027-02-01", "reason": "Holiday"})
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and "01/02/2027 could be 1 February 2027 or 2 January 2027." in page
        assert closures_of(world.jelgava) == []

    def test_english_pages_show_dates_day_first(self, world, coordinator, room):
        with tenant_scope(world.jelgava):
            db.session.add(Closure(room_id=None, starts_on=date(2027, 2, 1), ends_on=date(2027, 2, 3), reason="Inventory"))
            db.session.commit()
        page = coordinator.get(f"{ROOMS}/closures/").get_data(as_text=True)
        assert "1 Feb 2027" in page and "Feb 1, 2027" not in page


class TestWhoMayDoWhat:
    def test_staff_see_the_rooms_and_closures_but_change_nothing(self, world, client, room):
        log_in(client, "staff@jelgava.example")
        for url in (f"{ROOMS}/", f"{ROOMS}/{room.id}/", f"{ROOMS}/closures/"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Add a room" not in response.get_data(as_text=True) and "Regenerate" not in response.get_data(as_text=True)
        assert 'name="reason"' not in client.get(f"{ROOMS}/closures/").get_data(as_text=True)
        token = csrf_token(client.get(f"{ROOMS}/").get_data(as_text=True))
        for url in (f"{ROOMS}/new", f"{ROOMS}/{room.id}/edit", f"{ROOMS}/{room.id}/hours", f"{ROOMS}/{room.id}/photo"):
            assert client.get(url).status_code == 403, url
            assert client.post(url, data={"csrf_token": token, **room_fields(name="Taken over")}).status_code == 403, url
        assert client.post(f"{ROOMS}/{room.id}/calendar-link", data={"csrf_token": token}).status_code == 403
        assert client.post(f"{ROOMS}/closures/", data={"csrf_token": token, "starts_on": "2026-01-01", "ends_on": "2026-01-01", "reason": "x"}).status_code == 403
        assert [(r.name, r.calendar_token) for r in rooms_of(world.jelgava)] == [("Sensory room", room.calendar_token)]
        assert closures_of(world.jelgava) == []

    def test_the_rooms_of_another_library_are_not_found(self, world, coordinator, make_room):
        theirs = make_room(world.pasvalys)
        assert coordinator.get(f"{ROOMS}/{theirs.id}/").status_code == 404
        assert post_form(coordinator, f"{ROOMS}/{theirs.id}/edit", room_fields(), page=f"{ROOMS}/new").status_code == 404

    def test_the_rooms_list_runs_the_same_statements_for_1_or_15_rooms(self, world, coordinator, make_room, count_queries):
        make_room(world.jelgava, name="Room 00")
        coordinator.get(f"{ROOMS}/")
        with count_queries() as few:
            assert coordinator.get(f"{ROOMS}/").status_code == 200
        for number in range(1, 15):
            make_room(world.jelgava, name=f"Room {number:02d}")
        with count_queries() as many:
            assert coordinator.get(f"{ROOMS}/").status_code == 200
        assert many.n == few.n <= 8, many.statements
