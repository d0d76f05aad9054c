"""The bookings API: what a client can read and do, and how every refusal looks (422 with field errors, 409 with the
conflicting times). Nothing is written on a refusal."""
from datetime import UTC, datetime, time, timedelta

from openapi_spec_validator import validate
import pytest
import sqlalchemy as sa

from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenants.bookings import services
from bibnet.tenants.bookings.models import Booking, Occurrence, Status
from bibnet.tenants.bookings.recurrence import Frequency
from bibnet.tenants.rooms.models import Closure

from conftest import booking_input, monday_in

BASE = "/api/v1/tenants/jelgava"

# The test prepares and inspects Jelgava's rows, as a request to /t/jelgava/ would.
pytestmark = pytest.mark.usefixtures("in_jelgava")




@pytest.fixture
def tokens(world):
    """A personal access token for each kind of caller."""
    issued = {name: issue_api_token(getattr(world, name), "api tests") for name in ("staff", "coordinator", "lead", "other_staff")}
    db.session.commit()
    return issued


class Caller:
    def __init__(self, client, secret):
        self.client, self.headers = client, {"Authorization": f"Bearer {secret}"}

    def __getattr__(self, method):
        def call(path, headers=(), **kwargs):
            return getattr(self.client, method)(BASE + path, headers={**self.headers, **dict(headers)}, **kwargs)

        return call


@pytest.fixture
def staff(client, tokens):
    return Caller(client, tokens["staff"])


@pytest.fixture
def coordinator(client, tokens):
    return Caller(client, tokens["coordinator"])


def stored() -> tuple[int, int]:
    """Bookings and occurrences in the database, of every tenant."""
    with all_tenants(reason="test: everything stored"):
        return tuple(db.session.scalar(sa.select(sa.func.count(model.id))) for model in (Booking, Occurrence))


def book(world, room, day, start, end, confirm=True, now=None, **fields):
    with tenant_scope(world.jelgava):
        booking = services.create_booking(booking_input(room, world.staff, day, start, end, **fields), world.staff, confirm=confirm, now=now)
        db.session.commit()
        return booking


def request_for(room, day, start="10:00", end="11:00", **fields):
    return {"room_id": room.id, "activity": "sensory_session", "title": "Sensory session", "first_date": day.isoformat(), "start_time": start, "end_time": end, "expected": {"seniors": 3, "carers": 1}, **fields}


def local(moment: str) -> datetime:
    parsed = datetime.fromisoformat(moment)
    assert parsed.utcoffset() in (timedelta(hours=2), timedelta(hours=3)), "times are given in Riga time with their offset"
    return parsed


