"""The retention registry: each feature declares the personal data it keeps and for how long; the job runner
erases it on time and the privacy notice states the configured periods, in every language."""
from datetime import timedelta
import html

import pytest
import sqlalchemy as sa

from bibnet import mail, retention
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.mail import QueuedMail

from conftest import deliver_queued_mail


def test_every_entry_names_a_configured_period_and_an_erase_function(app_context, app):
    entries = retention.entries()
    assert {"mail", "bookings.organiser_contacts"} <= {entry.name for entry in entries}
    for entry in entries:
        assert isinstance(app.config[entry.days_setting], int) and callable(entry.erase)


@pytest.mark.parametrize(
    "language,booking_contacts,sent_mail",
    [
        ("en", "Erased 45 days after the booking's last session", "Deleted 1 day after it was sent"),
        ("lv", "Tiek dzēsta 45 dienas pēc rezervācijas pēdējās nodarbības", "Tiek dzēsts 1 dienu pēc nosūtīšanas"),
        ("lt", "Ištrinami praėjus 45 dienoms po paskutinio rezervacijos užsiėmimo", "Ištrinamas praėjus 1 dienai po išsiuntimo"),
    ],
)
def test_the_privacy_notice_states_the_configured_periods(app, client, monkeypatch, language, booking_contacts, sent_mail):
    monkeypatch.setitem(app.config, "BOOKING_CONTACT_RETENTION_DAYS", 45)
    monkeypatch.setitem(app.config, "MAIL_SENT_RETENTION_DAYS", 1)
    monkeypatch.setitem(app.config, "NOTIFICATION_RETENTION_DAYS", 20)
    page = html.unescape(client.get("/privacy", headers={"Accept-Language": language}).get_data(as_text=True))
    assert booking_contacts in page and sent_mail in page
    assert "30 d" not in page  # the default period, which is not the configured one


def test_sent_mail_is_deleted_after_its_retention_period_and_waiting_mail_is_kept(app, make_user):
    user = make_user(email="anna@example.lv", name="Anna")
    mail.send(user.email, "Sent", "mail/password_reset.txt", user=user, link="http://localhost/a")
    db.session.commit()
    deliver_queued_mail(app)
    mail.send(user.email, "Waiting", "mail/password_reset.txt", user=user, link="http://localhost/b")
    db.session.commit()
    days = app.config["MAIL_SENT_RETENTION_DAYS"]
    assert mail.erase_finished(utcnow() + timedelta(days=days) - timedelta(minutes=1)) == 0
    # Each entry says how many rows it erased; features add entries of their own, so look for the two known ones.
    assert {"bookings.organiser_contacts: 0", "elearning.leavers: 0", "mail: 1"} <= set(retention.erase_due(utcnow() + timedelta(days=days, minutes=1)).split(", "))
    db.session.expire_all()
    assert db.session.scalars(sa.select(QueuedMail.sent_at)).all() == [None]


def test_the_job_runner_runs_the_erasure(app):
    result = app.test_cli_runner().invoke(args=["jobs", "run", "--only", "retention.erase"])
    assert result.exit_code == 0, result.output
    assert "retention.erase: bookings.organiser_contacts: 0, " in result.output and "elearning.leavers: 0" in result.output and "mail: 0" in result.output
