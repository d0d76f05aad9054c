"""Notifications about expenditure (through the core's `notify` and mail outbox): the lead hears of submitted items,
the partner's coordinators of verified and rejected ones, each in their own language, immediately or in the daily
digest as they chose, and a change that is refused or rolled back tells nobody."""

from expenditure_items import make_item
import pytest
import sqlalchemy as sa

from bibnet.accounts.models import NotificationDelivery, User
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.notifications import Notification, send_digests
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.expenditure import services

from conftest import log_in, post_form, take_delivered_mail

pytest_plugins = ["expenditure_items"]  # the fixture `project`


def notifications(**where) -> list[Notification]:
    query = sa.select(Notification).order_by(Notification.id)
    for name, value in where.items():
        query = query.where(getattr(Notification, name) == value)
    return list(db.session.scalars(query))


def choose(user: User, delivery: NotificationDelivery) -> None:
    user.notification_delivery = delivery
    db.session.commit()


class TestTheLeadHearsOfSubmittedItems:
    def test_submitting_items_mails_the_lead_once_with_the_count_and_a_link(self, app, world, project, client):
        first = make_item(world.jelgava, project, invoice_number="J-1")
        second = make_item(world.jelgava, project, invoice_number="J-2")
        log_in(client, "coordinator@jelgava.example")
        for item_id in (first, second):
            response = post_form(client, f"/t/jelgava/expenditure/{project.id}/{item_id}/submit", {"confirmed": "yes"}, page=f"/t/jelgava/expenditure/{project.id}/{item_id}/")
            assert response.status_code == 302
        mails = take_delivered_mail(app)
        assert [mail["To"] for mail in mails] == ["lead@pasvalys.example", "lead@pasvalys.example"]
        assert mails[0]["Subject"].strip() == "Jelgava Municipality submitted expenditure for verification (InclusiveLibraries)"
        text = mails[0].get_content()
        assert "Hello Rasa Lead," in text
        assert "Jelgava Municipality submitted 1 expenditure item in the project InclusiveLibraries. It waits for your verification." in text
        assert f"http://localhost/t/jelgava/expenditure/{project.id}/?status=submitted" in text
        assert [n.kind for n in notifications()] == ["expenditure.submitted", "expenditure.submitted"]

    def test_the_lead_reads_it_in_their_own_language(self, app, world, project):
        world.lead.locale = "lt"
        db.session.commit()
        item_id = make_item(world.jelgava, project)
        with tenant_scope(world.jelgava):
            services.submit([db.session.get(services.Expenditure, item_id)])
            db.session.commit()
        (mail,) = take_delivered_mail(app)
        text = mail.get_content()
        assert text.startswith("Laba diena, Rasa Lead,")
        assert "It waits for your verification" not in text and "submitted" not in mail["Subject"]

    def test_a_refused_submission_tells_nobody(self, app, world, project):
        item_id = make_item(world.jelgava, project, "submitted")
        take_delivered_mail(app)  # the first submission's mail
        with tenant_scope(world.jelgava), pytest.raises(Refused):
            services.submit([db.session.get(services.Expenditure, item_id)])
        db.session.rollback()
        assert take_delivered_mail(app) == []
        assert len(notifications()) == 1

    def test_a_rolled_back_submission_sends_nothing(self, app, world, project):
        item_id = make_item(world.jelgava, project)
        with tenant_scope(world.jelgava):
            services.submit([db.session.get(services.Expenditure, item_id)])
            db.session.rollback()
        assert notifications() == []
        assert take_delivered_mail(app) == []


class TestTheCoordinatorHearsOfDecisions:
    def test_verifying_mails_the_partners_coordinators_but_not_staff_or_the_other_partner(self, app, world, project):
        item_id = make_item(world.jelgava, project, "submitted")
        take_delivered_mail(app)
        with tenant_scope(world.jelgava):
            services.verify(db.session.get(services.Expenditure, item_id))
            db.session.commit()
        (verified,) = take_delivered_mail(app)
        assert verified["To"] == "coordinator@jelgava.example"
        assert verified["Subject"].strip() == "Expenditure verified: SIA Sensorika (InclusiveLibraries)"
        # The invoice date the EU way, the amount with its currency.
        assert "SIA Sensorika, invoice of 10 Sept 2024, €1,210.00" in verified.get_content()

    def test_rejecting_mails_the_reason_to_the_coordinator(self, app, world, project, client):
        item_id = make_item(world.jelgava, project, "submitted")
        take_delivered_mail(app)
        log_in(client, "lead@pasvalys.example")
        url = f"/t/jelgava/expenditure/{project.id}/{item_id}/reject"
        assert post_form(client, url, {"comment": "The payment proof is missing"}).status_code == 302
        (mail,) = take_delivered_mail(app)
        assert mail["To"] == "coordinator@jelgava.example"
        assert mail["Subject"].strip() == "Expenditure rejected: SIA Sensorika (InclusiveLibraries)"
        assert "Reason: The payment proof is missing" in mail.get_content()

    def test_a_rejection_without_a_reason_tells_nobody(self, app, world, project):
        item_id = make_item(world.jelgava, project, "submitted")
        before = len(notifications())
        with tenant_scope(world.jelgava), pytest.raises(Refused):
            services.reject(db.session.get(services.Expenditure, item_id), "  ")
        db.session.rollback()
        assert len(notifications()) == before


