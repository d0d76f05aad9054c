"""E-learning's figures in the core's figures registry (`bibnet.figures`), for the funding reports' indicators and
the programme indicators of joint training. `init_app` registers `SOURCE`.

The rules, each counted by the day a thing was recorded in the library's time zone, per library:
- Staff who completed a course: each person once however many courses they completed in the period.
- Online / in person: a completion is in person when any of its required lessons was recorded by an in-person
  workshop (`LessonProgress.workshop_id`). A person counts in person when any of their completions in the
  period was, else online: the two add up to the staff who completed a course.
- Training hours: for every completion in the period, the estimated minutes of the course's required lessons
  (as the course stands now), summed per library, divided by 60 and rounded half up to one decimal; a project's
  total is the sum of its partners' rounded hours, as the reports add them.
- Joint training schemes are the project's shared courses (`Course.project_id` set); a library's own courses
  never count towards them. RCO85 (participations in joint training schemes): an enrolment in a shared course
  counts once, in the period of its first lesson done (online or at a workshop), so that a participation is
  reported once over the reporting periods; a refresher is a new participation. RCR81 (completion of joint
  training schemes, participants): the people who completed a shared course in the period, each once.

Records of people who left are anonymised, not deleted (`bibnet.elearning.leavers`): a former learner
is told apart by `former_learner_key`, so the figures of a past period stay the same.
"""
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.elearning.models import Course, CourseModule, Enrolment, Lesson, LessonProgress
from bibnet.extensions import db
from bibnet.figures import HOURS, IN_PERSON, ONLINE, Figure, FigureSource

STAFF_COMPLETED = "elearning.staff_completed"
STAFF_COMPLETED_ONLINE = "elearning.staff_completed_online"
STAFF_COMPLETED_IN_PERSON = "elearning.staff_completed_in_person"
TRAINING_HOURS = "elearning.training_hours"
JOINT_PARTICIPATIONS = "elearning.joint_participations"
JOINT_COMPLETIONS = "elearning.joint_completions"

TENTH = Decimal("0.1")


def _local_midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(zone)).astimezone(UTC)


def _within(tenants, first: date, last: date, tenant_column, moment) -> sa.ColumnElement[bool]:
    """`moment` falls within first..last in its tenant's local days."""
    return sa.or_(*(
        sa.and_(
            tenant_column == tenant.id,
            moment >= _local_midnight(first, tenant.timezone),
            moment < _local_midnight(last + timedelta(days=1), tenant.timezone),
        )
        for tenant in tenants
    ))


def learner():
    """One person: a user, or a former learner whose records were anonymised (a negative number: never a user id)."""
    return sa.func.coalesce(Enrolment.user_id, -Enrolment.former_learner_key)


def in_person_completion() -> sa.ColumnElement[bool]:
    return sa.exists().where(
        LessonProgress.enrolment_id == Enrolment.id, LessonProgress.workshop_id.is_not(None),
        LessonProgress.lesson_id == Lesson.id, Lesson.required,
    )


def in_person_enrolments(enrolment_ids) -> set[int]:
    """Those of the enrolments completed in person (by the rule above), in one query."""
    ids = list(set(enrolment_ids))
    if not ids:
        return set()
    return set(db.session.scalars(sa.select(Enrolment.id).where(Enrolment.id.in_(ids), in_person_completion())))


def _course_minutes():
    return (
        sa.select(CourseModule.course_id, sa.func.sum(Lesson.estimated_minutes).label("minutes"))
        .join(Lesson, Lesson.module_id == CourseModule.id)
        .where(Lesson.required)
        .group_by(CourseModule.course_id)
        .subquery()
    )


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(TENTH, rounding=ROUND_HALF_UP)


def _compute(tenants, first: date, last: date) -> dict[int, dict[str, object]]:
    """Two grouped queries over every tenant asked about, each with its own local day bounds."""
    if not tenants:
        return {}
    values: dict[int, dict[str, object]] = {}
    minutes = _course_minutes()
    people = db.session.execute(
        sa.select(
            Enrolment.tenant_id, learner(),
            sa.func.max(sa.case((in_person_completion(), 1), else_=0)),
            sa.func.max(sa.case((Course.project_id.is_not(None), 1), else_=0)),
            sa.func.coalesce(sa.func.sum(minutes.c.minutes), 0),
        )
        .join(Course, Course.id == Enrolment.course_id)
        .outerjoin(minutes, minutes.c.course_id == Enrolment.course_id)
        .where(_within(tenants, first, last, Enrolment.tenant_id, Enrolment.completed_at))
        .group_by(Enrolment.tenant_id, learner())
    )
    total_minutes: dict[int, int] = {}
    for tenant_id, _person, in_person, joint, person_minutes in people:
        counts = values.setdefault(tenant_id, {STAFF_COMPLETED: 0, STAFF_COMPLETED_ONLINE: 0, STAFF_COMPLETED_IN_PERSON: 0, JOINT_COMPLETIONS: 0})
        counts[STAFF_COMPLETED] += 1
        counts[STAFF_COMPLETED_IN_PERSON if in_person else STAFF_COMPLETED_ONLINE] += 1
        counts[JOINT_COMPLETIONS] += joint
        total_minutes[tenant_id] = total_minutes.get(tenant_id, 0) + int(person_minutes)
    for tenant_id, minutes_of_tenant in total_minutes.items():
        values[tenant_id][TRAINING_HOURS] = hours(minutes_of_tenant)
    first_lessons = (
        sa.select(LessonProgress.enrolment_id, LessonProgress.tenant_id, sa.func.min(LessonProgress.completed_at).label("first_done"))
        .group_by(LessonProgress.enrolment_id, LessonProgress.tenant_id)
        .subquery()
    )
    for tenant_id, count in db.session.execute(
        sa.select(first_lessons.c.tenant_id, sa.func.count())
        .join(Enrolment, Enrolment.id == first_lessons.c.enrolment_id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Course.project_id.is_not(None), _within(tenants, first, last, first_lessons.c.tenant_id, first_lessons.c.first_done))
        .group_by(first_lessons.c.tenant_id)
    ):
        values.setdefault(tenant_id, {})[JOINT_PARTICIPATIONS] = count
    return values


SOURCE = FigureSource(
    name="elearning.completions",
    figures=(
        Figure(STAFF_COMPLETED, _l("Staff who completed a course"), _l("participants"), order=50),
        Figure(STAFF_COMPLETED_ONLINE, _l("Staff who completed a course: online"), _l("participants"), mode=ONLINE, order=51),
        Figure(STAFF_COMPLETED_IN_PERSON, _l("Staff who completed a course: in person"), _l("participants"), mode=IN_PERSON, order=52),
        Figure(TRAINING_HOURS, _l("Training hours of completed courses"), _l("hours"), kind=HOURS, order=53),
        Figure(JOINT_PARTICIPATIONS, _l("Participations in the project's shared courses"), _l("participations"), indicators=("RCO85",), order=54),
        Figure(JOINT_COMPLETIONS, _l("Staff who completed a shared course of the project"), _l("participants"), indicators=("RCR81",), order=55),
    ),
    compute=_compute,
)
