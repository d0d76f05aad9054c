"""A closure or shorter opening hours never close a room under booked sessions without asking.

Before, closing Thursday at 16:00 or adding a closure over confirmed sessions saved silently, and the day view
showed "Closed" and "Booked 17:00–18:00" together. Now the coordinator sees the affected sessions first, and
only an explicit confirmation with a message cancels them (their organisers are mailed) and saves the change,
both in one transaction. The API refuses with a 409 listing them unless cancel_affected_sessions is true.
"""
from datetime import time, timedelta
import email
from email import policy

from babel.dates import format_date
import pytest
import sqlalchemy as sa

from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.mail import QueuedMail
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.bookings import services
from bibnet.tenants.bookings.models import Occurrence, Status
from bibnet.tenants.rooms.models import Closure, OpeningHours

from conftest import booking_input, csrf_token, log_in, monday_in, post_form

ROOMS = "/t/jelgava/rooms"
API = "/api/v1/tenants/jelgava"
ORGANISER = "club@example.lv"
MESSAGE = "The room closes early on Thursdays from now on; Tuesday 17:00 is free."
WEEKDAYS_9_TO_18 = {f"day{day}_{edge}0": value for day in range(5) for edge, value in (("opens", "09:00"), ("closes", "18:00"))}


def book(world, room, day, start, end, confirm=True, title="Thursday club"):
    with tenant_scope(world.jelgava):
        booking = services.create_booking(
            booking_input(room, world.staff, day, start, end, title=title, organiser_name="Senioru klubs", organiser_contact=ORGANISER), world.staff, confirm=confirm
        )
        db.session.commit()
        return booking.occurrences[0].id


def status_of(tenant, occurrence_id) -> tuple[Status, str]:
    with tenant_scope(tenant):
        occurrence = db.session.get(Occurrence, occurrence_id)
        db.session.refresh(occurrence)
        return occurrence.status, occurrence.status_reason


def thursday_hours(tenant, room_id) -> list[tuple]:
    with tenant_scope(tenant):
        return db.session.execute(sa.select(OpeningHours.opens, OpeningHours.closes).where(OpeningHours.room_id == room_id, OpeningHours.weekday == 3)).all()


def closures(tenant) -> list[str]:
    with tenant_scope(tenant):
        return db.session.scalars(sa.select(Closure.reason)).all()


def queued_mail() -> list[email.message.EmailMessage]:
    db.session.expire_all()
    return [email.message_from_string(row.message, policy=policy.default) for row in db.session.scalars(sa.select(QueuedMail).order_by(QueuedMail.id))]


def shorter_thursday() -> dict:
    return {**WEEKDAYS_9_TO_18, "day3_closes0": "16:00"}


@pytest.fixture
def coordinator(world, client):
    log_in(client, "coordinator@jelgava.example")
    return client


@pytest.fixture
def thursday():
    return monday_in(2) + timedelta(days=3)