class TestCreating:
    def test_a_session_is_created_with_201_and_its_location(self, world, room, staff):
        monday = monday_in(2)
        response = staff.post("/bookings", json=request_for(room, monday, organiser_name="Senior club", organiser_contact="+371 2000 0000"))
        assert response.status_code == 201, response.json
        body = response.json
        assert response.headers["Location"].endswith(f"{BASE}/bookings/{body['id']}")
        assert body["responsible_id"] == world.staff.id and body["organiser_name"] == "Senior club"
        assert body["rule"] == {"frequency": "once", "interval": 1, "weekdays": [], "first_date": monday.isoformat(), "until": None, "count": None}
        assert body["expected"] == {"seniors": 3, "physical": 0, "psychosocial": 0, "intellectual": 0, "visual": 0, "hearing": 0, "other": 0, "carers": 1}
        (occurrence,) = body["occurrences"]
        assert occurrence["status"] == "confirmed" and occurrence["attended"] is None
        assert (local(occurrence["starts_at"]).date(), local(occurrence["starts_at"]).time(), local(occurrence["ends_at"]).time()) == (monday, time(10), time(11))
        assert stored() == (1, 1)

    def test_a_weekly_series_on_chosen_weekdays(self, room, staff):
        monday = monday_in(2)
        response = staff.post("/bookings", json=request_for(room, monday, frequency="weekly", weekdays=[0, 2], count=4))
        assert response.status_code == 201, response.json
        days = [local(o["starts_at"]).date() for o in response.json["occurrences"]]
        assert days == [monday, monday + timedelta(days=2), monday + timedelta(weeks=1), monday + timedelta(weeks=1, days=2)]

    def test_a_room_that_needs_approval_gets_a_request_from_staff_but_a_booking_from_its_coordinator(self, world, make_room, staff, coordinator):
        room = make_room(world.jelgava, "Approval room", needs_approval=True)
        requested = staff.post("/bookings", json=request_for(room, monday_in(2)))
        confirmed = coordinator.post("/bookings", json=request_for(room, monday_in(3)))
        assert requested.json["occurrences"][0]["status"] == "requested"
        assert confirmed.json["occurrences"][0]["status"] == "confirmed"

    @pytest.mark.parametrize(
        "change,field,text",
        [
            ({"end_time": "09:30"}, ["end_time"], "The end time must be after the start time."),
            ({"first_date": (monday_in(-1)).isoformat()}, ["first_date"], "already passed"),
            ({"start_time": "07:00", "end_time": "08:00"}, ["start_time"], "not open at this time"),
            ({"first_date": (monday_in(2) + timedelta(days=6)).isoformat()}, ["start_time"], "not open at this time"),
            ({"expected": {"seniors": 8, "carers": 1}}, ["expected", "carers"], "holds 8 people"),
            ({"expected": {"hearing": -1}}, ["expected", "hearing"], "0 or more"),
            ({"frequency": "daily", "until": (monday_in(2) + timedelta(days=400)).isoformat()}, ["until"], "at most one year"),
            ({"frequency": "weekly", "count": 60}, ["count"], "at most one year"),
            ({"frequency": "weekly"}, ["until"], "last session or the number of sessions"),
            ({"first_date": "2026-02-30"}, ["first_date"], "YYYY-MM-DD"),
            ({"first_date": "0001-01-01"}, ["first_date"], "Enter a date from"),
            ({"start_time": "10 o'clock"}, ["start_time"], "HH:MM"),
            ({"activity": "party"}, ["activity"], "sensory_session"),
            ({"title": " "}, ["title"], "short title"),
            ({"title": "x" * 121}, ["title"], "at most 120 characters"),
            ({"responsible_id": 10**20}, ["responsible_id"], "Enter a number from"),  # refused by the core before the schema
        ],
    )
    def test_bad_requests_get_422_with_field_errors_and_nothing_is_written(self, room, staff, change, field, text):
        response = staff.post("/bookings", json={**request_for(room, monday_in(2)), **change})
        assert response.status_code == 422, response.json
        assert response.mimetype == "application/problem+json"
        messages = response.json["errors"]["json"]
        for name in field:
            messages = messages[name]
        assert any(text in message for message in messages), messages
        assert stored() == (0, 0)

    def test_a_closed_day_names_the_closure(self, world, room, staff):
        monday = monday_in(2)
        with tenant_scope(world.jelgava):
            db.session.add(Closure(starts_on=monday, ends_on=monday, reason="Deep cleaning"))
            db.session.commit()
        response = staff.post("/bookings", json=request_for(room, monday))
        assert response.status_code == 422
        assert "closed on this day: Deep cleaning" in response.json["errors"]["json"]["first_date"][0]
        assert stored() == (0, 0)

    def test_short_notice_and_too_far_ahead_are_refused(self, world, make_room, staff):
        strict = make_room(world.jelgava, "Strict room", min_notice_hours=720, max_advance_days=30)
        soon = staff.post("/bookings", json=request_for(strict, monday_in(1)))
        late = staff.post("/bookings", json=request_for(strict, monday_in(6)))
        assert "at least 720 hours ahead" in soon.json["errors"]["json"]["first_date"][0]
        assert "at most 30 days ahead" in late.json["errors"]["json"]["first_date"][0]
        assert stored() == (0, 0)

    def test_a_room_of_another_tenant_is_refused_as_unknown(self, world, make_room, staff):
        theirs = make_room(world.pasvalys, "Their room")
        response = staff.post("/bookings", json=request_for(theirs, monday_in(2)))
        assert response.status_code == 422
        assert set(response.json["errors"]["json"]) == {"room_id"}
        assert stored() == (0, 0)

    def test_errors_are_in_the_callers_language(self, world, room, staff):
        world.staff.locale = "lv"
        response = staff.post("/bookings", json={**request_for(room, monday_in(2)), "first_date": "30.02.2026"}, headers={"Accept-Language": "lv"})
        assert response.status_code == 422
        assert response.json["errors"]["json"]["first_date"] == ["Ievadiet datumu formātā GGGG-MM-DD."]


