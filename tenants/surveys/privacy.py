"""Retention of survey responses. They name nobody, yet are kept no longer than the statistics need: a run's
responses are deleted `SURVEY_RESPONSE_RETENTION_DAYS` after it closes (a run with no closing day: after the day
each response came in). The run and its template stay, so reports still say that the survey took place."""
from datetime import datetime, timedelta

from flask import current_app
import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.surveys.models import SurveyAnswer, SurveyResponse, SurveyRun


def erase_responses(now: datetime | None = None) -> int:
    """Delete every tenant's responses past the retention period; returns how many."""
    now = now or utcnow()
    erased = 0
    for tenant in db.session.scalars(sa.select(Tenant).order_by(Tenant.id)).all():
        with tenant_scope(tenant):
            cutoff = tenant.today(now) - timedelta(days=current_app.config["SURVEY_RESPONSE_RETENTION_DAYS"])
            closed_runs = sa.select(SurveyRun.id).where(SurveyRun.closes_on < cutoff)
            open_ended = sa.select(SurveyRun.id).where(SurveyRun.closes_on.is_(None))
            due = db.session.scalars(sa.select(SurveyResponse.id).where(sa.or_(
                SurveyResponse.run_id.in_(closed_runs),
                sa.and_(SurveyResponse.run_id.in_(open_ended), SurveyResponse.received_on < cutoff),
            ))).all()
            if due:
                db.session.execute(sa.delete(SurveyAnswer).where(SurveyAnswer.response_id.in_(due)))
                db.session.execute(sa.delete(SurveyResponse).where(SurveyResponse.id.in_(due)))
            db.session.commit()
            erased += len(due)
    return erased
