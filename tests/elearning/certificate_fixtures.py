"""Completed courses and their certificates, for the certificate tests (a module, not a conftest: the tests' root
conftest is imported as `conftest` already)."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.elearning import learning
from bibnet.elearning.certificates.models import Certificate
from bibnet.elearning.models import Course, CourseModule, Enrolment
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope


def complete(tenant, user, course) -> Enrolment:
    """Enrol `user` and mark every lesson done, as the lesson pages do."""
    with tenant_scope(tenant):
        full = with_lessons(course.id)
        learning.enrol(full, [user.id], None, None)
        enrolment = db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id, Enrolment.completed_at.is_(None)))
        for lesson in learning.lessons_in_order(full):
            learning.mark_done(enrolment, lesson, full)
        db.session.commit()
        return enrolment


def with_lessons(course_id) -> Course:
    return db.session.scalar(
        sa.select(Course).where(Course.id == course_id).options(selectinload(Course.modules).selectinload(CourseModule.lessons)).execution_options(populate_existing=True)
    )


def certificates_of(tenant, user=None) -> list[Certificate]:
    with tenant_scope(tenant):
        statement = sa.select(Certificate).order_by(Certificate.id)
        if user is not None:
            statement = statement.where(Certificate.user_id == user.id)
        return db.session.scalars(statement).all()
