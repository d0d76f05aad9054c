"""The programmes' jobs: the day before a session each registered participant with an e-mail gets one reminder
in their language, and only once (the job is hourly); registrants' names and contacts are erased a set time
after the programme's last session, and the counts stay."""
from datetime import time, timedelta
import html

from programme_world import make_programme, register_person, session_at
import sqlalchemy as sa

from bibnet import figures, retention
from bibnet.extensions import db
from bibnet.tenants.bookings.recurrence import to_utc
from bibnet.tenants.programmes import registrations
from bibnet.tenants.programmes.figures import PARTICIPANTS_TOTAL, SESSIONS_HELD
from bibnet.tenants.programmes.messages import send_reminders
from bibnet.tenants.programmes.models import ProgrammeSession, Registration
from bibnet.tenants.programmes.privacy import erase_registrants
from bibnet.tenants.programmes.registrations import RegistrationRequest

from conftest import take_delivered_mail


def test_the_day_before_a_session_each_registered_participant_with_an_e_mail_is_reminded_once(app, world, in_jelgava):
    programme = make_programme(world, capacity=2, title={"en": "Computer class", "lv": "Datorklase"})
    register_person(programme, "Ilga", email="ilga@example.org", locale="lv")
    register_person(programme, "John", email="john@example.org", locale="en")
    register_person(programme, "Waiting", email="waiting@example.org")  # on the waitlist: no reminder
    register_person(programme, "By phone")  # no e-mail: the staff call
    day = world.jelgava.today() + timedelta(days=5)
    session = session_at(programme, day, start=time(14), end=time(15, 30))
    take_delivered_mail(app)
    evening_before = to_utc(day - timedelta(days=1), time(18), world.jelgava.timezone)
    assert send_reminders(evening_before - timedelta(days=1)) == 0  # two days before: not yet
    assert send_reminders(evening_before) == 2
    assert send_reminders(evening_before + timedelta(hours=1)) == 0  # the next hourly run sends nothing twice
    mails = {mail["To"]: mail for mail in take_delivered_mail(app)}
    assert set(mails) == {"ilga@example.org", "john@example.org"}
    assert mails["ilga@example.org"]["Subject"] == "Rīt: Datorklase"
    assert "14:00" in mails["john@example.org"].get_content() and "Lielā iela 1, Jelgava" in mails["john@example.org"].get_content()
    db.session.expire_all()
    assert db.session.get(ProgrammeSession, session.id).reminded_at is not None


def test_a_reminder_links_to_the_participants_own_cancel_page_when_the_public_address_is_known(app, world, in_jelgava, monkeypatch):
    programme = make_programme(world, capacity=2, title={"en": "Computer class"})
    ilga = register_person(programme, "Ilga", email="ilga@example.org", locale="en")
    day = world.jelgava.today() + timedelta(days=5)
    session_at(programme, day, start=time(14), end=time(15, 30))
    take_delivered_mail(app)
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://bibnet.example.eu")
    assert send_reminders(to_utc(day - timedelta(days=1), time(18), world.jelgava.timezone)) == 1
    (reminder,) = take_delivered_mail(app)
    assert f"please cancel as early as possible, so that the place goes to someone else: https://bibnet.example.eu/p/jelgava/cancel/{ilga.token}" in " ".join(reminder.get_content().split())


def test_without_the_public_address_a_reminder_asks_to_tell_the_library(app, world, in_jelgava, monkeypatch):
    programme = make_programme(world, capacity=2, title={"en": "Computer class"})
    register_person(programme, "Ilga", email="ilga@example.org", locale="en")
    day = world.jelgava.today() + timedelta(days=5)
    session_at(programme, day, start=time(14), end=time(15, 30))
    take_delivered_mail(app)
    monkeypatch.setitem(app.config, "PUBLIC_URL", "")
    assert send_reminders(to_utc(day - timedelta(days=1), time(18), world.jelgava.timezone)) == 1
    (reminder,) = take_delivered_mail(app)
    assert "If you cannot come, please tell the library as early as possible." in " ".join(reminder.get_content().split())


def test_registrants_are_erased_after_the_last_session_and_the_counts_stay(app, world, in_jelgava):
    programme = make_programme(world)
    register_person(programme, "Anna", email="anna@example.org")
    registrations.register(programme, RegistrationRequest(name="Care home", is_group=True, group_size=4))
    last = session_at(programme, world.jelgava.today() - timedelta(days=2))
    last.attended_seniors = 5
    db.session.commit()
    entry = next(entry for entry in retention.entries() if entry.name == "programmes.registrants")
    days = app.config[entry.days_setting]
    ended = last.ends_at
    assert erase_registrants(ended + timedelta(days=days - 1)) == 0
    assert erase_registrants(ended + timedelta(days=days + 1)) == 2
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Registration).order_by(Registration.id)).all()
    assert [(row.name, row.phone, row.email, row.erased_at is not None) for row in rows] == [("", "", "", True)] * 2
    assert [row.places for row in rows] == [1, 4]  # places keep counting
    day = world.jelgava.today() - timedelta(days=2)
    table = figures.compute([SESSIONS_HELD, PARTICIPANTS_TOTAL], [world.jelgava], day, day)
    assert (table.value(world.jelgava.id, SESSIONS_HELD), table.value(world.jelgava.id, PARTICIPANTS_TOTAL)) == (1, 5)
    assert erase_registrants(ended + timedelta(days=days + 2)) == 0  # erased once


def test_the_privacy_notice_declares_the_retention(world, client):
    from conftest import log_in

    log_in(client, "staff@jelgava.example")
    notice = html.unescape(client.get("/privacy").get_data(as_text=True))
    assert "registered for a programme" in notice and "after the programme's last session" in notice


