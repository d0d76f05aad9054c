"""Recording an in-person workshop and correcting who attended: the only code that writes workshops.

Everything asked for is checked before anything is written, and a refusal names every field that is wrong
(`Refused`): nothing of a refused workshop is kept.

What a workshop records, for each attendee: the lessons it covered (the module's, or every lesson of the
course) are marked done in the person's open enrolment in the course, through `learning.mark_done`, so the
course completes as online study would complete it (and its completion listeners, such as certificates, run).
A person without an open enrolment is enrolled first. A lesson already done keeps how it was done.

Correcting the attendees (`correct_attendees`) adds people as recording does and, for a person removed (they
did not attend), undoes what this workshop recorded for them and nothing else: the lesson progress marked
with this workshop is deleted, the enrolment it opened is deleted when nothing else is left in it, and a
completion that no longer holds (a required lesson is no longer done) is withdrawn.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.accounts.models import Membership, User
from bibnet.elearning import learning
from bibnet.elearning.catalogue import visible_to
from bibnet.elearning.models import Course, CourseModule, Enrolment, Lesson, LessonProgress
from bibnet.elearning.workshops.models import NAME_LENGTH, Workshop, WorkshopAttendee
from bibnet.extensions import db
from bibnet.refusals import Refused

NO_DATE = _l("Enter the date the workshop was held.")
FUTURE_DATE = _l("A workshop is recorded once it has been held: the date cannot be later than today.")
NO_COURSE = _l("Choose a published course of the library or of its projects.")
NOT_A_MODULE = _l("Choose one of this course's modules, or the whole course.")
NO_FACILITATOR = _l("Enter the name of the person who led the workshop.")
TOO_LONG = _l("Shorten this to %(num)d characters at most.", num=NAME_LENGTH)
NO_ATTENDEES = _l("Choose at least one person who attended.")
NOT_STAFF = _l("Only active staff of the library can be recorded as attendees.")
BAD_SCORE = _l("A quiz score is a whole percent from 0 to 100, or empty when there was no quiz.")


def _started_again(name: str):
    return _l("%(name)s has started this course again since the workshop: their completion cannot be withdrawn. Ask them to finish the new enrolment instead.", name=name)


@dataclass(frozen=True)
class Attendance:
    user_id: int
    quiz_score: int | None = None


@dataclass(frozen=True)
class WorkshopInput:
    held_on: date | None
    course_id: int | None
    module_id: int | None  # None: the whole course
    facilitator: str
    place: str
    attendees: tuple[Attendance, ...]


def _course(course_id: int | None, tenant_id: int) -> Course | None:
    if not course_id:
        return None
    course = db.session.scalar(sa.select(Course).where(Course.id == course_id, visible_to(tenant_id)))
    return course if course is not None and course.is_published else None


def _active_staff(user_ids) -> set[int]:
    ids = list(set(user_ids))
    if not ids:
        return set()
    return set(db.session.scalars(sa.select(Membership.user_id).where(Membership.user_id.in_(ids), Membership.active)))


def _check_attendees(attendees: tuple[Attendance, ...], errors: dict, recorded: frozenset[int] = frozenset()) -> tuple[Attendance, ...]:
    """The attendees once each (the first mention of a person wins), after checking every one of them; those
    `recorded` already may stay though they have left the library since."""
    unique = tuple({attendance.user_id: attendance for attendance in reversed(attendees)}.values())[::-1]
    newcomers = {a.user_id for a in unique} - recorded
    if not unique:
        errors.setdefault("attendees", []).append(NO_ATTENDEES)
    elif _active_staff(newcomers) != newcomers:
        errors.setdefault("attendees", []).append(NOT_STAFF)
    if any(a.quiz_score is not None and not (isinstance(a.quiz_score, int) and 0 <= a.quiz_score <= 100) for a in unique):
        errors.setdefault("scores", []).append(BAD_SCORE)
    return unique


def with_lessons(course_id: int) -> Course:
    """The course with its modules and lessons, which completing it walks through."""
    return db.session.scalar(
        sa.select(Course).where(Course.id == course_id).options(selectinload(Course.modules).selectinload(CourseModule.lessons))
    )


def _covered_lessons(course: Course, module_id: int | None) -> list[Lesson]:
    return [lesson for module in course.modules if module_id in (None, module.id) for lesson in module.lessons]


def record(data: WorkshopInput, tenant, by) -> Workshop:
    """Check everything, then record the workshop and complete its lessons for every attendee. The caller commits."""
    errors: dict[str, list] = {}
    if data.held_on is None:
        errors["held_on"] = [NO_DATE]
    elif data.held_on > tenant.today():
        errors["held_on"] = [FUTURE_DATE]
    course = _course(data.course_id, tenant.id)
    module = None
    if course is None:
        errors["course"] = [NO_COURSE]
    elif data.module_id:
        module = db.session.scalar(sa.select(CourseModule).where(CourseModule.id == data.module_id, CourseModule.course_id == course.id))
        if module is None:
            errors["module"] = [NOT_A_MODULE]
    facilitator, place = (data.facilitator or "").strip(), (data.place or "").strip()
    if not facilitator:
        errors["facilitator"] = [NO_FACILITATOR]
    elif len(facilitator) > NAME_LENGTH:
        errors["facilitator"] = [TOO_LONG]
    if len(place) > NAME_LENGTH:
        errors["place"] = [TOO_LONG]
    attendees = _check_attendees(data.attendees, errors)
    if errors:
        raise Refused(errors)
    workshop = Workshop(
        held_on=data.held_on, course_id=course.id, module_id=module.id if module else None,
        facilitator=facilitator, place=place, recorded_by_id=by.id if by else None,
    )
    db.session.add(workshop)
    db.session.flush()
    _attend(workshop, attendees, by)
    return workshop


def _attend(workshop: Workshop, attendees: tuple[Attendance, ...], by) -> None:
    course = with_lessons(workshop.course_id)
    lessons = _covered_lessons(course, workshop.module_id)
    for attendance in attendees:
        enrolment = db.session.scalar(
            sa.select(Enrolment).where(Enrolment.user_id == attendance.user_id, Enrolment.course_id == course.id, Enrolment.completed_at.is_(None))
        )
        opened = enrolment is None
        if opened:
            enrolment = Enrolment(user_id=attendance.user_id, course_id=course.id, enrolled_by_id=by.id if by else None)
            db.session.add(enrolment)
            db.session.flush()
        db.session.add(WorkshopAttendee(
            workshop_id=workshop.id, user_id=attendance.user_id, quiz_score=attendance.quiz_score,
            enrolment_id=enrolment.id, opened_enrolment=opened,
        ))
        for lesson in lessons:
            learning.mark_done(enrolment, lesson, course, workshop_id=workshop.id)
    db.session.flush()


def correct_attendees(workshop: Workshop, attendees: tuple[Attendance, ...], by) -> tuple[int, int]:
    """Make the attendees those given (with their scores): add the new ones as recording does, undo the workshop
    for those removed. Returns (added, removed). The caller commits."""
    errors: dict[str, list] = {}
    current = {attendee.user_id: attendee for attendee in attendees_of(workshop)}
    wanted = _check_attendees(attendees, errors, frozenset(current))
    removed = [attendee for user_id, attendee in current.items() if user_id not in {a.user_id for a in wanted}]
    blocked = [attendee for attendee in removed if _reopening_conflicts(attendee)]
    if blocked:
        names = dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_([a.user_id for a in blocked]))).all())
        errors.setdefault("attendees", []).extend(_started_again(names[attendee.user_id]) for attendee in blocked)
    if errors:
        raise Refused(errors)
    for attendance in wanted:
        if attendance.user_id in current:
            current[attendance.user_id].quiz_score = attendance.quiz_score
    for attendee in removed:
        _undo(workshop, attendee)
    added = tuple(a for a in wanted if a.user_id not in current)
    _attend(workshop, added, by)
    return len(added), len(removed)


def attendees_of(workshop: Workshop) -> list[WorkshopAttendee]:
    return list(db.session.scalars(sa.select(WorkshopAttendee).where(WorkshopAttendee.workshop_id == workshop.id).order_by(WorkshopAttendee.id)))


def _reopening_conflicts(attendee: WorkshopAttendee) -> bool:
    """Withdrawing this attendee's completion would give them a second open enrolment in the course."""
    enrolment = db.session.get(Enrolment, attendee.enrolment_id) if attendee.enrolment_id else None
    if enrolment is None or enrolment.completed_at is None:
        return False
    return db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(
        Enrolment.user_id == enrolment.user_id, Enrolment.course_id == enrolment.course_id, Enrolment.completed_at.is_(None),
    )) > 0


def _undo(workshop: Workshop, attendee: WorkshopAttendee) -> None:
    enrolment = db.session.get(Enrolment, attendee.enrolment_id) if attendee.enrolment_id else None
    db.session.delete(attendee)
    if enrolment is None:
        return
    db.session.execute(sa.delete(LessonProgress).where(LessonProgress.enrolment_id == enrolment.id, LessonProgress.workshop_id == workshop.id))
    left = learning.done_lesson_ids(enrolment)
    if attendee.opened_enrolment and not left:
        db.session.refresh(enrolment, ["progress"])  # empty now; deleting the enrolment walks it (and is audited)
        db.session.delete(enrolment)
    elif enrolment.completed_at is not None:
        course = with_lessons(enrolment.course_id)
        if not {lesson.id for lesson in learning.lessons_in_order(course) if lesson.required} <= left:
            enrolment.completed_at = None
    db.session.flush()
