"""Training figures as the funding reports read them from the core's registry: staff who completed a course
online or in person (in person when a required lesson came from a workshop), training hours, and the
project's shared courses as the programme indicators RCO85 and RCR81, each by the library's local days."""
from datetime import UTC, date, datetime
from types import SimpleNamespace

from elearning_fixtures import make_course
import sqlalchemy as sa

from bibnet.accounts.models import Role
from bibnet.elearning.models import Enrolment, Lesson, LessonProgress
from bibnet.elearning.report_figures import hours
from bibnet.elearning.workshops.models import Workshop
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.funding_reports import indicators

PERIOD = SimpleNamespace(starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30))
RIGA_NEW_YEAR = datetime(2025, 12, 31, 22, 0, tzinfo=UTC)  # 1 January 2026, 00:00 in Riga
ONLINE, IN_PERSON = "Staff who completed a course: online", "Staff who completed a course: in person"
HOURS, RCO85, RCR81 = "Training hours of completed courses", "Participations in the project's shared courses (RCO85)", "Staff who completed a shared course of the project (RCR81)"


def completed(tenant, user, course, at, workshop=False, first_lesson_at=None):
    """An enrolment completed at `at`, its lessons done then (the first at `first_lesson_at`), by a workshop or online."""
    lessons = db.session.scalars(sa.select(Lesson.id).join(Lesson.module).where(Lesson.module.has(course_id=course.id)).order_by(Lesson.id)).all()
    with tenant_scope(tenant):
        workshop_id = None
        if workshop:
            held = Workshop(held_on=at.date(), course_id=course.id, facilitator="Dace")
            db.session.add(held)
            db.session.flush()
            workshop_id = held.id
        enrolment = Enrolment(user_id=user.id, course_id=course.id, completed_at=at)
        db.session.add(enrolment)
        db.session.flush()
        for number, lesson_id in enumerate(lessons):
            done_at = (first_lesson_at or at) if number == 0 else at
            db.session.add(LessonProgress(enrolment_id=enrolment.id, lesson_id=lesson_id, completed_at=done_at, workshop_id=workshop_id))
        db.session.commit()


def rows(tenant) -> dict:
    with tenant_scope(tenant):
        return {label: values[0] for label, values in indicators.of_partner(tenant, PERIOD).rows}


def test_online_and_in_person_add_up_to_the_staff_who_completed_at_the_periods_edges(world, make_user):
    course, other = make_course(owner_tenant=world.jelgava), make_course(owner_tenant=world.jelgava, title={"en": "Two"})
    anna, janis, late, early, both = (make_user(f"{name}@jelgava.example", name.title(), world.jelgava, Role.STAFF) for name in ("anna", "janis", "late", "early", "both"))
    completed(world.jelgava, anna, course, RIGA_NEW_YEAR, workshop=True)  # the period's first minute, in Riga
    completed(world.jelgava, janis, course, datetime(2026, 6, 30, 20, 59, tzinfo=UTC))  # 23:59 on its last day
    completed(world.jelgava, late, course, datetime(2026, 6, 30, 21, 0, tzinfo=UTC), workshop=True)  # 1 July in Riga
    completed(world.jelgava, early, course, datetime(2025, 12, 31, 21, 59, tzinfo=UTC), workshop=True)  # 2025 in Riga
    completed(world.jelgava, both, course, datetime(2026, 2, 1, 9, tzinfo=UTC))  # online, and in person in another course:
    completed(world.jelgava, both, other, datetime(2026, 3, 1, 9, tzinfo=UTC), workshop=True)  # counts once, in person
    figures = rows(world.jelgava)
    assert (figures["Staff who completed a course"], figures[ONLINE], figures[IN_PERSON]) == (3, 1, 2)


def test_an_optional_lesson_from_a_workshop_does_not_make_a_completion_in_person(world):
    course = make_course(owner_tenant=world.jelgava)
    completed(world.jelgava, world.staff, course, datetime(2026, 2, 1, 9, tzinfo=UTC))
    optional = db.session.scalar(sa.select(Lesson.id).where(Lesson.required.is_(False)))
    with tenant_scope(world.jelgava):
        held = Workshop(held_on=date(2026, 2, 1), course_id=course.id, facilitator="Dace")
        db.session.add(held)
        db.session.flush()
        db.session.scalar(sa.select(LessonProgress).where(LessonProgress.lesson_id == optional)).workshop_id = held.id
        db.session.commit()
    assert (rows(world.jelgava)[ONLINE], rows(world.jelgava)[IN_PERSON]) == (1, 0)


def test_training_hours_are_the_required_lessons_minutes_summed_then_rounded_half_up(world, make_user):
    course = make_course(owner_tenant=world.jelgava)  # two required lessons of 10 minutes, one optional
    for number in range(7):
        completed(world.jelgava, make_user(f"p{number}@jelgava.example", f"P{number}", world.jelgava, Role.STAFF), course, datetime(2026, 4, 1, 9, tzinfo=UTC))
    assert rows(world.jelgava)[HOURS] == hours(140) == hours(7 * 20)
    assert str(hours(140)) == "2.3" and str(hours(3)) == "0.1" and str(hours(2)) == "0.0"  # 0.05 h rounds up, 0.033 h down


def test_only_the_projects_shared_courses_count_as_joint_training(world, make_user):
    shared, own = make_course(project=world.project), make_course(owner_tenant=world.jelgava, title={"en": "Own"})
    anna, janis, kamila = (make_user(f"{name}@jelgava.example", name.title(), world.jelgava, Role.STAFF) for name in ("anna", "janis", "kamila"))
    completed(world.jelgava, anna, shared, datetime(2026, 2, 1, 9, tzinfo=UTC), workshop=True)
    completed(world.jelgava, janis, own, datetime(2026, 2, 1, 9, tzinfo=UTC))  # a library's own course: neither
    # Started in the last period, completed in this one: a completion now, a participation then (reported once).
    completed(world.jelgava, kamila, shared, datetime(2026, 1, 10, 9, tzinfo=UTC), first_lesson_at=datetime(2025, 12, 20, 9, tzinfo=UTC))
    with tenant_scope(world.jelgava):  # started in the period and not finished: a participation, no completion
        enrolment = Enrolment(user_id=world.staff.id, course_id=shared.id)
        db.session.add(enrolment)
        db.session.flush()
        db.session.add(LessonProgress(enrolment_id=enrolment.id, lesson_id=db.session.scalar(sa.select(Lesson.id).join(Lesson.module).where(Lesson.module.has(course_id=shared.id)).limit(1)), completed_at=datetime(2026, 6, 30, 20, 59, tzinfo=UTC)))
        db.session.commit()
    figures = rows(world.jelgava)
    assert (figures[RCO85], figures[RCR81]) == (2, 2)
