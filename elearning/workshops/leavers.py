"""How long the training records of people who left a library are kept (a retention entry, `erase_leavers`).

A leaver is someone whose membership of the library is inactive. Their enrolments and lesson progress there
stay as they are for `ELEARNING_LEAVER_RETENTION_DAYS` (365 by default) after their last training activity in
that library (enrolled, a lesson done, a course completed): the coordinator can still answer for them, and a
person who comes back finds their progress. After that the records are anonymised, never deleted, because
past funding reports count them: each enrolment loses its user and gets a random `former_learner_key`, the
same for all of that person's enrolments in the library, so the figures still count that person once; lesson
progress (which names nobody) stays with its in-person mark. Their rows as workshop attendees (name and
paper quiz score) are deleted; the workshop keeps its date, course and facilitator. The figures of any past
period are the same before and after.
"""
from datetime import datetime, timedelta
import secrets

from flask import current_app
import sqlalchemy as sa

from bibnet.accounts.models import Membership
from bibnet.elearning.models import Enrolment, LessonProgress
from bibnet.elearning.workshops.models import WorkshopAttendee
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant

DAYS_SETTING = "ELEARNING_LEAVER_RETENTION_DAYS"


def _former_learner_key() -> int:
    return secrets.randbits(52) + 1  # positive, and exact in every database's integers


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
            .join(Membership, sa.and_(Membership.user_id == Enrolment.user_id, Membership.active.is_(False)))
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
    db.session.flush()
    return len(enrolments)
