"""The rooms API: members read rooms and closures; coordinators create and change them, with the pages' validation."""
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.rooms.models import Closure, Room
from bibnet.web.fields import date_bounds

API = "/api/v1/tenants/jelgava"


def bearer(user) -> dict:
    secret = issue_api_token(user, "rooms")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def rooms_of(tenant) -> list[Room]:
    with tenant_scope(tenant):
        return db.session.scalars(sa.select(Room).options(selectinload(Room.opening_hours)).order_by(Room.id)).all()


NEW_ROOM = {"library": "Jelgava central library", "name": "Sensory room", "capacity": 8, "features": ["bubble_tube", "hearing_loop"]}


@pytest.fixture
def coordinator(world):
    return bearer(world.coordinator)


@pytest.fixture
def staff(world):
    return bearer(world.staff)



class TestReadingRooms:
    def test_a_room_comes_with_its_rules_week_features_and_calendar_url(self, room, staff, client):
        body = client.get(f"{API}/rooms/{room.id}", headers=staff).json
        assert body["name"] == "Sensory room" and body["capacity"] == 8 and body["buffer_minutes"] == 15
        assert {"min_notice_hours", "max_advance_days", "max_duration_minutes", "needs_approval", "features", "active"} <= set(body)
        assert body["opening_hours"][0] == {"weekday": 0, "opens": "09:00", "closes": "18:00"}
        assert body["opening_hours"][-1] == {"weekday": 5, "opens": "10:00", "closes": "14:00"}
        assert body["calendar_url"] == f"http://localhost/calendar/{room.calendar_token}.ics"
        assert body["photo_url"] is None

    def test_rooms_are_paginated_like_every_list(self, world, make_room, staff, client):
        for number in range(3):
            make_room(world.jelgava, name=f"Room {number}")
        body = client.get(f"{API}/rooms?per_page=2&page=2", headers=staff).json
        assert (body["page"], body["per_page"], body["total"], body["pages"]) == (2, 2, 3, 2)
        assert [item["name"] for item in body["items"]] == ["Room 2"]

    def test_another_tenants_room_is_not_found(self, world, make_room, staff, client):
        theirs = make_room(world.pasvalys)
        assert client.get(f"{API}/rooms/{theirs.id}", headers=staff).status_code == 404
        assert client.get(f"/api/v1/tenants/pasvalys/rooms/{theirs.id}", headers=staff).status_code == 404

    def test_the_endpoints_are_in_the_openapi_document(self, client):
        paths = client.get("/api/v1/openapi.json").json["paths"]
        rooms = "/api/v1/tenants/{tenant_slug}/rooms"
        assert {"get", "post"} <= set(paths[rooms]) and {"get", "patch"} <= set(paths[rooms + "/{room_id}"])
        assert {"get", "post"} <= set(paths[rooms + "/closures"]) and "delete" in paths[rooms + "/closures/{closure_id}"]


