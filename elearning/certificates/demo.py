"""The demo's certificates: those of completed courses are issued by the completion hook as the demo's staff
complete them; this adds the record of a completion long ago whose certificate has expired since (before the
project's first reporting period, so the funding reports' figures do not change)."""
from dateutil.relativedelta import relativedelta
import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.db import utcnow
from bibnet.elearning.certificates import services
from bibnet.elearning.models import Course, Enrolment
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant


def completed_long_ago(tenant: Tenant, email: str, course: Course, months_ago: int) -> None:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    completed = utcnow() - relativedelta(months=months_ago)
    with tenant_scope(tenant):
        enrolment = Enrolment(user_id=user.id, course_id=course.id, completed_at=completed, created_at=completed)
        db.session.add(enrolment)
        db.session.flush()
        services.issue(enrolment, course)