class TestShorterOpeningHours:
    def test_closing_thursday_at_16_shows_the_17_00_session_and_saves_nothing(self, world, room, coordinator, thursday):
        late = book(world, room, thursday, time(17), time(18))
        early = book(world, room, thursday, time(10), time(11), title="Morning reading")
        mail_before = len(queued_mail())  # the confirmations of the two bookings
        response = post_form(coordinator, f"{ROOMS}/{room.id}/hours", shorter_thursday())
        page = response.get_data(as_text=True)
        assert response.status_code == 409
        assert "17:00–18:00" in page and "Thursday club" in page and "Morning reading" not in page
        assert format_date(thursday, "full", locale="en_IE") in page
        assert thursday_hours(world.jelgava, room.id) == [(time(9), time(18))]
        assert status_of(world.jelgava, late)[0] is Status.CONFIRMED and status_of(world.jelgava, early)[0] is Status.CONFIRMED
        assert len(queued_mail()) == mail_before

    def test_confirming_with_a_message_cancels_the_session_mails_the_organiser_and_saves_the_hours(self, app, world, room, coordinator, thursday):
        late = book(world, room, thursday, time(17), time(18))
        before = len(queued_mail())
        page = post_form(coordinator, f"{ROOMS}/{room.id}/hours", shorter_thursday()).get_data(as_text=True)
        confirmed = {**shorter_thursday(), "cancel_affected_sessions": "yes", "cancellation_message": MESSAGE, "seen_sessions": str(late), "csrf_token": csrf_token(page)}
        response = coordinator.post(f"{ROOMS}/{room.id}/hours", data=confirmed)
        assert response.status_code == 302
        assert thursday_hours(world.jelgava, room.id) == [(time(9), time(16))]
        assert status_of(world.jelgava, late) == (Status.CANCELLED, MESSAGE)
        (mail,) = queued_mail()[before:]
        assert mail["To"] == ORGANISER
        text = mail.get_content()
        assert MESSAGE in text and format_date(thursday, "full", locale="lv") in text  # Jelgava's language: Latvian

    def test_confirming_without_a_message_is_refused_and_nothing_changes(self, world, room, coordinator, thursday):
        late = book(world, room, thursday, time(17), time(18))
        page = post_form(coordinator, f"{ROOMS}/{room.id}/hours", shorter_thursday()).get_data(as_text=True)
        confirmed = {**shorter_thursday(), "cancel_affected_sessions": "yes", "cancellation_message": "  ", "seen_sessions": str(late), "csrf_token": csrf_token(page)}
        response = coordinator.post(f"{ROOMS}/{room.id}/hours", data=confirmed)
        assert response.status_code == 422 and "Write a message to the organisers" in response.get_data(as_text=True)
        assert thursday_hours(world.jelgava, room.id) == [(time(9), time(18))]
        assert status_of(world.jelgava, late)[0] is Status.CONFIRMED

    def test_a_session_booked_after_the_list_was_shown_is_not_cancelled_unseen(self, world, room, coordinator, thursday):
        shown = book(world, room, thursday, time(17), time(18))
        page = post_form(coordinator, f"{ROOMS}/{room.id}/hours", shorter_thursday()).get_data(as_text=True)
        newer = book(world, room, thursday + timedelta(weeks=1), time(16), time(17), title="New club")
        confirmed = {**shorter_thursday(), "cancel_affected_sessions": "yes", "cancellation_message": MESSAGE, "seen_sessions": str(shown), "csrf_token": csrf_token(page)}
        response = coordinator.post(f"{ROOMS}/{room.id}/hours", data=confirmed)
        assert response.status_code == 409 and "New club" in response.get_data(as_text=True)
        assert status_of(world.jelgava, shown)[0] is Status.CONFIRMED and status_of(world.jelgava, newer)[0] is Status.CONFIRMED

    def test_longer_hours_touch_no_session_and_save_at_once(self, world, room, coordinator, thursday):
        book(world, room, thursday, time(17), time(18))
        response = post_form(coordinator, f"{ROOMS}/{room.id}/hours", {**WEEKDAYS_9_TO_18, "day3_opens0": "08:00", "day3_closes0": "20:00"})
        assert response.status_code == 302
        assert thursday_hours(world.jelgava, room.id) == [(time(8), time(20))]


class TestClosureOverSessions:
    def closure(self, room, day, **extra) -> dict:
        return {"room": str(room.id) if room else "", "starts_on": day.isoformat(), "ends_on": day.isoformat(), "reason": "Burst pipe", **extra}

    def test_a_closure_over_a_confirmed_session_and_a_request_lists_both_and_saves_nothing(self, world, room, coordinator, thursday):
        confirmed = book(world, room, thursday, time(10), time(11))
        requested = book(world, room, thursday, time(14), time(15), confirm=False, title="Asked for")
        response = post_form(coordinator, f"{ROOMS}/closures/", self.closure(None, thursday))
        page = response.get_data(as_text=True)
        assert response.status_code == 409 and "Thursday club" in page and "Asked for" in page
        assert closures(world.jelgava) == []
        assert status_of(world.jelgava, confirmed)[0] is Status.CONFIRMED and status_of(world.jelgava, requested)[0] is Status.REQUESTED

    def test_confirmed_the_closure_and_the_cancellations_are_saved_together(self, world, room, coordinator, thursday):
        confirmed = book(world, room, thursday, time(10), time(11))
        requested = book(world, room, thursday, time(14), time(15), confirm=False, title="Asked for")
        page = post_form(coordinator, f"{ROOMS}/closures/", self.closure(room, thursday)).get_data(as_text=True)
        fields = self.closure(room, thursday, cancel_affected_sessions="yes", cancellation_message=MESSAGE, seen_sessions=f"{confirmed},{requested}", csrf_token=csrf_token(page))
        response = coordinator.post(f"{ROOMS}/closures/", data=fields)
        assert response.status_code == 302
        assert closures(world.jelgava) == ["Burst pipe"]
        assert status_of(world.jelgava, confirmed) == (Status.CANCELLED, MESSAGE) and status_of(world.jelgava, requested) == (Status.CANCELLED, MESSAGE)
        assert [mail["To"] for mail in queued_mail() if MESSAGE in mail.get_content()] == [ORGANISER, ORGANISER]
        day = coordinator.get(f"/t/jelgava/bookings/day?room_id={room.id}&date={thursday.isoformat()}").get_data(as_text=True)
        assert "Closed: Burst pipe" in day and "Thursday club" not in day

    def test_past_and_cancelled_sessions_and_other_days_do_not_stop_a_closure(self, world, room, coordinator, thursday):
        cancelled = book(world, room, thursday, time(10), time(11))
        with tenant_scope(world.jelgava):
            services.cancel([db.session.get(Occurrence, cancelled)], world.coordinator, reason="Ill")
            db.session.commit()
        book(world, room, thursday + timedelta(days=1), time(10), time(11), title="Friday club")
        assert post_form(coordinator, f"{ROOMS}/closures/", self.closure(room, thursday)).status_code == 302
        assert closures(world.jelgava) == ["Burst pipe"]

    def test_another_tenants_sessions_are_neither_listed_nor_cancelled(self, world, room, make_room, coordinator, thursday):
        their_room = make_room(world.pasvalys, name="Pasvalys room")
        with tenant_scope(world.pasvalys):
            theirs = services.create_booking(booking_input(their_room, world.other_staff, thursday, time(10), time(11), title="Their club"), world.other_staff, confirm=True)
            db.session.commit()
            their_id = theirs.occurrences[0].id
        response = post_form(coordinator, f"{ROOMS}/closures/", self.closure(None, thursday))
        assert response.status_code == 302  # nothing of Jelgava's is booked that day
        page = post_form(coordinator, f"{ROOMS}/closures/", self.closure(None, thursday, reason="Again")).get_data(as_text=True)
        assert "Their club" not in page
        forced = {**self.closure(None, thursday), "cancel_affected_sessions": "yes", "cancellation_message": MESSAGE, "seen_sessions": str(their_id)}
        post_form(coordinator, f"{ROOMS}/closures/", forced)
        assert status_of(world.pasvalys, their_id)[0] is Status.CONFIRMED


