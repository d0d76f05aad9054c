"""Demo services at home and remote in Pasvalys and Jelgava over the last four months: home deliveries of books
and consultations by phone, and estimates of the people who may need the services per target group.

Idempotent: nothing is added to a tenant that already has services logged.
"""
from datetime import timedelta

import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.outreach.models import NeedEstimate, OutreachService, ServiceKind

TENANTS = ("pasvalys", "jelgava")
NOTES = {
    "pasvalys": {ServiceKind.HOME_DELIVERY: "8 knygos, 2 garsinės knygos", ServiceKind.PHONE: "Knygų paieška ir rezervavimas"},
    "jelgava": {ServiceKind.HOME_DELIVERY: "10 grāmatas, 1 DAISY", ServiceKind.PHONE: "Grāmatu meklēšana un rezervēšana"},
}
SOURCES = {
    "pasvalys": ("Socialinių paslaugų centro sąrašas", "Oficialiosios statistikos portalas"),
    "jelgava": ("Sociālo lietu pārvaldes saraksts", "Centrālā statistikas pārvalde"),
}
# People who may need the services per target group (statistics office for seniors, social services for the rest).
NEEDS = {
    "pasvalys": {"seniors": 9800, "physical": 1150, "psychosocial": 420, "intellectual": 260, "visual": 310, "hearing": 280},
    "jelgava": {"seniors": 21500, "physical": 2400, "psychosocial": 900, "intellectual": 540, "visual": 620, "hearing": 580},
}


def load_demo() -> None:
    for slug in TENANTS:
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        staff = db.session.scalar(sa.select(User).where(User.email == f"staff@{slug}.example"))
        if tenant is None or staff is None:
            continue
        with tenant_scope(tenant):
            if db.session.scalar(sa.select(OutreachService.id).limit(1)) is not None:
                continue
            today = tenant.today(utcnow())
            services = []
            for week in range(1, 17):  # four months back, a delivery round and two phone consultations a week
                day = today - timedelta(weeks=week)
                services.append(OutreachService(kind=ServiceKind.HOME_DELIVERY, given_on=day, staff_id=staff.id, note=NOTES[slug][ServiceKind.HOME_DELIVERY], served_seniors=3 + week % 3, served_visual=1, served_physical=week % 2))
                services.append(OutreachService(kind=ServiceKind.PHONE, given_on=day + timedelta(days=2), staff_id=staff.id, note=NOTES[slug][ServiceKind.PHONE], served_seniors=1, served_hearing=week % 2))
                services.append(OutreachService(kind=ServiceKind.PHONE, given_on=day + timedelta(days=3), staff_id=staff.id, note=NOTES[slug][ServiceKind.PHONE], served_other=1))
            db.session.add_all([service for service in services if service.given_on <= today])
            social_services, statistics = SOURCES[slug]
            db.session.add_all([
                NeedEstimate(target_group=TargetGroup(group), people=people, source=statistics if group == "seniors" else social_services, estimated_on=today - timedelta(days=90))
                for group, people in NEEDS[slug].items()
            ])
            db.session.commit()