class TestConflicts:
    def test_a_taken_slot_is_409_naming_the_time_it_is_taken_not_by_whom(self, world, room, staff):
        monday = monday_in(2)
        book(world, room, monday, time(10), time(11), title="Tuesday club", organiser_name="Secret organiser")
        response = staff.post("/bookings", json=request_for(room, monday, "10:30", "12:00"))
        assert response.status_code == 409
        assert response.mimetype == "application/problem+json"
        (conflict,) = response.json["conflicts"]
        assert conflict["reason"] == "taken" and conflict["date"] == monday.isoformat()
        assert (local(conflict["starts_at"]).time(), local(conflict["ends_at"]).time()) == (time(10, 30), time(12))
        assert (local(conflict["taken_from"]).time(), local(conflict["taken_until"]).time()) == (time(10), time(11))
        assert "Tuesday club" not in response.get_data(as_text=True) and "Secret" not in response.get_data(as_text=True)
        assert stored() == (1, 1)

    def test_a_series_lists_every_unavailable_date_and_may_book_the_free_ones(self, world, room, staff):
        monday = monday_in(2)
        book(world, room, monday + timedelta(weeks=1), time(10, 30), time(11, 30))
        with tenant_scope(world.jelgava):
            db.session.add(Closure(starts_on=monday + timedelta(weeks=2), ends_on=monday + timedelta(weeks=2), reason="Public holiday"))
            db.session.commit()
        series = request_for(room, monday, frequency=Frequency.WEEKLY, count=4)
        refused = staff.post("/bookings", json=series)
        assert refused.status_code == 409
        assert [(c["date"], c["reason"], c["taken_from"] is not None) for c in refused.json["conflicts"]] == [
            ((monday + timedelta(weeks=1)).isoformat(), "taken", True),
            ((monday + timedelta(weeks=2)).isoformat(), "closed", False),
        ]
        assert stored() == (1, 1)
        booked = staff.post("/bookings", json={**series, "skip_unavailable": True})
        assert booked.status_code == 201
        assert [o["status"] for o in booked.json["occurrences"]] == ["confirmed", "cancelled", "cancelled", "confirmed"]
        assert booked.json["occurrences"][1]["status_reason"].startswith("Not booked")


