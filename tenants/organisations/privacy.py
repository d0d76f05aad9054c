"""The one personal datum of the partners' register: an organisation's contact person (name, phone, e-mail), who
acts for the institution. Kept while the organisation is active; erased a retention period after it was
deactivated (the organisation itself stays, for the history of its agreements and programmes)."""
from datetime import datetime, timedelta

from flask import current_app
import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.organisations.models import Organisation

RETENTION_SETTING = "ORGANISATION_CONTACT_RETENTION_DAYS"


def erase_contacts(now: datetime | None = None) -> int:
    """Erase the contact persons of organisations deactivated longer ago than the period, in every tenant."""
    now = now or utcnow()
    before = now - timedelta(days=current_app.config[RETENTION_SETTING])
    erased = 0
    for tenant in db.session.scalars(sa.select(Tenant).order_by(Tenant.id)).all():
        with tenant_scope(tenant):
            organisations = db.session.scalars(
                sa.select(Organisation).where(
                    Organisation.active.is_(False), Organisation.deactivated_at < before,
                    sa.or_(Organisation.contact_person != "", Organisation.phone != "", Organisation.email != ""),
                )
            ).all()
            for organisation in organisations:
                organisation.contact_person = organisation.phone = organisation.email = ""
            erased += len(organisations)
            db.session.commit()
    return erased