class TestTheDailyDigest:
    def test_a_digest_reader_gets_no_mail_at_once_and_then_one_mail_gathering_everything(self, app, world, project):
        choose(world.lead, NotificationDelivery.DAILY_DIGEST)
        for number in range(3):
            make_item(world.jelgava, project, "submitted", invoice_number=f"J-{number}")
        make_item(world.pasvalys, project, "submitted", invoice_number="P-1")
        assert take_delivered_mail(app) == []
        assert len(notifications(mailed_at=None)) == 4

        assert send_digests(utcnow()) == 1
        (digest,) = take_delivered_mail(app)
        assert digest["To"] == "lead@pasvalys.example"
        text = digest.get_content()
        assert "4 things happened in BibNet since the last digest:" in text
        assert text.count("Jelgava Municipality submitted expenditure for verification") == 3
        assert "Pasvalys District Municipality submitted expenditure for verification" in text

        assert send_digests(utcnow()) == 0  # the second run finds nothing waiting
        assert take_delivered_mail(app) == []
        assert notifications(mailed_at=None) == []

    def test_the_digest_job_runs_once_a_morning_however_often_the_runner_is_started(self, app, world, project):
        from datetime import datetime, time, timedelta
        from zoneinfo import ZoneInfo

        from bibnet import jobs

        choose(world.lead, NotificationDelivery.DAILY_DIGEST)
        make_item(world.jelgava, project, "submitted")
        now = datetime.combine(utcnow().date(), time(8), ZoneInfo("Europe/Riga"))  # the digest's hour is 07:00
        assert [job.name for job, _ in jobs.run_due(now, only="notifications.digest")] == ["notifications.digest"]
        make_item(world.jelgava, project, "submitted", invoice_number="J-2")
        for minutes in (5, 10, 60 * 22):  # until 06:00 the next morning
            assert jobs.run_due(now + timedelta(minutes=minutes), only="notifications.digest") == []
        assert len(take_delivered_mail(app)) == 1
        assert [job.name for job, _ in jobs.run_due(now + timedelta(days=1), only="notifications.digest")] == ["notifications.digest"]
        (second_day,) = take_delivered_mail(app)  # with the item submitted since
        assert "1 thing happened in BibNet since the last digest:" in second_day.get_content()

    def test_an_immediate_reader_is_not_mailed_again_by_the_digest(self, app, world, project):
        make_item(world.jelgava, project, "submitted")
        assert len(take_delivered_mail(app)) == 1
        assert send_digests(utcnow()) == 0
        assert take_delivered_mail(app) == []


def test_notifications_are_deleted_on_time_after_they_were_mailed(app, world, project):
    from datetime import timedelta

    from bibnet.notifications import erase_mailed

    make_item(world.jelgava, project, "submitted")
    days = app.config["NOTIFICATION_RETENTION_DAYS"]
    assert erase_mailed(utcnow() + timedelta(days=days - 1)) == 0
    assert erase_mailed(utcnow() + timedelta(days=days, minutes=1)) == 1
    assert notifications() == []



def test_the_privacy_notice_states_how_long_notifications_are_kept(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFICATION_RETENTION_DAYS", 14)
    page = client.get("/privacy").get_data(as_text=True)
    assert "Notifications of work waiting for you: their text and link" in page
    assert "Deleted 14 days after it was mailed" in page


def test_what_waited_for_the_digest_is_still_mailed_to_a_user_who_went_back_to_a_mail_each_time(app, world, project):
    choose(world.lead, NotificationDelivery.DAILY_DIGEST)
    make_item(world.jelgava, project, "submitted")
    choose(world.lead, NotificationDelivery.IMMEDIATE)
    assert send_digests(utcnow()) == 1
    (digest,) = take_delivered_mail(app)
    assert "1 thing happened in BibNet since the last digest:" in digest.get_content()
