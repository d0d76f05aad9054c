"""The public programme pages at /p/<library>/…, without logging in: the listing and a programme's page show a
library's own public programmes only (never another library's, a programme not public or cancelled: 404), with
sessions in the library's time zone in EU formats, where they are held, schema.org Event markup and an iCal
feed; nothing of staff or registrants. The registration form registers or waitlists, the participant cancels
through their own link, refusals are clear and write nothing, and bots are kept out (honeypot, rate limit)."""
from datetime import UTC, datetime, timedelta
import json
import re

from icalendar import Calendar
from limits import parse
from limits.errors import StorageError
from programmes_public_world import add_room_session, make_programme
import pytest
import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db, limiter
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.programmes import registrations
from bibnet.tenants.programmes.models import AccessNeed, Place, ProgrammeNeed, ProgrammeSession, Registration, RegistrationStatus
from bibnet.tenants.programmes.registrations import RegistrationRequest
from bibnet.web.public_forms import RATE_LIMIT_SCOPE

from conftest import csrf_token

FORM = {"name": "Anna Bērziņa", "phone": "+371 20000001", "email": "", "companions": "0", "consent": "y", "website": ""}


def send_form(client, url, **changes):
    page = client.get(url).get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)
    return client.post(url, data={**FORM, "csrf_token": csrf_token(page), "started": started, **changes})


def count(model, tenant) -> int:
    with tenant_scope(tenant):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def choose_language(client, locale):
    """The language switcher of every page, as an anonymous visitor uses it (remembered in the session)."""
    page = client.get("/accessibility").get_data(as_text=True)
    assert client.post("/language", data={"locale": locale, "next": "/", "csrf_token": csrf_token(page)}).status_code == 302


def english(client):
    choose_language(client, "en")


@pytest.fixture
def programmes(world):
    """Jelgava: a public club (10 places), a programme not public, a cancelled one, one with only past sessions;
    Pasvalys: its own public club."""
    club = make_programme(world.jelgava, "Seniors' club", organiser_id=world.staff.id)
    hidden = make_programme(world.jelgava, "Staff rehearsal", public=False)
    cancelled = make_programme(world.jelgava, "Cancelled workshop", cancelled_at=utcnow())
    past = make_programme(world.jelgava, "Last year's class", sessions=0)
    with tenant_scope(world.jelgava):
        long_ago = datetime(2025, 3, 5, 10, tzinfo=UTC)
        db.session.add(ProgrammeSession(programme_id=past.id, starts_at=long_ago, ends_at=long_ago + timedelta(hours=1), place=Place.ADDRESS, address="Old hall"))
        db.session.commit()
    theirs = make_programme(world.pasvalys, "Pasvalys reading club")
    return {"club": club.id, "hidden": hidden.id, "cancelled": cancelled.id, "past": past.id, "theirs": theirs.id}


def test_the_listing_shows_the_librarys_own_upcoming_public_programmes_only(client, world, programmes):
    english(client)
    page = client.get("/p/jelgava/programmes")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Seniors&#39; club" in body and "2 sessions ahead" in body and "Registration open" in body
    for absent in ("Staff rehearsal", "Cancelled workshop", "Last year", "Pasvalys reading club", "Jānis Staff"):
        assert absent not in body
    assert client.get("/p/pasvalys/programmes").get_data(as_text=True).count("Pasvalys reading club") == 1


def test_an_unknown_or_inactive_library_is_not_found(client, world):
    world.pasvalys.active = False
    db.session.commit()
    assert client.get("/p/no-such-library/programmes").status_code == 404
    assert client.get("/p/pasvalys/programmes").status_code == 404
    assert client.get("/p/pasvalys/programmes.ics").status_code == 404


@pytest.mark.parametrize("which", ["hidden", "cancelled", "theirs"])
def test_a_programme_not_public_cancelled_or_of_another_library_is_not_found(client, world, programmes, which):
    for url in (f"/p/jelgava/programmes/{programmes[which]}",):
        assert client.get(url).status_code == 404
        assert client.post(url, data=FORM).status_code in (400, 404)
    assert count(Registration, world.jelgava) == count(Registration, world.pasvalys) == 0


