"""Courses for the e-learning tests, built through the authoring services as the pages build them. (A module, not a
conftest: the tests' root conftest is imported as `conftest` already.)"""
import sqlalchemy as sa

from bibnet.elearning import authoring
from bibnet.elearning.models import Course, CourseModule, Lesson
from bibnet.extensions import db


def make_course(owner_tenant=None, project=None, title=None, lessons=(("One", True), ("Two", True), ("Extra", False)), published=True, languages=("en",)):
    """A course of one module whose lessons have a title and text in each of `languages` (inside an app context)."""
    course = Course(owner_tenant_id=owner_tenant.id if owner_tenant else None, project_id=project.id if project else None)
    authoring.save_course(course, title or {"en": "Welcoming visitors"}, {})
    db.session.add(course)
    module = CourseModule(course=course)
    authoring.save_module(module, {"en": "Module one"})
    for name, required in lessons:
        lesson = Lesson(module=module)
        authoring.save_lesson(
            lesson, {locale: f"{name} ({locale})" for locale in languages},
            {locale: f"Text of {name} in {locale}." for locale in languages}, required, 10,
        )
    if published:
        authoring.publish(course)
    db.session.commit()
    return course


def lesson_ids(course) -> list[int]:
    """The course's lessons in reading order."""
    return list(db.session.scalars(
        sa.select(Lesson.id).join(CourseModule).where(CourseModule.course_id == course.id).order_by(CourseModule.position, CourseModule.id, Lesson.position, Lesson.id)
    ))
