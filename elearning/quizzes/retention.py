"""How long quiz answers are kept: the options a learner chose and which questions they got right are erased
`QUIZ_ANSWER_RETENTION_DAYS` (default 365) days after the attempt was submitted. What stays is the training
record: the dates, the number of questions, how many were right, the pass mark and whether it was passed (what
the coordinator's reports and a certificate rest on). Open attempts left unsubmitted hold no answers. The erasure
runs in the core's `retention.erase` job through the retention registry (`bibnet.retention`).
"""
from datetime import datetime, timedelta

from flask import current_app
import sqlalchemy as sa

from bibnet.elearning.quizzes.models import QuizAttempt
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant

DAYS_SETTING = "QUIZ_ANSWER_RETENTION_DAYS"
DEFAULT_DAYS = 365


def erase_answers(now: datetime) -> int:
    """Erase the answers of every library's attempts submitted before the period; returns how many attempts."""
    submitted_before = now - timedelta(days=current_app.config[DAYS_SETTING])
    erased = 0
    # Every tenant, active or not: the promise holds after a partner leaves the project too.
    for tenant_id in db.session.scalars(sa.select(Tenant.id).order_by(Tenant.id)).all():
        with tenant_scope(tenant_id):
            attempts = db.session.scalars(
                sa.select(QuizAttempt).where(QuizAttempt.submitted_at < submitted_before, QuizAttempt.answers_erased_at.is_(None))
            ).all()
            for attempt in attempts:
                attempt.answers = attempt.results = None
                attempt.answers_erased_at = now
            erased += len(attempts)
            db.session.commit()
    return erased