def test_the_programme_page_shows_sessions_in_the_librarys_zone_and_where_without_staff_or_registrants(client, world, programmes, room):
    with tenant_scope(world.jelgava):
        programme = db.session.get(registrations.Programme, programmes["club"])
        registrations.register(programme, RegistrationRequest(name="Zelma Registrante", email="zelma@example.lv"))
        db.session.commit()
    add_room_session(programme, world.jelgava, room, world.staff, weeks=3)
    english(client)
    body = client.get(f"/p/jelgava/programmes/{programmes['club']}").get_data(as_text=True)
    # 10:00 UTC on a Wednesday in winter is 12:00 in Riga; English dates are day-month-year.
    assert re.search(r"Wednesday,? \d{1,2} (December|January|February|March|November|October|April|May|June|July|August|September) 20\d\d, 12:00–13:30", body)
    assert "Pasta iela 37, Jelgava" in body and "Sensory room, Jelgava Municipality central library" in body and "Tuesday" in body and "14:00–15:00" in body
    assert "9 places are free" in body
    for absent in ("Jānis Staff", "staff@jelgava", "Zelma", "zelma@example.lv", "Pasvalys"):
        assert absent not in body


def events_of(body: str) -> list[dict]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return json.loads(found.group(1))


def test_the_page_carries_a_schema_org_event_per_session(client, world, programmes):
    with tenant_scope(world.jelgava):
        online = ProgrammeSession(programme_id=programmes["club"], starts_at=datetime(2030, 7, 1, 7, tzinfo=UTC), ends_at=datetime(2030, 7, 1, 8, tzinfo=UTC), place=Place.ONLINE, online_url="https://meet.example/secret-room")
        db.session.add(online)
        db.session.commit()
    body = client.get(f"/p/jelgava/programmes/{programmes['club']}").get_data(as_text=True)
    events = events_of(body)
    assert len(events) == 3
    for event in events:
        assert event["@context"] == "https://schema.org" and event["@type"] == "Event"
        assert event["name"] and event["url"].endswith(f"/p/jelgava/programmes/{programmes['club']}")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[23]:00", event["startDate"])
        assert event["eventStatus"] == "https://schema.org/EventScheduled"
        assert event["organizer"] == {"@type": "Organization", "name": "Jelgava Municipality", "url": "http://localhost/p/jelgava/programmes"}
    at_the_address, last = events[0], events[-1]
    assert at_the_address["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert at_the_address["location"]["@type"] == "Place" and "Pasta iela 37" in at_the_address["location"]["address"]
    assert last["startDate"] == "2030-07-01T10:00:00+03:00"  # summer time in Riga
    assert last["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode" and last["location"]["@type"] == "VirtualLocation"
    assert "secret-room" not in body  # the meeting's link is for the registered participants


def test_a_cancelled_session_is_marked_cancelled_on_the_page_and_in_the_markup(client, world, programmes):
    with tenant_scope(world.jelgava):
        session = db.session.scalars(sa.select(ProgrammeSession).where(ProgrammeSession.programme_id == programmes["club"]).order_by(ProgrammeSession.starts_at)).first()
        session.cancelled_at = utcnow()
        db.session.commit()
    english(client)
    body = client.get(f"/p/jelgava/programmes/{programmes['club']}").get_data(as_text=True)
    assert "Cancelled" in body
    assert [event["eventStatus"].rsplit("/", 1)[1] for event in events_of(body)] == ["EventCancelled", "EventScheduled"]


def test_the_ical_feed_has_the_librarys_public_sessions_at_the_right_moments(client, world, programmes):
    response = client.get("/p/jelgava/programmes.ics")
    assert response.status_code == 200 and response.content_type.startswith("text/calendar")
    calendar = Calendar.from_ical(response.data)
    events = list(calendar.walk("VEVENT"))
    with tenant_scope(world.jelgava):
        expected = sorted(db.session.scalars(sa.select(ProgrammeSession.starts_at).where(ProgrammeSession.programme_id == programmes["club"])))
    assert sorted(event.decoded("dtstart").astimezone(UTC) for event in events) == [moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment for moment in expected]
    assert {str(event["dtstart"].dt.tzinfo) for event in events} == {"Europe/Riga"}
    assert {str(event["summary"]) for event in events} == {"Seniors' club (lv)"}  # the library's language
    assert all(str(event["status"]) == "CONFIRMED" for event in events)
    text = response.get_data(as_text=True)
    for absent in ("Staff rehearsal", "Cancelled workshop", "Pasvalys", "Jānis"):
        assert absent not in text
    assert "Last year" not in text  # only the last 30 days and ahead


def test_a_visitor_registers_sees_the_confirmation_and_cancels_through_their_own_link(client, world, programmes):
    english(client)
    url = f"/p/jelgava/programmes/{programmes['club']}"
    sent = send_form(client, url, companions="1", needs=["wheelchair", "large_print"])
    assert sent.status_code == 303
    confirmed = client.get(sent.headers["Location"])
    assert confirmed.headers["Cache-Control"] == "no-store"  # a participant's own page, never kept by a shared cache
    confirmation = confirmed.get_data(as_text=True)
    assert "You are registered for Seniors&#39; club." in confirmation
    with tenant_scope(world.jelgava):
        registration = db.session.scalar(sa.select(Registration))
        assert (registration.name, registration.places, registration.locale, registration.status) == ("Anna Bērziņa", 2, "en", RegistrationStatus.REGISTERED)
        assert {row.need: row.count for row in db.session.scalars(sa.select(ProgrammeNeed))} == {AccessNeed.WHEELCHAIR: 1, AccessNeed.LARGE_PRINT: 1}
        token = registration.token
    cancel_url = f"/p/jelgava/cancel/{token}"
    assert cancel_url in confirmation
    page = client.get(cancel_url).get_data(as_text=True)
    assert "Yes, cancel my registration" in page
    done = client.post(cancel_url, data={"csrf_token": csrf_token(page)})
    assert done.status_code == 200 and "is cancelled" in done.get_data(as_text=True)
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(Registration.status)) is RegistrationStatus.CANCELLED
    again = client.post(cancel_url, data={"csrf_token": csrf_token(page)})
    assert again.status_code == 409 and "already cancelled" in again.get_data(as_text=True)


def test_when_the_places_are_taken_the_visitor_is_on_the_waitlist(client, world):
    full = make_programme(world.jelgava, capacity=1)
    with tenant_scope(world.jelgava):
        registrations.register(full, RegistrationRequest(name="First", phone="1"))
        db.session.commit()
    english(client)
    url = f"/p/jelgava/programmes/{full.id}"
    assert "Register for the waitlist" in client.get(url).get_data(as_text=True)
    sent = send_form(client, url)
    assert "You are on the waitlist for" in client.get(sent.headers["Location"]).get_data(as_text=True)


def test_a_form_without_name_contact_or_consent_is_refused_with_messages_and_nothing_is_written(client, world, programmes):
    english(client)
    refused = send_form(client, f"/p/jelgava/programmes/{programmes['club']}", name=" ", phone="", consent="", companions="12")
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "There is a problem" in body
    for message in ("Enter your name.", "Enter a phone number or an e-mail address", "Agree to be contacted", "From 0 to 10 companions."):
        assert message in body
    assert 'href="#name"' in body and 'aria-invalid="true"' in body
    assert count(Registration, world.jelgava) == count(ProgrammeNeed, world.jelgava) == 0


def test_companions_that_are_no_number_get_one_clear_message(client, world, programmes):
    english(client)
    body = send_form(client, f"/p/jelgava/programmes/{programmes['club']}", companions="two").get_data(as_text=True)
    assert "Enter a whole number, like 3." in body and "Not a valid integer" not in body
    assert count(Registration, world.jelgava) == 0


def test_the_messages_are_in_the_visitors_language(client, world, programmes):
    choose_language(client, "lv")
    body = send_form(client, f"/p/jelgava/programmes/{programmes['club']}", name="", consent="").get_data(as_text=True)
    assert '<html lang="lv">' in body and "Enter your name." not in body
    assert "Piekrītiet, ka ar jums sazinās par šo programmu" in body and "Pieteikties" in body


def test_a_closed_registration_shows_no_form_and_takes_nothing(client, world):
    closed = make_programme(world.jelgava, registration_open=False)
    english(client)
    url = f"/p/jelgava/programmes/{closed.id}"
    body = client.get(url).get_data(as_text=True)
    assert "Registration through this page is closed" in body and 'name="started"' not in body
    client.post(url, data=FORM)
    assert count(Registration, world.jelgava) == 0


def test_a_filled_honeypot_is_refused_and_nothing_is_written(client, world, programmes):
    english(client)
    refused = send_form(client, f"/p/jelgava/programmes/{programmes['club']}", website="https://spam.example", needs=["wheelchair"])
    assert refused.status_code == 422 and "The form could not be sent" in refused.get_data(as_text=True)
    assert count(Registration, world.jelgava) == count(ProgrammeNeed, world.jelgava) == 0


def test_a_form_without_its_signed_start_time_is_refused(client, world, programmes):
    english(client)
    refused = send_form(client, f"/p/jelgava/programmes/{programmes['club']}", started="forged")
    assert refused.status_code == 422
    assert count(Registration, world.jelgava) == 0


def test_a_form_over_one_addresss_rate_limit_is_shown_again_as_typed_and_saves_nothing(app, client, world, programmes, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_FORM_RATE_LIMIT", "2 per minute")
    limiter.reset()
    english(client)
    url = f"/p/jelgava/programmes/{programmes['club']}"
    refused = [send_form(client, url, name=f"Person {number}") for number in range(3)][-1]
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    page = refused.get_data(as_text=True)
    assert "Many forms were sent from this network recently" in page and 'value="Person 2"' in page
    assert refused.headers["Cache-Control"] == "no-store"
    assert client.get(url).status_code == 200  # reading the page is not limited by the form's limit
    assert count(Registration, world.jelgava) == 2


def test_a_form_refused_by_the_minute_limit_does_not_use_up_the_hour(app, client, world, programmes, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_FORM_RATE_LIMIT", "2 per minute; 10 per hour")
    limiter.reset()
    url = f"/p/jelgava/programmes/{programmes['club']}"
    assert [send_form(client, url, name=f"Person {number}").status_code for number in range(4)] == [303, 303, 429, 429]
    hour = parse("10 per hour")
    assert limiter.limiter.get_window_stats(hour, "127.0.0.1", RATE_LIMIT_SCOPE).remaining == 8


def test_a_form_is_not_lost_when_the_rate_limits_store_fails(app, client, world, programmes, monkeypatch, caplog):
    def store_down(*_args, **_kwargs):
        raise StorageError(ConnectionError("the rate limits' store is down"))

    monkeypatch.setattr(limiter.limiter, "hit", store_down)
    url = f"/p/jelgava/programmes/{programmes['club']}"
    assert send_form(client, url, name="Person 1").status_code == 303
    assert count(Registration, world.jelgava) == 1
    assert "public form not rate-limited" in caplog.text


def test_the_token_pages_answer_404_for_an_unknown_or_another_librarys_token(client, world, programmes):
    with tenant_scope(world.pasvalys):
        theirs = db.session.get(registrations.Programme, programmes["theirs"])
        token = registrations.register(theirs, RegistrationRequest(name="Rūta", phone="+370 600 00000")).token
        db.session.commit()
    for url in (f"/p/jelgava/registrations/{token}", f"/p/jelgava/cancel/{token}", "/p/jelgava/cancel/not-a-token", "/p/jelgava/cancel/" + "x" * 40):
        assert client.get(url).status_code == 404
    assert client.post(f"/p/jelgava/cancel/{token}", data={}).status_code in (400, 404)
    with tenant_scope(world.pasvalys):
        assert db.session.scalar(sa.select(Registration.status)) is RegistrationStatus.REGISTERED


def test_the_listing_runs_the_same_few_queries_for_few_and_many_programmes(client, world, count_queries):
    make_programme(world.jelgava, "First")
    with count_queries() as few:
        assert client.get("/p/jelgava/programmes").status_code == 200
    for number in range(25):
        make_programme(world.jelgava, f"Club {number}", sessions=3)
    with count_queries() as many:
        assert client.get("/p/jelgava/programmes").status_code == 200
    assert many.n == few.n <= 5, many.statements


def test_a_title_cannot_break_out_of_the_json_ld(client, world):
    hostile = make_programme(world.jelgava, title_texts={"en": "Club </script><script>alert(1)</script>"})
    english(client)
    body = client.get(f"/p/jelgava/programmes/{hostile.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in body
    assert events_of(body)[0]["name"] == "Club </script><script>alert(1)</script>"