class TestCreatingAndChangingRooms:
    def test_a_coordinator_creates_a_room_with_default_rules_and_weekday_hours(self, world, coordinator, client):
        response = client.post(f"{API}/rooms", json=NEW_ROOM, headers=coordinator)
        assert response.status_code == 201, response.json
        body = response.json
        assert (body["buffer_minutes"], body["max_advance_days"], body["needs_approval"], body["active"]) == (15, 90, False, True)
        assert [(item["weekday"], item["opens"], item["closes"]) for item in body["opening_hours"]] == [(day, "09:00", "17:00") for day in range(5)]
        assert [room.name for room in rooms_of(world.jelgava)] == ["Sensory room"]

    def test_a_patch_changes_only_what_it_sends_and_a_week_replaces_the_hours(self, world, room, coordinator, client):
        week = [{"weekday": 2, "opens": "10:00", "closes": "12:00"}, {"weekday": 2, "opens": "12:30", "closes": "16:00"}]
        response = client.patch(f"{API}/rooms/{room.id}", json={"needs_approval": True, "opening_hours": week}, headers=coordinator)
        assert response.status_code == 200, response.json
        assert response.json["needs_approval"] is True and response.json["opening_hours"] == week
        (changed,) = rooms_of(world.jelgava)
        assert (changed.name, changed.capacity, changed.needs_approval, len(changed.opening_hours)) == ("Sensory room", 8, True, 2)

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"capacity": 0}, "capacity", "Enter a whole number from 1 to 500."),
            ({"buffer_minutes": 241}, "buffer_minutes", "Enter a whole number from 0 to 240."),
            ({"max_duration_minutes": 10}, "max_duration_minutes", "Enter a whole number from 15 to 720."),
            ({"name": "   "}, "name", "Enter the room's name."),
            ({"features": ["jacuzzi"]}, "features", "This is not a known room feature."),
            ({"opening_hours": [{"weekday": 0, "opens": "12:00", "closes": "09:00"}]}, "opening_hours", "The closing time must be later than the opening time."),
            ({"opening_hours": [{"weekday": 0, "opens": "09:00", "closes": "13:00"}, {"weekday": 0, "opens": "12:00", "closes": "17:00"}]}, "opening_hours", "The two intervals of this day overlap."),
        ],
    )
    def test_invalid_settings_get_422_with_the_pages_messages_and_nothing_is_written(self, world, room, coordinator, client, changes, field, message):
        for response in (
            client.patch(f"{API}/rooms/{room.id}", json=changes, headers=coordinator),
            client.post(f"{API}/rooms", json={**NEW_ROOM, "name": "Another room", **changes}, headers=coordinator),
        ):
            assert response.status_code == 422
            assert response.mimetype == "application/problem+json"
            errors = response.json["errors"]["json"]
            assert set(errors) == {field} and message in str(errors[field])
        (unchanged,) = rooms_of(world.jelgava)
        assert (unchanged.capacity, unchanged.buffer_minutes, len(unchanged.opening_hours)) == (8, 15, 6)

    @pytest.mark.parametrize(
        "interval,messages",
        [
            ({"weekday": 0, "opens": "", "closes": ""}, {"opens": ["Enter a time like 14:30."], "closes": ["Enter a time like 14:30."]}),
            ({"weekday": 0, "opens": "09:00"}, {"closes": ["This field is required."]}),
        ],
    )
    def test_an_interval_that_cannot_be_read_is_a_field_error_even_in_a_patch(self, world, room, coordinator, client, interval, messages):
        response = client.patch(f"{API}/rooms/{room.id}", json={"opening_hours": [interval]}, headers=coordinator)
        assert response.status_code == 422, response.get_data(as_text=True)[:300]
        assert response.json["errors"]["json"] == {"opening_hours": {"0": messages}}
        (unchanged,) = rooms_of(world.jelgava)
        assert len(unchanged.opening_hours) == 6

    def test_a_name_the_library_already_uses_gets_422(self, world, room, make_room, coordinator, client):
        response = client.post(f"{API}/rooms", json=NEW_ROOM, headers=coordinator)
        assert response.status_code == 422
        assert response.json["errors"]["json"]["name"] == ["Your library already has a room with this name. Choose another name."]
        other = make_room(world.jelgava, name="Quiet room")
        assert client.patch(f"{API}/rooms/{other.id}", json={"name": "Sensory room"}, headers=coordinator).status_code == 422
        assert client.patch(f"{API}/rooms/{other.id}", json={"name": "Quiet room"}, headers=coordinator).status_code == 200

    def test_messages_come_in_the_callers_language(self, world, room, coordinator, client):
        world.coordinator.locale = None
        db.session.commit()
        response = client.patch(f"{API}/rooms/{room.id}", json={"capacity": "eight"}, headers={**coordinator, "Accept-Language": "lv"})
        assert response.status_code == 422 and response.json["errors"]["json"]["capacity"] != ["Not a valid integer."]

    def test_staff_may_read_but_not_create_or_change(self, world, room, staff, client):
        assert client.post(f"{API}/rooms", json=NEW_ROOM | {"name": "Mine"}, headers=staff).status_code == 403
        assert client.patch(f"{API}/rooms/{room.id}", json={"capacity": 2}, headers=staff).status_code == 403
        assert [(r.name, r.capacity) for r in rooms_of(world.jelgava)] == [("Sensory room", 8)]


