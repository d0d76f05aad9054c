"""Recording an in-person workshop: it completes the lessons it covered as online study would, marked as in
person; bad input is refused field by field with nothing written; correcting attendees undoes exactly what the
workshop recorded for a person removed."""
from dataclasses import replace
from datetime import timedelta

from elearning_fixtures import make_course
import pytest
import sqlalchemy as sa

from bibnet.accounts.models import Membership, Role
from bibnet.db import utcnow
from bibnet.elearning import learning
from bibnet.elearning.models import Course, CourseModule, Enrolment, Lesson, LessonProgress
from bibnet.elearning.workshops import services
from bibnet.elearning.workshops.models import Workshop, WorkshopAttendee
from bibnet.elearning.workshops.services import Attendance, WorkshopInput
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope


def workshop_input(course, attendees, **changes) -> WorkshopInput:
    fields = WorkshopInput(utcnow().date() - timedelta(days=1), course.id, None, "Dace Trainer", "Reading room", tuple(attendees))
    return replace(fields, **changes)


def record(world, data):
    with tenant_scope(world.jelgava):
        workshop = services.record(data, world.jelgava, world.coordinator)
        db.session.commit()
        return workshop


def counts():
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(table)) for table in (Workshop, WorkshopAttendee, Enrolment, LessonProgress))


def test_a_workshop_on_the_whole_course_completes_it_for_each_attendee_marked_in_person(world, make_user):
    course = make_course(project=world.project)
    anna = make_user("anna@jelgava.example", "Anna", world.jelgava, Role.STAFF)
    completions = []
    learning.on_completion(listener := lambda enrolment, completed: completions.append(enrolment.user_id))
    try:
        workshop = record(world, workshop_input(course, [Attendance(world.staff.id, 80), Attendance(anna.id)]))
    finally:
        learning._completion_listeners.remove(listener)
    with tenant_scope(world.jelgava):
        enrolments = db.session.scalars(sa.select(Enrolment).order_by(Enrolment.user_id)).all()
        assert [(e.user_id, e.completed_at is not None, e.enrolled_by_id) for e in enrolments] == [(world.staff.id, True, world.coordinator.id), (anna.id, True, world.coordinator.id)]
        marks = db.session.scalars(sa.select(LessonProgress.workshop_id)).all()
        assert len(marks) == 6 and set(marks) == {workshop.id}  # every lesson, optional ones too, for both
        assert dict(db.session.execute(sa.select(WorkshopAttendee.user_id, WorkshopAttendee.quiz_score)).all()) == {world.staff.id: 80, anna.id: None}
    assert sorted(completions) == sorted([world.staff.id, anna.id])  # certificates and other listeners run


def test_a_workshop_on_one_module_completes_only_that_modules_lessons_in_the_open_enrolment(world):
    course = make_course(owner_tenant=world.jelgava)
    with tenant_scope(world.jelgava):
        second = CourseModule(course_id=course.id, position=1, title={"en": "Two"})
        db.session.add(second)
        db.session.flush()
        db.session.add(Lesson(module_id=second.id, title={"en": "Later"}, content={"en": "x"}, required=True))
        learning.enrol(course, [world.staff.id], None, world.coordinator)
        db.session.commit()
        enrolment_id = db.session.scalar(sa.select(Enrolment.id))
    first_module = db.session.scalar(sa.select(CourseModule.id).where(CourseModule.course_id == course.id, CourseModule.id != second.id))
    record(world, workshop_input(course, [Attendance(world.staff.id)], module_id=first_module))
    with tenant_scope(world.jelgava):
        enrolment = db.session.scalar(sa.select(Enrolment))
        assert (enrolment.id, enrolment.completed_at) == (enrolment_id, None)  # the open enrolment, not a new one
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 3


def test_a_lesson_done_online_before_keeps_being_online(world):
    course = make_course(owner_tenant=world.jelgava)
    lessons = db.session.scalars(sa.select(Lesson).order_by(Lesson.id)).all()
    with tenant_scope(world.jelgava):
        learning.enrol(course, [world.staff.id], None, world.coordinator)
        enrolment = db.session.scalar(sa.select(Enrolment))
        learning.mark_done(enrolment, lessons[0], services.with_lessons(course.id))
        db.session.commit()
    workshop = record(world, workshop_input(course, [Attendance(world.staff.id)]))
    with tenant_scope(world.jelgava):
        assert dict(db.session.execute(sa.select(LessonProgress.lesson_id, LessonProgress.workshop_id)).all()) == {
            lessons[0].id: None, lessons[1].id: workshop.id, lessons[2].id: workshop.id,
        }


@pytest.mark.parametrize(("changes", "field"), [
    ({"held_on": None}, "held_on"),
    ({"held_on": utcnow().date() + timedelta(days=2)}, "held_on"),
    ({"course_id": None}, "course"),
    ({"facilitator": "  "}, "facilitator"),
    ({"facilitator": "x" * 201}, "facilitator"),
    ({"place": "x" * 201}, "place"),
    ({"attendees": ()}, "attendees"),
    ({"attendees": (Attendance(1, 101),)}, "scores"),
    ({"attendees": (Attendance(1, -1),)}, "scores"),
])
def test_bad_input_is_refused_by_field_and_nothing_is_written(world, changes, field):
    course = make_course(owner_tenant=world.jelgava)
    changes = {key: (tuple(Attendance(world.staff.id, a.quiz_score) for a in value) if key == "attendees" else value) for key, value in changes.items()}
    with tenant_scope(world.jelgava), pytest.raises(Refused) as refused:
        services.record(workshop_input(course, changes.pop("attendees", [Attendance(world.staff.id)]), **changes), world.jelgava, world.coordinator)
    assert field in refused.value.errors
    db.session.rollback()
    with tenant_scope(world.jelgava):
        assert counts() == (0, 0, 0, 0)


