"""After a leaver's records are anonymised nothing links that person to their learning any more: quiz attempts,
SCORM attempts (with their suspend data) and due-date reminders go with the anonymisation; a certificate, the
holder's credential, stays until its own period after expiry (or issue) has passed, then /verify calls it unknown.
People still on the staff are never erased, and the figures of past periods stay the same."""
from datetime import UTC, date, datetime, timedelta

from elearning_fixtures import make_course
import sqlalchemy as sa
from test_workshop_leavers import DONE, figures, leave, trained

from bibnet import retention
from bibnet.accounts.models import Role, User
from bibnet.elearning.certificates import services as certificate_services
from bibnet.elearning.certificates.models import Certificate, CertificateReminder
from bibnet.elearning.certificates.retention import erase_certificates
from bibnet.elearning.leavers import erase_leavers
from bibnet.elearning.models import DueReminder, Enrolment, Lesson
from bibnet.elearning.packages.models import ScormAttempt
from bibnet.elearning.quizzes.models import Quiz, QuizAttempt
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

AFTER_THE_PERIOD = datetime(2026, 12, 1, tzinfo=UTC)  # more than 365 days after DONE


def learning_traces(world, user, course, code):
    """A quiz attempt, a SCORM attempt with suspend data, a due-date reminder and a certificate (with an expiry
    reminder) of `user`'s completed enrolment of `course`."""
    with tenant_scope(world.jelgava):
        enrolment = db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id))
        lesson_id = db.session.scalar(sa.select(Lesson.id).where(Lesson.module.has(course_id=course.id)).order_by(Lesson.id).limit(1))
        quiz = Quiz(lesson_id=lesson_id)
        db.session.add(quiz)
        db.session.flush()
        db.session.add(QuizAttempt(quiz_id=quiz.id, user_id=user.id, enrolment_id=enrolment.id, started_at=DONE, submitted_at=DONE,
                                   answers={"1": [2]}, results={"1": True}, question_count=1, correct_count=1, pass_mark=50, passed=True))
        db.session.add(ScormAttempt(user_id=user.id, lesson_id=lesson_id, lesson_status="incomplete", suspend_data="page=7;notes=my own words"))
        db.session.add(DueReminder(enrolment_id=enrolment.id, kind="overdue", due_on=DONE.date(), sent_at=DONE))
        certificate = Certificate(code=code, user_id=user.id, course_id=course.id, enrolment_id=enrolment.id, issued_at=DONE, valid_until=date(2027, 3, 3))
        db.session.add(certificate)
        db.session.flush()
        db.session.add(CertificateReminder(certificate_id=certificate.id, days_before=30, sent_at=DONE))
        db.session.commit()


def count(model, *conditions) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


def test_nothing_links_an_anonymised_leaver_to_their_quizzes_scorm_attempts_or_reminders(world, make_user):
    course = make_course(owner_tenant=world.jelgava)
    anna = make_user("anna@jelgava.example", "Anna", world.jelgava, Role.STAFF)
    trained(world, anna, course)
    learning_traces(world, anna, course, "ANNAAAAAA2")
    leave(world, anna)
    assert erase_leavers(AFTER_THE_PERIOD) == 1
    with tenant_scope(world.jelgava):
        enrolment_id = db.session.scalar(sa.select(Enrolment.id).where(Enrolment.course_id == course.id))
        assert count(QuizAttempt, QuizAttempt.user_id == anna.id) == 0
        assert count(QuizAttempt, QuizAttempt.enrolment_id == enrolment_id) == 0
        assert count(ScormAttempt, ScormAttempt.user_id == anna.id) == 0
        assert count(DueReminder, DueReminder.enrolment_id == enrolment_id) == 0
        # The certificate is her credential: it outlives the anonymisation, until its own period has passed.
        assert count(Certificate, Certificate.user_id == anna.id) == 1


