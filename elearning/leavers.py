"""How long the training records of people who left a library are kept (a retention entry, `erase_leavers`).

A leaver is someone who is no longer an active member of the library: their membership is inactive or gone, or
their account itself is deactivated (then they have left every library). Their enrolments and lesson progress there
stay as they are for `ELEARNING_LEAVER_RETENTION_DAYS` (365 by default) after their last training activity in
that library (enrolled, a lesson done, a course completed): the coordinator can still answer for them, and a
person who comes back finds their progress. After that the records are anonymised, never deleted, because
past funding reports count them: each enrolment loses its user and gets a random `former_learner_key`, the
same for all of that person's enrolments in the library, so the figures still count that person once; lesson
progress (which names nobody) stays with its in-person mark. Their rows as workshop attendees (name and
paper quiz score) are deleted; the workshop keeps its date, course and facilitator. So is everything else
that still names them: their quiz attempts (answers, scores; the completion stays on the enrolment), their SCORM
attempts (status, score, suspend data, session time; the SCO's resume point has no use once nobody can resume)
and the due-date reminders sent for those enrolments. Suspend data has no shorter period of its own: it is the
learner's own resume point, never shown to staff, and a member must be able to resume a SCO whenever they come
back to it. Certificates are the exception: a certificate is the holder's credential, which a future employer may
verify, so it stays with the holder's name until its own period has passed (`elearning.certificates`, see
`bibnet.elearning.certificates.retention`). Everything of a tenant is erased in one transaction. The figures of
any past period are the same before and after (they read enrolments, lesson progress and workshops only).
"""
from datetime import datetime, timedelta
import secrets

from flask import current_app
import sqlalchemy as sa

from bibnet.accounts.models import Membership, User
from bibnet.elearning.models import DueReminder, Enrolment, LessonProgress
from bibnet.elearning.packages.models import ScormAttempt
from bibnet.elearning.quizzes.models import QuizAttempt
from bibnet.elearning.workshops.models import WorkshopAttendee
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant

DAYS_SETTING = "ELEARNING_LEAVER_RETENTION_DAYS"


def _former_learner_key() -> int:
    return secrets.randbits(52) + 1  # positive, and exact in every database's integers


def still_a_member(user_id, tenant_id):
    """The condition that the user is an active member, with an active account, of the tenant (SQL)."""
    return sa.exists().where(
        Membership.user_id == user_id, Membership.tenant_id == tenant_id, Membership.active.is_(True),
        User.id == Membership.user_id, User.active.is_(True),
    )


def erase_leavers(now: datetime) -> int:
    """Anonymise the records of leavers whose last training activity is older than the period, committed per
    tenant. Returns how many enrolments were anonymised."""
    before = now - timedelta(days=current_app.config[DAYS_SETTING])
    anonymised = 0
    for tenant in db.session.scalars(sa.select(Tenant).order_by(Tenant.id)).all():
        with tenant_scope(tenant, reason="anonymising the training records of people who left"):
            anonymised += _anonymise(before)
            db.session.commit()
    return anonymised


def _anonymise(before: datetime) -> int:
    last_activity = sa.func.max(sa.func.coalesce(LessonProgress.completed_at, Enrolment.completed_at, Enrolment.created_at))
    latest_completion = sa.func.max(Enrolment.completed_at)
    leavers = [
        user_id for user_id, last, completed in db.session.execute(
            sa.select(Enrolment.user_id, last_activity, latest_completion)
            .outerjoin(LessonProgress, LessonProgress.enrolment_id == Enrolment.id)
            .where(Enrolment.user_id.is_not(None), ~still_a_member(Enrolment.user_id, Enrolment.tenant_id))
            .group_by(Enrolment.user_id)
        )
        if max(moment for moment in (last, completed) if moment is not None) < before
    ]
    if not leavers:
        return 0
    enrolments = db.session.scalars(sa.select(Enrolment).where(Enrolment.user_id.in_(leavers))).all()
    keys = {user_id: _former_learner_key() for user_id in leavers}
    for enrolment in enrolments:  # one by one: each change is audited
        enrolment.former_learner_key, enrolment.user_id = keys[enrolment.user_id], None
    db.session.execute(sa.delete(WorkshopAttendee).where(WorkshopAttendee.user_id.in_(leavers)))
    for attempt in db.session.scalars(sa.select(QuizAttempt).where(QuizAttempt.user_id.in_(leavers))):
        db.session.delete(attempt)  # audited: the log records the deletion, never the answers
    db.session.execute(sa.delete(ScormAttempt).where(ScormAttempt.user_id.in_(leavers)))
    db.session.execute(sa.delete(DueReminder).where(DueReminder.enrolment_id.in_([enrolment.id for enrolment in enrolments])))
    db.session.flush()
    return len(enrolments)