class TestReading:
    def test_occurrences_are_filtered_by_room_period_and_status_and_paginated(self, world, room, make_room, staff):
        other = make_room(world.jelgava, "Second room")
        monday = monday_in(2)
        series = book(world, room, monday, time(10), time(11), frequency=Frequency.WEEKLY, count=3)
        book(world, other, monday, time(10), time(11))
        with tenant_scope(world.jelgava):
            services.cancel([series.occurrences[2]], world.staff)
            db.session.commit()
        everything = staff.get("/occurrences").json
        assert everything["total"] == 4
        in_room = staff.get(f"/occurrences?room_id={room.id}&from={monday + timedelta(days=1)}&to={monday + timedelta(weeks=2)}").json
        assert [local(o["starts_at"]).date() for o in in_room["items"]] == [monday + timedelta(weeks=1), monday + timedelta(weeks=2)]
        cancelled = staff.get("/occurrences?status=cancelled").json["items"]
        assert [o["id"] for o in cancelled] == [series.occurrences[2].id]
        page = staff.get("/occurrences?per_page=3&page=2").json
        assert (page["total"], page["pages"], len(page["items"])) == (4, 2, 1)
        assert set(page["items"][0]) == {"id", "booking_id", "room_id", "starts_at", "ends_at", "status", "status_reason", "moved", "attended"}

    def test_the_last_day_of_a_period_is_included_in_local_time(self, world, room, staff):
        monday = monday_in(2)
        book(world, room, monday, time(17), time(18))  # 14:00 or 15:00 UTC, still Monday everywhere
        assert staff.get(f"/occurrences?from={monday}&to={monday}").json["total"] == 1
        assert staff.get(f"/occurrences?from={monday + timedelta(days=1)}").json["total"] == 0

    @pytest.mark.parametrize("query,field", [("from=2026-13-01", "from"), ("status=lost", "status"), ("from=2030-01-02&to=2030-01-01", "to"), ("room_id=x", "room_id"), ("from=0001-01-01&to=9999-12-31", "from")])
    def test_bad_filters_get_422(self, staff, query, field):
        response = staff.get(f"/occurrences?{query}")
        assert response.status_code == 422
        assert field in response.json["errors"]["query"]

    def test_bookings_are_listed_by_period_and_shown_with_their_sessions(self, world, room, staff):
        monday = monday_in(2)
        early = book(world, room, monday, time(10), time(11), organiser_contact="club@example.lv")
        book(world, room, monday + timedelta(weeks=3), time(10), time(11))
        listed = staff.get(f"/bookings?room_id={room.id}&to={monday + timedelta(weeks=1)}").json
        assert [b["id"] for b in listed["items"]] == [early.id] and "occurrences" not in listed["items"][0]
        shown = staff.get(f"/bookings/{early.id}").json
        assert shown["organiser_contact"] == "club@example.lv"
        assert [o["id"] for o in shown["occurrences"]] == [early.occurrences[0].id]

    def test_the_project_lead_reads_sessions_and_counts_but_not_who_organised_them(self, world, room, client, tokens):
        booking = book(world, room, monday_in(2), time(10), time(11), organiser_name="Senior club", internal_note="Key at the desk")
        lead = Caller(client, tokens["lead"])
        shown = lead.get(f"/bookings/{booking.id}")
        assert shown.status_code == 200
        assert (shown.json["organiser_name"], shown.json["organiser_contact"], shown.json["internal_note"]) == (None, None, None)
        assert shown.json["expected"]["seniors"] == 3
        assert lead.get("/occurrences").json["total"] == 1

    def test_unknown_ids_are_404(self, staff):
        assert staff.get("/bookings/999999").status_code == 404
        assert staff.get(f"/bookings/{10**20}").status_code == 404
        assert staff.patch("/occurrences/999999", json={"date": "2030-01-01", "start_time": "10:00", "end_time": "11:00"}).status_code == 404


class TestChanging:
    def test_details_are_changed_and_checked(self, world, room, staff):
        booking = book(world, room, monday_in(2), time(10), time(11))
        changed = staff.patch(f"/bookings/{booking.id}", json={"title": "Autumn club", "expected": {"visual": 2}})
        assert changed.status_code == 200, changed.json
        assert changed.json["title"] == "Autumn club"
        assert (changed.json["expected"]["seniors"], changed.json["expected"]["visual"]) == (3, 2)
        refused = staff.patch(f"/bookings/{booking.id}", json={"title": "Too full", "expected": {"seniors": 20}})
        assert refused.status_code == 422
        assert "holds 8 people" in refused.json["errors"]["json"]["expected"]["carers"][0]
        db.session.expire_all()
        assert db.session.scalar(sa.select(Booking.title)) == "Autumn club"

    def test_one_session_is_moved_and_a_taken_time_is_409(self, world, room, staff):
        monday = monday_in(2)
        series = book(world, room, monday, time(10), time(11), frequency=Frequency.WEEKLY, count=2)
        book(world, room, monday + timedelta(days=1), time(14), time(15))
        second = series.occurrences[1]
        moved = staff.patch(f"/occurrences/{second.id}", json={"date": str(monday + timedelta(weeks=1, days=2)), "start_time": "15:00", "end_time": "16:00"})
        assert moved.status_code == 200, moved.json
        assert moved.json["moved"] and local(moved.json["starts_at"]).time() == time(15)
        taken = staff.patch(f"/occurrences/{second.id}", json={"date": str(monday + timedelta(days=1)), "start_time": "14:30", "end_time": "15:30"})
        assert taken.status_code == 409
        assert local(taken.json["conflicts"][0]["taken_from"]).time() == time(14)
        past = staff.patch(f"/occurrences/{second.id}", json={"date": str(monday_in(-1)), "start_time": "10:00", "end_time": "11:00"})
        assert past.status_code == 422 and "already passed" in past.json["errors"]["json"]["date"][0]
        db.session.expire_all()
        assert db.session.get(Occurrence, second.id).starts_at == datetime.fromisoformat(moved.json["starts_at"])

    def test_one_session_or_the_rest_of_the_series_is_cancelled(self, world, room, staff):
        series = book(world, room, monday_in(2), time(10), time(11), frequency=Frequency.WEEKLY, count=3)
        one = staff.post(f"/occurrences/{series.occurrences[0].id}/cancel", json={"reason": "Group ill"})
        assert (one.status_code, one.json["status"], one.json["status_reason"]) == (200, "cancelled", "Group ill")
        again = staff.post(f"/occurrences/{series.occurrences[0].id}/cancel")
        assert again.status_code == 422 and "no future session" in again.json["errors"]["json"]["status"][0]
        rest = staff.post(f"/bookings/{series.id}/cancel")
        assert rest.status_code == 200
        assert [o["status"] for o in rest.json["occurrences"]] == ["cancelled"] * 3


