"""The course, module and lesson a URL names, loaded by the core before the view and the permission check
(`bibnet.loading`). On a library's pages a course is found only when the library may see it
(`bibnet.elearning.catalogue`); on a project's pages only when it is that project's. Modules and lessons are
found only inside the course the URL names. Anything else is a 404."""
from flask import g
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.elearning.catalogue import visible_to
from bibnet.elearning.models import Course, CourseModule, Lesson
from bibnet.extensions import db
from bibnet.loading import addressed, register_loader


def visible_course(course_id: int) -> Course | None:
    """With its modules and lessons, which every page of a course shows or walks through: in one statement (a
    lesson page's statements are a round trip each, which a busy server makes the larger part of its time)."""
    statement = sa.select(Course).where(Course.id == course_id).options(joinedload(Course.modules).joinedload(CourseModule.lessons))
    if g.get("tenant") is not None:
        statement = statement.where(visible_to(g.tenant.id))
    elif g.get("project") is not None:
        statement = statement.where(Course.project_id == g.project.id)
    else:
        return None
    return db.session.scalars(statement).unique().one_or_none()


def module_of_course(module_id: int) -> CourseModule | None:
    course = addressed("course")
    return next((module for module in course.modules if module.id == module_id), None) if course else None


def lesson_of_course(lesson_id: int) -> Lesson | None:
    course = addressed("course")
    return next((lesson for module in course.modules for lesson in module.lessons if lesson.id == lesson_id), None) if course else None


register_loader("course_id", "course", visible_course)
register_loader("module_id", "module", module_of_course)
register_loader("lesson_id", "lesson", lesson_of_course)
