"""How far the library's staff got in their courses, worked out once for the coordinator's page, its CSV and the API.

`matrix` is staff × course: a page of the library's active members by name (the rows), the courses with enrolments
the library may see (the columns, 30 at most), and in each cell the person's enrolment with its required lessons
done, whether it is overdue and whether it was completed in person; a fixed number of statements whatever the size.
`every_enrolment` is the CSV's: one row per enrolment of the library, with the same figures, fetched as it streams.
"""
from dataclasses import dataclass
from datetime import date

from flask import g
import sqlalchemy as sa

from bibnet.accounts.models import Membership, User
from bibnet.elearning import learning
from bibnet.elearning.catalogue import visible_to
from bibnet.elearning.languages import text
from bibnet.elearning.models import Course, Enrolment, Lesson, LessonProgress
from bibnet.elearning.report_figures import in_person_completion, in_person_enrolments
from bibnet.extensions import db
from bibnet.web.pagination import Page, paginate

MATRIX_COURSES = 30  # columns of the matrix at most: the courses with enrolments, oldest first


@dataclass
class Matrix:
    people: Page  # rows of (id, name)
    courses: list[Course]
    enrolments: dict[tuple[int, int], Enrolment]  # (user id, course id) -> the enrolment its cell shows
    required: dict[int, int]  # course id -> required lessons it has now
    done: dict[int, int]  # enrolment id -> required lessons done
    in_person: set[int]  # ids of the completed enrolments whose required lessons were done at a workshop
    today: date

    def enrolment(self, user_id: int, course_id: int) -> Enrolment | None:
        return self.enrolments.get((user_id, course_id))

    def cell(self, enrolment: Enrolment) -> dict:
        """The cell's figures, as the API gives them."""
        return {**figures(enrolment, self.required, self.done, self.today), "in_person": enrolment.id in self.in_person}

    def cells_of(self, user_id: int) -> list[Enrolment]:
        """The person's enrolments in the matrix's courses, in the courses' order."""
        return [self.enrolments[user_id, course.id] for course in self.courses if (user_id, course.id) in self.enrolments]


def figures(enrolment: Enrolment, required: dict[int, int], done: dict[int, int], today: date) -> dict:
    """How far an enrolment got: required lessons done of those its course has now, and whether it is overdue."""
    return {
        "id": enrolment.id, "course_id": enrolment.course_id, "user_id": enrolment.user_id, "enrolled_at": enrolment.created_at,
        "due_on": enrolment.due_on, "overdue": enrolment.overdue(today), "completed_at": enrolment.completed_at,
        "required_lessons": required.get(enrolment.course_id, 0), "required_done": done.get(enrolment.id, 0),
    }


def _courses() -> list[Course]:
    course_ids = db.session.scalars(sa.select(Enrolment.course_id).distinct()).all()
    if not course_ids:
        return []
    return list(db.session.scalars(
        sa.select(Course).where(Course.id.in_(course_ids), visible_to(g.tenant.id)).order_by(Course.id).limit(MATRIX_COURSES)
    ))


def matrix(page: int | None = None, per_page: int | None = None) -> Matrix:
    """The page of the matrix that `page` and `per_page` (else the request's arguments) name."""
    people = paginate(
        sa.select(User.id, User.name).join(Membership, Membership.user_id == User.id).where(Membership.active).order_by(User.name, User.id),
        page=page, per_page=per_page, scalars=False,
    )
    courses = _courses()
    user_ids = [user_id for user_id, _name in people.items]
    enrolments = db.session.scalars(
        sa.select(Enrolment).where(Enrolment.user_id.in_(user_ids), Enrolment.course_id.in_([c.id for c in courses])).order_by(Enrolment.id)
    ).all() if courses and user_ids else []
    shown: dict[tuple[int, int], Enrolment] = {}
    for enrolment in enrolments:  # the open enrolment wins over a completed one; the later over the earlier
        key = (enrolment.user_id, enrolment.course_id)
        if key not in shown or enrolment.completed_at is None or shown[key].completed_at is not None:
            shown[key] = enrolment
    return Matrix(
        people=people, courses=courses, enrolments=shown,
        required=learning.required_lesson_counts(c.id for c in courses), done=learning.done_required_counts(e.id for e in shown.values()),
        in_person=in_person_enrolments(e.id for e in shown.values() if e.completed_at is not None), today=g.tenant.today(),
    )


@dataclass
class EveryEnrolment:
    statement: sa.Select  # (name, e-mail, course id, enrolled at, due on, completed at, required done, in person) by name
    titles: dict[int, str]  # course id -> title, in the reader's language
    required: dict[int, int]  # course id -> required lessons


def every_enrolment() -> EveryEnrolment:
    """Every enrolment of the library, for a download: the titles and counts now, the rows by the caller's session."""
    course_ids = db.session.scalars(sa.select(Enrolment.course_id).distinct()).all()
    titles = {course.id: text(course.title) for course in db.session.scalars(sa.select(Course).where(Course.id.in_(course_ids or [0])))}
    done = (
        sa.select(sa.func.count(LessonProgress.id)).join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.enrolment_id == Enrolment.id, Lesson.required).scalar_subquery()
    )
    statement = (
        sa.select(User.name, User.email, Enrolment.course_id, Enrolment.created_at, Enrolment.due_on, Enrolment.completed_at, done, in_person_completion())
        .join(User, User.id == Enrolment.user_id)
        .order_by(User.name, Enrolment.id)
    )
    return EveryEnrolment(statement=statement, titles=titles, required=learning.required_lesson_counts(course_ids))
