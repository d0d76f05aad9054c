"""Due-date reminders (the `elearning.due_reminders` job, hourly): a learner whose open enrolment is due within
`DUE_SOON_DAYS` days is reminded once, and once more when it is overdue, each in their own language through
the core's notifications. What was sent is kept per enrolment, kind and due date (`DueReminder`): a later run
sends nothing twice, and a due date a coordinator moves is reminded of again. An enrolment first seen overdue
gets the overdue reminder only. People who left the library (inactive membership) are not reminded.
"""
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet import mail, notifications
from bibnet.accounts.models import Membership, User
from bibnet.db import utcnow
from bibnet.elearning.languages import text
from bibnet.elearning.models import Course, DueReminder, Enrolment
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant

DUE_SOON_DAYS = 7
DUE_SOON, OVERDUE = "due_soon", "overdue"


def send_due_reminders(now: datetime | None = None) -> int:
    """Remind every learner due soon or overdue not reminded yet, committed per tenant. Returns how many."""
    now = now or utcnow()
    sent = 0
    for tenant in db.session.scalars(sa.select(Tenant).where(Tenant.active).order_by(Tenant.id)).all():
        with tenant_scope(tenant):
            sent += _remind(tenant, now)
            db.session.commit()
    return sent


def _remind(tenant: Tenant, now: datetime) -> int:
    today = tenant.today(now)
    kind = sa.case((Enrolment.due_on < today, OVERDUE), else_=DUE_SOON)
    already = sa.exists().where(DueReminder.enrolment_id == Enrolment.id, DueReminder.kind == kind, DueReminder.due_on == Enrolment.due_on)
    due = db.session.execute(
        sa.select(Enrolment, User, Course, kind)
        .join(User, User.id == Enrolment.user_id)
        .join(Membership, Membership.user_id == Enrolment.user_id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(
            Enrolment.completed_at.is_(None), Enrolment.due_on.is_not(None), Enrolment.due_on <= today + timedelta(days=DUE_SOON_DAYS),
            Membership.active, ~already,
        )
        .order_by(Enrolment.id)
    ).all()
    for enrolment, user, course, reminder in due:
        link = mail.link("elearning.course", tenant_slug=tenant.slug, course_id=course.id)
        with force_locale(notifications.language_of(user)):
            title = text(course.title)
        subject = _l("Overdue: %(course)s", course=title) if reminder == OVERDUE else _l("Due soon: %(course)s", course=title)
        notifications.notify(
            [user], f"elearning.{reminder}", subject, "elearning/workshops/mail/due.txt", link,
            course=title, due_on=enrolment.due_on, overdue=reminder == OVERDUE, tenant=tenant.name,
        )
        db.session.add(DueReminder(enrolment_id=enrolment.id, kind=reminder, due_on=enrolment.due_on, sent_at=now))
    db.session.flush()
    return len(due)