class TestTheApi:
    @pytest.fixture
    def token(self, world):
        secret = issue_api_token(world.coordinator, "rooms")
        db.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    def test_a_closure_over_sessions_gets_409_listing_them_and_nothing_is_written(self, world, room, client, token, thursday):
        confirmed = book(world, room, thursday, time(10), time(11))
        response = client.post(f"{API}/rooms/closures", json={"room_id": room.id, "starts_on": thursday.isoformat(), "ends_on": thursday.isoformat(), "reason": "Burst pipe"}, headers=token)
        assert response.status_code == 409 and response.content_type.startswith("application/problem+json")
        assert [(s["occurrence_id"], s["title"], s["status"]) for s in response.json["affected_sessions"]] == [(confirmed, "Thursday club", "confirmed")]
        assert closures(world.jelgava) == [] and status_of(world.jelgava, confirmed)[0] is Status.CONFIRMED

    def test_with_cancel_affected_sessions_the_sessions_are_cancelled_and_the_closure_saved(self, world, room, client, token, thursday):
        confirmed = book(world, room, thursday, time(10), time(11))
        body = {"room_id": room.id, "starts_on": thursday.isoformat(), "ends_on": thursday.isoformat(), "reason": "Burst pipe", "cancel_affected_sessions": True}
        assert client.post(f"{API}/rooms/closures", json=body, headers=token).status_code == 422  # no message for the organisers
        response = client.post(f"{API}/rooms/closures", json={**body, "cancellation_message": MESSAGE}, headers=token)
        assert response.status_code == 201 and "cancel_affected_sessions" not in response.json
        assert closures(world.jelgava) == ["Burst pipe"] and status_of(world.jelgava, confirmed) == (Status.CANCELLED, MESSAGE)
        assert any(MESSAGE in mail.get_content() for mail in queued_mail())

    def test_shorter_hours_in_a_patch_get_409_unless_cancel_affected_sessions(self, world, room, client, token, thursday):
        late = book(world, room, thursday, time(17), time(18))
        week = [{"weekday": day, "opens": "09:00", "closes": "16:00" if day == 3 else "18:00"} for day in range(5)]
        refused = client.patch(f"{API}/rooms/{room.id}", json={"opening_hours": week}, headers=token)
        assert refused.status_code == 409 and [s["occurrence_id"] for s in refused.json["affected_sessions"]] == [late]
        assert thursday_hours(world.jelgava, room.id) == [(time(9), time(18))]
        saved = client.patch(f"{API}/rooms/{room.id}", json={"opening_hours": week, "cancel_affected_sessions": True, "cancellation_message": MESSAGE}, headers=token)
        assert saved.status_code == 200
        assert thursday_hours(world.jelgava, room.id) == [(time(9), time(16))] and status_of(world.jelgava, late)[0] is Status.CANCELLED

    def test_a_patch_without_new_hours_never_asks(self, world, room, client, token, thursday):
        book(world, room, thursday, time(17), time(18))
        assert client.patch(f"{API}/rooms/{room.id}", json={"capacity": 6}, headers=token).status_code == 200
