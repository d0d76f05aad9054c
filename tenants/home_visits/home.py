"""What the home visits add to the tenant home (a small panel linking to the schedule: they have no menu entry)
and the daily reminder that mails each staff member their next day's visits in one message."""
from datetime import datetime, timedelta

from flask import g
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet import mail
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.notifications import language_of
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.home_visits.models import HomeVisit, VisitStatus
from bibnet.tenants.home_visits.views import PART_ORDER
from bibnet.web import panels


def home_panel_data() -> dict:
    """Visits scheduled from today on, and those of past days still to be logged: one grouped query."""
    today = g.tenant.today()
    upcoming, to_log = db.session.execute(
        sa.select(
            sa.func.count(HomeVisit.id).filter(HomeVisit.visit_on >= today),
            sa.func.count(HomeVisit.id).filter(HomeVisit.visit_on < today),
        ).where(HomeVisit.status == VisitStatus.SCHEDULED)
    ).one()
    return {"upcoming": upcoming, "to_log": to_log}


panels.register_home_panel("home_visits/_home_panel.html", home_panel_data, "home_visits.visit")


def send_reminders(now: datetime | None = None) -> int:
    """Mail each staff member, once a day, the visits they make tomorrow (their library's day), one mail per
    person and library. Volunteers have no account: the coordinator tells them. Committed per tenant."""
    now = now or utcnow()
    sent = 0
    for tenant in db.session.scalars(sa.select(Tenant).where(Tenant.active).order_by(Tenant.id)).all():
        with tenant_scope(tenant):
            sent += _remind(tenant, tenant.today(now) + timedelta(days=1))
            db.session.commit()
    return sent


def _remind(tenant: Tenant, day) -> int:
    visits = db.session.scalars(
        sa.select(HomeVisit)
        .options(joinedload(HomeVisit.borrower), joinedload(HomeVisit.staff))
        .where(HomeVisit.status == VisitStatus.SCHEDULED, HomeVisit.visit_on == day, HomeVisit.staff_id.is_not(None))
        .order_by(HomeVisit.staff_id, PART_ORDER, HomeVisit.id)
    ).all()
    routes: dict[int, list[HomeVisit]] = {}
    for visit in visits:
        routes.setdefault(visit.staff_id, []).append(visit)
    for route in routes.values():
        staff = route[0].staff
        if not staff.active:
            continue
        mail.send(staff.email, _l("Your home visits tomorrow"), "home_visits/mail/route.txt", language_of(staff), tenant=tenant.name, day=day, visits=route, name=staff.name)
    return len(routes)
