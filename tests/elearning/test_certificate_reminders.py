"""Expiry reminders: the daily job tells the holder and their library's coordinators, each in their own language,
once per certificate, 30 days before it expires; revoked, expired and lasting certificates are not announced."""
from datetime import timedelta

from certificate_fixtures import certificates_of, complete
from elearning_fixtures import make_course
import sqlalchemy as sa

from bibnet import jobs
from bibnet.db import utcnow
from bibnet.elearning.certificates import reminders
from bibnet.elearning.certificates.models import Certificate
from bibnet.extensions import db
from bibnet.notifications import Notification
from bibnet.tenancy.context import tenant_scope

from conftest import take_delivered_mail


def expiring_in(world, days: int, tenant=None, user=None) -> Certificate:
    tenant, user = tenant or world.jelgava, user or world.staff
    course = make_course(owner_tenant=tenant, title={"en": "Welcoming visitors", "lv": "Apmeklētāju uzņemšana"}, languages=("en", "lv"))
    complete(tenant, user, course)
    with tenant_scope(tenant):
        certificate = db.session.scalar(sa.select(Certificate).where(Certificate.course_id == course.id))
        certificate.valid_until = utcnow().date() + timedelta(days=days)
        db.session.commit()
        return certificate


def test_the_holder_and_the_coordinators_are_told_once_each_in_their_language(world, app):
    world.coordinator.locale = "lv"
    db.session.commit()
    expiring_in(world, 20)
    now = utcnow()
    assert reminders.send_reminders(now) == 1
    assert reminders.send_reminders(now + timedelta(days=1)) == 0  # the next day's run sends nothing again
    mails = {str(mail["To"]): mail for mail in take_delivered_mail(app)}
    assert set(mails) == {"staff@jelgava.example", "coordinator@jelgava.example"}
    assert mails["staff@jelgava.example"]["Subject"].startswith("Your certificate expires on")
    assert "Welcoming visitors" in mails["staff@jelgava.example"].get_content()
    coordinator = mails["coordinator@jelgava.example"]
    assert "Apmeklētāju uzņemšana" in coordinator.get_content() and "Jānis Staff" in coordinator.get_content()
    assert coordinator["Subject"].startswith("Jūsu darbinieka apliecības derīgums beidzas")


def test_certificates_far_from_expiry_expired_revoked_or_lasting_are_not_announced(world, app):
    expiring_in(world, 45)
    expiring_in(world, -1)
    revoked = expiring_in(world, 10)
    with tenant_scope(world.jelgava):
        db.session.get(Certificate, revoked.id).revoked_at = utcnow()
        db.session.commit()
    complete(world.jelgava, world.coordinator, make_course(owner_tenant=world.jelgava))  # valid for good
    assert reminders.send_reminders(utcnow()) == 0
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0


def test_each_library_tells_its_own_coordinators(world, app):
    expiring_in(world, 5, world.pasvalys, world.other_staff)
    assert reminders.send_reminders(utcnow()) == 1
    assert {str(mail["To"]) for mail in take_delivered_mail(app)} == {"staff@pasvalys.example", "coordinator@pasvalys.example"}


def test_the_job_is_registered_and_runs_from_the_job_runner(world, app):
    expiring_in(world, 3)
    ran = {job.name: outcome for job, outcome in jobs.run_due(utcnow(), only="certificates.expiry_reminders")}
    assert ran == {"certificates.expiry_reminders": "announced 1 expiring certificate(s)"}
    assert len(certificates_of(world.jelgava)) == 1
