"""Enrolments and progress: the only code that enrols people, records a lesson as done and completes a course.

A course is complete when every required lesson is done. Progress is kept per lesson id: a lesson edited,
moved or translated after someone did it stays done; a required lesson added to a published course later is
not done by anyone yet, but a course completed before keeps its completion (it is the record of that day).
"""
from collections.abc import Callable, Iterable
from datetime import date

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.accounts.models import Membership, Role
from bibnet.db import utcnow
from bibnet.elearning.models import Course, CourseModule, Enrolment, Lesson, LessonProgress
from bibnet.extensions import db
from bibnet.refusals import Refused

# Called once when an enrolment completes (online study, a passed quiz or a recorded workshop), inside the
# caller's transaction: certificates are issued here without learning importing them.
CompletionListener = Callable[[Enrolment, Course], None]
_completion_listeners: list[CompletionListener] = []


def on_completion(listener: CompletionListener) -> CompletionListener:
    """Register `listener(enrolment, course)` to run when an enrolment completes; usable as a decorator."""
    if listener not in _completion_listeners:
        _completion_listeners.append(listener)
    return listener


NOT_PUBLISHED = _l("This course is not published yet: publish it before enrolling anyone.")
NOBODY_CHOSEN = _l("Choose the person to enrol.")
NOT_A_MEMBER = _l("This person is not a member of the library's staff.")


def lessons_in_order(course: Course) -> list[Lesson]:
    """The course's lessons in reading order (its modules and lessons must be loaded)."""
    return [lesson for module in course.modules for lesson in module.lessons]


def required_lesson_counts(course_ids: Iterable[int]) -> dict[int, int]:
    """Required lessons per course, in one grouped query."""
    ids = list(set(course_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(CourseModule.course_id, sa.func.count(Lesson.id))
        .join(Lesson, Lesson.module_id == CourseModule.id)
        .where(CourseModule.course_id.in_(ids), Lesson.required)
        .group_by(CourseModule.course_id)
    )
    return dict(rows.all())


def done_required_counts(enrolment_ids: Iterable[int]) -> dict[int, int]:
    """Required lessons done per enrolment, in one grouped query (through the tenant guard)."""
    ids = list(set(enrolment_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(LessonProgress.enrolment_id, sa.func.count(LessonProgress.id))
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.enrolment_id.in_(ids), Lesson.required)
        .group_by(LessonProgress.enrolment_id)
    )
    return dict(rows.all())


def done_lesson_ids(enrolment: Enrolment | None) -> set[int]:
    if enrolment is None:
        return set()
    return set(db.session.scalars(sa.select(LessonProgress.lesson_id).where(LessonProgress.enrolment_id == enrolment.id)))


def current_enrolment(user_id: int, course_id: int) -> Enrolment | None:
    """The person's open enrolment in the course, else their latest completed one (in the current tenant)."""
    return db.session.scalar(
        sa.select(Enrolment)
        .where(Enrolment.user_id == user_id, Enrolment.course_id == course_id)
        .order_by(Enrolment.completed_at.is_not(None), Enrolment.completed_at.desc(), Enrolment.id.desc())
        .limit(1)
    )


def _open_enrolled_user_ids(course_id: int, user_ids: list[int]) -> set[int]:
    return set(db.session.scalars(
        sa.select(Enrolment.user_id).where(Enrolment.course_id == course_id, Enrolment.user_id.in_(user_ids), Enrolment.completed_at.is_(None))
    ))


def enrol(course: Course, user_ids: list[int], due_on: date | None, by) -> int:
    """Enrol the library's members in the course; those already in it keep their enrolment (their due date is
    set when one is given). Returns how many were newly enrolled. The caller commits."""
    if not course.is_published:
        raise Refused({"course": [NOT_PUBLISHED]})
    already = _open_enrolled_user_ids(course.id, user_ids)
    if due_on is not None and already:
        for enrolment in db.session.scalars(
            sa.select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id.in_(already), Enrolment.completed_at.is_(None))
        ):
            enrolment.due_on = due_on
    new = [user_id for user_id in dict.fromkeys(user_ids) if user_id not in already]
    db.session.add_all([Enrolment(user_id=user_id, course_id=course.id, due_on=due_on, enrolled_by_id=by.id if by else None) for user_id in new])
    db.session.flush()
    return len(new)


def members(role: Role | None = None) -> list[int]:
    """Active members of the current library (of one role, or all)."""
    statement = sa.select(Membership.user_id).where(Membership.active)
    if role is not None:
        statement = statement.where(Membership.role == role)
    return list(db.session.scalars(statement.order_by(Membership.user_id)))


def start(course: Course, user) -> Enrolment:
    """The learner starts a published course on their own (an optional course), or goes on with it."""
    enrolment = current_enrolment(user.id, course.id)
    if enrolment is not None and enrolment.completed_at is None:
        return enrolment
    if not course.is_published:
        raise Refused({"course": [NOT_PUBLISHED]})
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    db.session.add(enrolment)
    db.session.flush()
    return enrolment


def mark_done(enrolment: Enrolment, lesson: Lesson, course: Course, workshop_id: int | None = None) -> bool:
    """Record the lesson as done (once: a lesson done before keeps how it was done) and complete the course when
    every required lesson is done; `workshop_id` names the in-person workshop that covered it. Returns whether
    this completed the course. The caller commits."""
    done = done_lesson_ids(enrolment)
    if lesson.id not in done:
        db.session.add(LessonProgress(enrolment_id=enrolment.id, lesson_id=lesson.id, completed_at=utcnow(), workshop_id=workshop_id))
        done.add(lesson.id)
    if enrolment.completed_at is not None:
        return False
    required = {each.id for each in lessons_in_order(course) if each.required}
    if required <= done:
        enrolment.completed_at = utcnow()
        db.session.flush()
        for listener in _completion_listeners:
            listener(enrolment, course)
        return True
    db.session.flush()
    return False


def first_unfinished(course: Course, done: set[int]) -> Lesson | None:
    """Where to resume: the first lesson in order not done yet (None: all done)."""
    return next((lesson for lesson in lessons_in_order(course) if lesson.id not in done), None)


def next_lesson(course: Course, lesson: Lesson) -> Lesson | None:
    ordered = lessons_in_order(course)
    index = next(i for i, each in enumerate(ordered) if each.id == lesson.id)
    return ordered[index + 1] if index + 1 < len(ordered) else None