class TestApproving:
    @pytest.fixture
    def approval_room(self, world, make_room):
        return make_room(world.jelgava, "Approval room", needs_approval=True)

    def test_the_coordinator_approves_a_series_and_overlapping_requests_are_rejected(self, world, approval_room, coordinator):
        monday = monday_in(2)
        series = book(world, approval_room, monday, time(10), time(11), confirm=False, frequency=Frequency.WEEKLY, count=2)
        rival = book(world, approval_room, monday, time(10, 30), time(11, 30), confirm=False)
        approved = coordinator.post(f"/bookings/{series.id}/approve")
        assert approved.status_code == 200, approved.json
        assert [o["status"] for o in approved.json["occurrences"]] == ["confirmed", "confirmed"]
        rival_now = coordinator.get(f"/bookings/{rival.id}").json["occurrences"][0]
        assert (rival_now["status"], rival_now["status_reason"]) == ("rejected", "Another booking was confirmed for this time.")

    def test_approving_a_request_for_a_taken_time_is_409(self, world, approval_room, staff, coordinator):
        monday = monday_in(2)
        book(world, approval_room, monday, time(10, 30), time(11, 30), confirm=True)
        request = book(world, approval_room, monday, time(14), time(15), confirm=False).occurrences[0]
        # A request may be moved onto a taken time (requests may overlap); it cannot be confirmed there.
        assert staff.patch(f"/occurrences/{request.id}", json={"date": str(monday), "start_time": "10:00", "end_time": "11:00"}).status_code == 200
        response = coordinator.post(f"/occurrences/{request.id}/approve")
        assert response.status_code == 409
        assert local(response.json["conflicts"][0]["taken_from"]).time() == time(10, 30)

    def test_rejecting_needs_a_reason_the_organiser_reads(self, world, approval_room, coordinator):
        series = book(world, approval_room, monday_in(2), time(10), time(11), confirm=False, frequency=Frequency.WEEKLY, count=2)
        assert coordinator.post(f"/bookings/{series.id}/reject", json={}).status_code == 422
        assert coordinator.post(f"/bookings/{series.id}/reject", json={"reason": " "}).status_code == 422
        one = coordinator.post(f"/occurrences/{series.occurrences[0].id}/reject", json={"reason": "Repainting"})
        assert (one.json["status"], one.json["status_reason"]) == ("rejected", "Repainting")
        rest = coordinator.post(f"/bookings/{series.id}/reject", json={"reason": "Closed for the summer"})
        assert [o["status_reason"] for o in rest.json["occurrences"]] == ["Repainting", "Closed for the summer"]


class TestAttendance:
    @pytest.fixture
    def last_week(self, world, room):
        monday = monday_in(-1)
        earlier = datetime.combine(monday - timedelta(days=2), time(), tzinfo=UTC)
        return book(world, room, monday, time(10), time(11), now=earlier).occurrences[0]

    def test_visitors_are_counted_per_target_group(self, last_week, staff):
        response = staff.post(f"/occurrences/{last_week.id}/attendance", json={"seniors": 2, "visual": 1, "carers": 1})
        assert response.status_code == 200, response.json
        assert response.json["status"] == "completed"
        assert response.json["attended"] == {"seniors": 2, "physical": 0, "psychosocial": 0, "intellectual": 0, "visual": 1, "hearing": 0, "other": 0, "carers": 1}

    def test_a_no_show(self, last_week, staff):
        response = staff.post(f"/occurrences/{last_week.id}/attendance", json={"no_show": True})
        assert (response.json["status"], response.json["attended"]) == ("no_show", dict.fromkeys(response.json["attended"], 0))

    @pytest.mark.parametrize(
        "body,field", [({"seniors": -1}, "seniors"), ({"no_show": True, "seniors": 2}, "no_show"), ({}, "seniors"), ({"seniors": "two"}, "seniors")]
    )
    def test_bad_counts_get_422(self, last_week, staff, body, field):
        response = staff.post(f"/occurrences/{last_week.id}/attendance", json=body)
        assert response.status_code == 422
        assert field in response.json["errors"]["json"]
        assert db.session.scalar(sa.select(Occurrence.status)) is Status.CONFIRMED

    def test_a_future_session_has_no_attendance_yet(self, world, room, staff):
        upcoming = book(world, room, monday_in(2), time(10), time(11)).occurrences[0]
        response = staff.post(f"/occurrences/{upcoming.id}/attendance", json={"seniors": 2})
        assert response.status_code == 422 and "once the session has started" in response.json["errors"]["json"]["status"][0]


