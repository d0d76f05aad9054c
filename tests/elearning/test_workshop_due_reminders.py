"""Due-date reminders: a learner due within a week is reminded once, an overdue one once more, in their own
language; a completed enrolment, a leaver and a later run get nothing; a moved due date is reminded of again."""
from datetime import UTC, datetime, timedelta

from elearning_fixtures import make_course
import sqlalchemy as sa

from bibnet import jobs
from bibnet.accounts.models import Membership, Role
from bibnet.elearning.models import Enrolment
from bibnet.elearning.reminders import send_due_reminders
from bibnet.extensions import db
from bibnet.notifications import Notification
from bibnet.tenancy.context import tenant_scope

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
TODAY = NOW.date()


def enrol(world, user, course, due_in_days, completed=False):
    with tenant_scope(world.jelgava):
        enrolment = Enrolment(user_id=user.id, course_id=course.id, due_on=TODAY + timedelta(days=due_in_days), completed_at=NOW if completed else None)
        db.session.add(enrolment)
        db.session.commit()
        return enrolment


def sent() -> list[tuple[int, str, str]]:
    return [tuple(row) for row in db.session.execute(sa.select(Notification.user_id, Notification.kind, Notification.subject).order_by(Notification.id))]


def test_due_soon_and_overdue_are_reminded_once_each_in_the_learners_language(world, make_user):
    course = make_course(owner_tenant=world.jelgava, title={"en": "Welcoming visitors", "lv": "Apmeklētāju uzņemšana"})
    anna = make_user("anna@jelgava.example", "Anna", world.jelgava, Role.STAFF, locale="lv")
    enrol(world, anna, course, 7)  # due in a week: reminded
    enrol(world, world.staff, course, -1)  # overdue: reminded once, as overdue only
    enrol(world, world.coordinator, course, 8)  # due later: not yet
    assert send_due_reminders(NOW) == 2
    assert sent() == [(anna.id, "elearning.due_soon", "Termiņš tuvojas: Apmeklētāju uzņemšana"), (world.staff.id, "elearning.overdue", "Overdue: Welcoming visitors")]
    assert send_due_reminders(NOW + timedelta(hours=1)) == 0  # idempotent
    assert send_due_reminders(NOW + timedelta(days=8)) == 2  # Anna is overdue now; the coordinator is due soon
    assert sent()[2:] == [(anna.id, "elearning.overdue", "Nokavēts: Apmeklētāju uzņemšana"), (world.coordinator.id, "elearning.due_soon", "Due soon: Welcoming visitors")]


def test_completed_enrolments_and_people_who_left_are_not_reminded(world, make_user):
    course = make_course(owner_tenant=world.jelgava)
    enrol(world, world.staff, course, 2, completed=True)
    enrol(world, world.coordinator, course, 2)
    with tenant_scope(world.jelgava):
        db.session.scalar(sa.select(Membership).where(Membership.user_id == world.coordinator.id)).active = False
        db.session.commit()
    assert send_due_reminders(NOW) == 0


def test_a_moved_due_date_is_reminded_of_again(world):
    course = make_course(owner_tenant=world.jelgava)
    enrolment = enrol(world, world.staff, course, 3)
    assert send_due_reminders(NOW) == 1
    with tenant_scope(world.jelgava):
        db.session.get(Enrolment, enrolment.id).due_on = TODAY + timedelta(days=5)
        db.session.commit()
    assert send_due_reminders(NOW) == 1


def test_the_job_is_registered(app):
    with app.app_context():
        assert "elearning.due_reminders" in {job.name for job in jobs.registered_jobs()}
