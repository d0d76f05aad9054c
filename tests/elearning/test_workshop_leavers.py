"""Records of people who left: kept as they are for the retention period after their last training activity,
then anonymised on time, so that the figures of a past period are the same before and after."""
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from elearning_fixtures import make_course
import sqlalchemy as sa

from bibnet import retention
from bibnet.accounts.models import Membership, Role
from bibnet.elearning.leavers import erase_leavers
from bibnet.elearning.models import Enrolment, Lesson, LessonProgress
from bibnet.elearning.workshops.models import Workshop, WorkshopAttendee
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.funding_reports import indicators

PERIOD = SimpleNamespace(starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
DONE = datetime(2025, 3, 3, 10, tzinfo=UTC)


def trained(world, user, course, workshop=None, at=DONE):
    with tenant_scope(world.jelgava):
        enrolment = Enrolment(user_id=user.id, course_id=course.id, completed_at=at, created_at=at)
        db.session.add(enrolment)
        db.session.flush()
        for lesson_id in db.session.scalars(sa.select(Lesson.id).where(Lesson.module.has(course_id=course.id))):
            db.session.add(LessonProgress(enrolment_id=enrolment.id, lesson_id=lesson_id, completed_at=at, workshop_id=workshop.id if workshop else None))
        if workshop:
            db.session.add(WorkshopAttendee(workshop_id=workshop.id, user_id=user.id, quiz_score=75))
        db.session.commit()


def leave(world, user):
    with tenant_scope(world.jelgava):
        db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id)).active = False
        db.session.commit()


def figures(world) -> list:
    with tenant_scope(world.jelgava):
        return indicators.of_partner(world.jelgava, PERIOD).rows


def test_leavers_are_anonymised_after_the_period_and_past_figures_stay_the_same(app, world, make_user):
    shared, own = make_course(project=world.project), make_course(owner_tenant=world.jelgava, title={"en": "Own"})
    anna, recent = make_user("anna@jelgava.example", "Anna", world.jelgava, Role.STAFF), make_user("recent@jelgava.example", "Recent", world.jelgava, Role.STAFF)
    with tenant_scope(world.jelgava):
        workshop = Workshop(held_on=DONE.date(), course_id=shared.id, facilitator="Dace")
        db.session.add(workshop)
        db.session.commit()
    trained(world, anna, shared, workshop)  # left: two courses, one in person
    trained(world, anna, own, at=DONE + timedelta(days=1))
    trained(world, world.staff, shared)  # still on the staff
    trained(world, recent, shared, at=datetime(2026, 11, 1, tzinfo=UTC))  # left, but trained lately
    leave(world, anna)
    leave(world, recent)
    before = figures(world)
    assert dict(before)["Staff who completed a course"] == [2]
    assert erase_leavers(datetime(2026, 12, 1, tzinfo=UTC)) == 2  # Anna's two enrolments; 365 days after 4 March 2025
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(Enrolment.user_id == anna.id)) == 0
        keys = set(db.session.scalars(sa.select(Enrolment.former_learner_key).where(Enrolment.user_id.is_(None))))
        assert len(keys) == 1 and None not in keys  # one former learner, told apart from everyone else
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkshopAttendee)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress).where(LessonProgress.workshop_id == workshop.id)) == 3
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(Enrolment.user_id == recent.id)) == 1
    assert figures(world) == before
    assert erase_leavers(datetime(2026, 12, 1, tzinfo=UTC)) == 0  # nothing twice


def test_a_leaver_is_kept_until_the_period_after_their_last_activity_has_passed(world):
    course = make_course(owner_tenant=world.jelgava)
    trained(world, world.staff, course)
    leave(world, world.staff)
    assert erase_leavers(DONE + timedelta(days=364)) == 0
    assert erase_leavers(DONE + timedelta(days=366)) == 1


def test_the_period_is_on_the_privacy_page_entries(app):
    with app.test_request_context():
        entry = next(entry for entry in retention.entries() if entry.name == "elearning.leavers")
        assert entry.days == 365 and "365 days" in entry.period_text()