class TestPermissions:
    def test_the_project_lead_reads_but_cannot_write(self, world, room, client, tokens):
        booking = book(world, room, monday_in(2), time(10), time(11))
        occurrence_id = booking.occurrences[0].id
        lead = Caller(client, tokens["lead"])
        assert lead.get(f"/bookings/{booking.id}").status_code == 200
        writes = [
            lead.post("/bookings", json=request_for(room, monday_in(3))),
            lead.patch(f"/bookings/{booking.id}", json={"title": "Mine"}),
            lead.post(f"/bookings/{booking.id}/cancel"),
            lead.post(f"/bookings/{booking.id}/approve"),
            lead.post(f"/occurrences/{occurrence_id}/cancel"),
            lead.post(f"/occurrences/{occurrence_id}/reject", json={"reason": "No"}),
            lead.post(f"/occurrences/{occurrence_id}/attendance", json={"seniors": 1}),
        ]
        assert {response.status_code for response in writes} == {403}
        assert {response.mimetype for response in writes} == {"application/problem+json"}
        assert stored() == (1, 1)

    def test_staff_cannot_approve(self, world, make_room, staff):
        room = make_room(world.jelgava, "Approval room", needs_approval=True)
        booking = book(world, room, monday_in(2), time(10), time(11), confirm=False)
        assert staff.post(f"/bookings/{booking.id}/approve").status_code == 403
        assert staff.post(f"/occurrences/{booking.occurrences[0].id}/reject", json={"reason": "No"}).status_code == 403

    def test_another_tenant_sees_nothing(self, world, room, client, tokens):
        booking = book(world, room, monday_in(2), time(10), time(11))
        stranger = Caller(client, tokens["other_staff"])
        assert stranger.get("/occurrences").status_code == 404
        assert stranger.get(f"/bookings/{booking.id}").status_code == 404
        assert stranger.post("/bookings", json=request_for(room, monday_in(3))).status_code == 404
        # Their own tenant's URL does not reach Jelgava's rows either.
        theirs = client.get(f"/api/v1/tenants/pasvalys/bookings/{booking.id}", headers=stranger.headers)
        assert theirs.status_code == 404
        assert client.post("/api/v1/tenants/pasvalys/bookings", json=request_for(room, monday_in(3)), headers=stranger.headers).status_code == 422
        assert stored() == (1, 1)

    def test_anonymous_callers_get_401(self, client, world):
        assert client.get(f"{BASE}/occurrences").status_code == 401


def test_the_openapi_document_lists_the_bookings_api_and_is_valid(client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    paths = document["paths"]
    assert {f"/api/v1/tenants/{{tenant_slug}}/{path}" for path in ("occurrences", "bookings", "bookings/{booking_id}", "occurrences/{occurrence_id}/attendance")} <= set(paths)
    assert "409" in paths["/api/v1/tenants/{tenant_slug}/bookings"]["post"]["responses"]


def test_listing_runs_the_same_number_of_statements_whatever_the_page_holds(world, room, staff, count_queries):
    monday = monday_in(2)
    book(world, room, monday, time(10), time(11))
    with count_queries() as few:
        staff.get("/occurrences")
    book(world, room, monday, time(12), time(13), frequency=Frequency.WEEKLY, count=20)
    with count_queries() as many:
        assert len(staff.get("/occurrences").json["items"]) == 20
    assert many.n == few.n