def test_an_attendee_of_another_library_or_who_left_is_refused(world):
    course = make_course(project=world.project)
    with tenant_scope(world.jelgava):
        db.session.scalar(sa.select(Membership).where(Membership.user_id == world.coordinator.id)).active = False
        db.session.commit()
    for attendee in (world.other_staff, world.coordinator):
        with tenant_scope(world.jelgava), pytest.raises(Refused) as refused:
            services.record(workshop_input(course, [Attendance(world.staff.id), Attendance(attendee.id)]), world.jelgava, world.staff)
        assert refused.value.errors["attendees"] == [services.NOT_STAFF]
        db.session.rollback()
    with tenant_scope(world.jelgava):
        assert counts() == (0, 0, 0, 0)


def test_a_course_the_library_cannot_see_a_draft_and_a_module_of_another_course_are_refused(world):
    theirs = make_course(owner_tenant=world.pasvalys)
    draft = make_course(owner_tenant=world.jelgava, published=False)
    ours = make_course(owner_tenant=world.jelgava)
    their_module = db.session.scalar(sa.select(CourseModule.id).where(CourseModule.course_id == theirs.id))
    for course, changes, field in ((theirs, {}, "course"), (draft, {}, "course"), (ours, {"module_id": their_module}, "module")):
        with tenant_scope(world.jelgava), pytest.raises(Refused) as refused:
            services.record(workshop_input(course, [Attendance(world.staff.id)], **changes), world.jelgava, world.coordinator)
        assert field in refused.value.errors
        db.session.rollback()
    with tenant_scope(world.jelgava):
        assert counts() == (0, 0, 0, 0)


def test_today_is_the_librarys_today(world, monkeypatch):
    """At 23:30 UTC on 1 March it is already 2 March in Riga: a workshop of 2 March is not in the future."""
    from datetime import UTC, date, datetime

    from bibnet.tenancy import models as tenancy_models

    course = make_course(owner_tenant=world.jelgava)
    monkeypatch.setattr(tenancy_models, "utcnow", lambda: datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    record(world, workshop_input(course, [Attendance(world.staff.id)], held_on=date(2026, 3, 2)))
    with tenant_scope(world.jelgava), pytest.raises(Refused):
        services.record(workshop_input(course, [Attendance(world.staff.id)], held_on=date(2026, 3, 3)), world.jelgava, world.coordinator)


def test_removing_an_attendee_undoes_what_the_workshop_recorded_for_them_only(world, make_user):
    course = make_course(owner_tenant=world.jelgava)
    anna = make_user("anna@jelgava.example", "Anna", world.jelgava, Role.STAFF)
    janis_online = db.session.scalar(sa.select(Lesson).order_by(Lesson.id))
    with tenant_scope(world.jelgava):  # Jānis had done the first lesson online; Anna had no enrolment
        learning.enrol(course, [world.staff.id], None, world.coordinator)
        learning.mark_done(db.session.scalar(sa.select(Enrolment)), janis_online, services.with_lessons(course.id))
        db.session.commit()
    workshop = record(world, workshop_input(course, [Attendance(world.staff.id), Attendance(anna.id, 70)]))
    kamila = make_user("kamila@jelgava.example", "Kamila", world.jelgava, Role.STAFF)
    with tenant_scope(world.jelgava):
        added, removed = services.correct_attendees(db.session.get(Workshop, workshop.id), (Attendance(world.staff.id), Attendance(kamila.id, 90)), world.coordinator)
        db.session.commit()
        assert (added, removed) == (1, 1)
        enrolments = {e.user_id: e for e in db.session.scalars(sa.select(Enrolment))}
        assert set(enrolments) == {world.staff.id, kamila.id}  # Anna's enrolment, opened by the workshop, is gone
        assert enrolments[kamila.id].completed_at is not None
        assert dict(db.session.execute(sa.select(WorkshopAttendee.user_id, WorkshopAttendee.quiz_score)).all()) == {world.staff.id: None, kamila.id: 90}
        services.correct_attendees(db.session.get(Workshop, workshop.id), (Attendance(kamila.id, 90),), world.coordinator)
        db.session.commit()
        janis = db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == world.staff.id))
        assert janis.completed_at is None  # the completion rested on the workshop: withdrawn
        assert db.session.scalars(sa.select(LessonProgress.lesson_id).where(LessonProgress.enrolment_id == janis.id)).all() == [janis_online.id]


def test_a_removal_that_would_reopen_a_completion_beside_a_new_enrolment_is_refused(world):
    course = make_course(owner_tenant=world.jelgava)
    workshop = record(world, workshop_input(course, [Attendance(world.staff.id), Attendance(world.coordinator.id)]))
    with tenant_scope(world.jelgava):
        learning.start(db.session.get(Course, course.id), world.staff)  # a refresher, after the workshop
        db.session.commit()
        with pytest.raises(Refused) as refused:
            services.correct_attendees(db.session.get(Workshop, workshop.id), (Attendance(world.coordinator.id),), world.coordinator)
        assert "Jānis Staff" in str(refused.value.errors["attendees"][0])
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkshopAttendee)) == 2