def test_a_person_still_a_member_is_never_erased(world):
    course = make_course(owner_tenant=world.jelgava)
    trained(world, world.staff, course)
    learning_traces(world, world.staff, course, "STAFFSTAF2")
    long_after = datetime(2040, 1, 1, tzinfo=UTC)
    assert erase_leavers(long_after) == 0
    assert erase_certificates(long_after) == 0
    with tenant_scope(world.jelgava):
        assert count(Enrolment, Enrolment.user_id == world.staff.id) == 1
        assert count(QuizAttempt, QuizAttempt.user_id == world.staff.id) == 1
        assert count(ScormAttempt, ScormAttempt.user_id == world.staff.id) == 1
        assert count(DueReminder) == 1
        assert count(Certificate, Certificate.user_id == world.staff.id) == 1
        assert count(CertificateReminder) == 1


def test_a_deactivated_account_is_a_leaver_of_every_library_even_with_an_active_membership(world, make_user):
    course = make_course(owner_tenant=world.jelgava)
    anna = make_user("anna@jelgava.example", "Anna", world.jelgava, Role.STAFF)
    trained(world, anna, course)
    learning_traces(world, anna, course, "ANNAAAAAA3")
    db.session.get(User, anna.id).active = False
    db.session.commit()
    assert erase_leavers(AFTER_THE_PERIOD) == 1
    with tenant_scope(world.jelgava):
        assert count(Enrolment, Enrolment.user_id == anna.id) == 0
        assert count(QuizAttempt, QuizAttempt.user_id == anna.id) == 0
        assert count(ScormAttempt, ScormAttempt.user_id == anna.id) == 0


def test_a_leavers_certificate_is_kept_until_the_period_after_it_expired_then_verify_calls_it_unknown(app, client, world, make_user):
    course = make_course(owner_tenant=world.jelgava)
    anna = make_user("anna@jelgava.example", "Anna", world.jelgava, Role.STAFF)
    trained(world, anna, course)
    learning_traces(world, anna, course, "ANNAAAAAA6")
    leave(world, anna)
    last_kept = datetime(2027, 3, 3, 12, tzinfo=UTC) + timedelta(days=app.config["ELEARNING_CERTIFICATE_RETENTION_DAYS"])
    assert erase_certificates(last_kept) == 0
    page = client.get(f"/verify/{certificate_services.shown('ANNAAAAAA6')}")
    assert page.status_code == 200 and "A." in page.get_data(as_text=True)  # still verifiable, with her initials
    assert erase_certificates(last_kept + timedelta(days=1)) == 1
    with tenant_scope(world.jelgava):
        assert count(Certificate) == 0 and count(CertificateReminder) == 0
    assert certificate_services.verify("ANNAAAAAA6", last_kept.date()) is None
    assert client.get(f"/verify/{certificate_services.shown('ANNAAAAAA6')}").status_code == 404
    assert erase_certificates(last_kept + timedelta(days=1)) == 0  # nothing twice


def test_a_certificate_that_never_expires_is_kept_for_the_period_after_it_was_issued(app, world, make_user):
    course = make_course(owner_tenant=world.jelgava)
    anna = make_user("anna@jelgava.example", "Anna", world.jelgava, Role.STAFF)
    trained(world, anna, course)
    learning_traces(world, anna, course, "ANNAAAAAA4")
    with tenant_scope(world.jelgava):
        db.session.scalar(sa.select(Certificate)).valid_until = None
        db.session.commit()
    leave(world, anna)
    days = app.config["ELEARNING_CERTIFICATE_RETENTION_DAYS"]
    assert erase_certificates(DONE + timedelta(days=days)) == 0
    assert erase_certificates(DONE + timedelta(days=days + 2)) == 1


def test_past_funding_report_figures_are_unchanged_after_every_erasure(world, make_user):
    shared = make_course(project=world.project)
    anna = make_user("anna@jelgava.example", "Anna", world.jelgava, Role.STAFF)
    trained(world, anna, shared)
    trained(world, world.staff, shared)
    learning_traces(world, anna, shared, "ANNAAAAAA5")
    leave(world, anna)
    before = figures(world)
    assert erase_leavers(AFTER_THE_PERIOD) == 1
    assert erase_certificates(datetime(2040, 1, 1, tzinfo=UTC)) == 1
    assert figures(world) == before


def test_the_certificate_period_is_on_the_privacy_page_entries(app):
    with app.test_request_context():
        entry = next(entry for entry in retention.entries() if entry.name == "elearning.certificates")
        assert entry.days == 1825 and "1825 days" in entry.period_text()