class TestClosures:
    def test_a_coordinator_closes_the_library_and_one_room_and_deletes_a_closure(self, world, room, coordinator, client):
        whole = client.post(f"{API}/rooms/closures", json={"starts_on": "2026-12-24", "ends_on": "2026-12-26", "reason": "Christmas"}, headers=coordinator)
        one = client.post(f"{API}/rooms/closures", json={"room_id": room.id, "starts_on": "2026-06-01", "ends_on": "2026-06-01", "reason": "Repairs"}, headers=coordinator)
        assert (whole.status_code, one.status_code) == (201, 201)
        assert whole.json["room_id"] is None and one.json["room_id"] == room.id
        listed = client.get(f"{API}/rooms/closures", headers=coordinator).json
        assert listed["total"] == 2 and [item["reason"] for item in listed["items"]] == ["Christmas", "Repairs"]
        assert client.delete(f"{API}/rooms/closures/{one.json['id']}", headers=coordinator).status_code == 204
        with tenant_scope(world.jelgava):
            assert db.session.scalars(sa.select(Closure.reason)).all() == ["Christmas"]

    def test_a_closure_of_millennia_is_refused_naming_the_limit(self, world, room, coordinator, client):
        """Accepted once, it made the usage figures, the home page and the lead's usage take seconds."""
        first, last = date_bounds()
        response = client.post(f"{API}/rooms/closures", json={"starts_on": "0001-01-01", "ends_on": "9999-12-31", "reason": "Forever"}, headers=coordinator)
        assert response.status_code == 422
        message = f"Enter a date from {first.isoformat()} to {last.isoformat()}."
        assert response.json["errors"]["json"] == {"starts_on": [message], "ends_on": [message]}
        assert (first.year, last.year) == (date.today().year - 10, date.today().year + 10)
        with tenant_scope(world.jelgava):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Closure)) == 0

    @pytest.mark.parametrize(
        ("closure", "field"),
        [
            ({"starts_on": "2026-12-26", "ends_on": "2026-12-24", "reason": "Backwards"}, "ends_on"),
            ({"starts_on": "26.12.2026", "ends_on": "2026-12-27", "reason": "Not ISO"}, "starts_on"),
            ({"starts_on": "2026-12-24", "ends_on": "2026-12-24", "reason": ""}, "reason"),
            ({"room_id": 999999, "starts_on": "2026-12-24", "ends_on": "2026-12-24", "reason": "No such room"}, "room_id"),
        ],
    )
    def test_invalid_closures_get_422_and_nothing_is_written(self, world, room, coordinator, client, closure, field):
        response = client.post(f"{API}/rooms/closures", json=closure, headers=coordinator)
        assert response.status_code == 422
        assert set(response.json["errors"]["json"]) == {field}
        with tenant_scope(world.jelgava):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Closure)) == 0

    def test_a_room_of_another_tenant_cannot_be_closed_or_its_closure_deleted(self, world, make_room, coordinator, client):
        theirs = make_room(world.pasvalys)
        with tenant_scope(world.pasvalys):
            closure = Closure(room_id=theirs.id, starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 1), reason="Theirs")
            db.session.add(closure)
            db.session.commit()
            closure_id = closure.id
        response = client.post(f"{API}/rooms/closures", json={"room_id": theirs.id, "starts_on": "2026-12-24", "ends_on": "2026-12-24", "reason": "x"}, headers=coordinator)
        assert response.status_code == 422
        assert client.delete(f"{API}/rooms/closures/{closure_id}", headers=coordinator).status_code == 404
        with tenant_scope(world.pasvalys):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Closure)) == 1

    def test_staff_see_closures_but_cannot_add_or_delete_them(self, world, room, staff, client):
        with tenant_scope(world.jelgava):
            closure = Closure(room_id=None, starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 1), reason="New Year")
            db.session.add(closure)
            db.session.commit()
            closure_id = closure.id
        assert client.get(f"{API}/rooms/closures", headers=staff).json["total"] == 1
        assert client.post(f"{API}/rooms/closures", json={"starts_on": "2026-12-24", "ends_on": "2026-12-24", "reason": "x"}, headers=staff).status_code == 403
        assert client.delete(f"{API}/rooms/closures/{closure_id}", headers=staff).status_code == 403
