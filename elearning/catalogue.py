"""Which courses a library may see: its own, and those of every project it is a partner of.

Course content is global (one course serves every partner of a project), so the tenant guard does not filter it;
this module is the one place that does. Every loader and list of courses goes through `visible_to`; a course of
another library or of a project the library is no partner of is never found (404). Drafts are seen only by
those who author them (`authored_by`).
"""
from flask import g
import sqlalchemy as sa

from bibnet.elearning.models import Course, CourseStatus
from bibnet.tenancy.models import Partner


def visible_to(tenant_id: int) -> sa.ColumnElement[bool]:
    projects = sa.select(Partner.project_id).where(Partner.tenant_id == tenant_id)
    return sa.or_(Course.owner_tenant_id == tenant_id, Course.project_id.in_(projects))


def published_for_current_tenant() -> sa.Select:
    return sa.select(Course).where(visible_to(g.tenant.id), Course.status == CourseStatus.PUBLISHED)


def authored_by_current_tenant(course: Course) -> bool:
    return course.owner_tenant_id == g.tenant.id


def may_read(course: Course, authoring: bool) -> bool:
    """A visible course; a draft only to its authors."""
    return course.is_published or authoring
