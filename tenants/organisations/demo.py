"""Demo partners of Pasvalys and Jelgava: social services, a disability society and a care home each, with two
cooperation agreements, one of them expiring within the first reminder window.

Idempotent: nothing is added to a tenant that already has organisations.
"""
from datetime import timedelta

import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.organisations.models import Agreement, Organisation, OrganisationKind

PARTNERS = {
    "pasvalys": (
        ("Pasvalio rajono savivaldybės socialinių paslaugų centras", OrganisationKind.SOCIAL_SERVICES, "Vytauto Didžiojo a. 1, Pasvalys", "Socialinių paslaugų skyrius", "+370 451 00000"),
        ("Pasvalio neįgaliųjų draugija", OrganisationKind.DISABILITY_SOCIETY, "Taikos g. 7, Pasvalys", "Draugijos pirmininkė", "+370 451 00001"),
        ("Pasvalio globos namai", OrganisationKind.CARE_HOME, "Biržų g. 12, Pasvalys", "Užimtumo specialistas", "+370 451 00002"),
    ),
    "jelgava": (
        ("Jelgavas sociālo lietu pārvalde", OrganisationKind.SOCIAL_SERVICES, "Akadēmijas iela 1, Jelgava", "Sociālā darba nodaļa", "+371 6300 0000"),
        ("Jelgavas invalīdu biedrība", OrganisationKind.DISABILITY_SOCIETY, "Lielā iela 3, Jelgava", "Biedrības valde", "+371 6300 0001"),
        ("Pansionāts \u201cZemgale\u201d", OrganisationKind.CARE_HOME, "Zemgales prospekts 5, Jelgava", "Aktivitāšu vadītāja", "+371 6300 0002"),
    ),
}
SCOPE = {
    "pasvalys": "Siuntimai į programas, knygų pristatymas į namus, bendri renginiai",
    "jelgava": "Nosūtījumi uz programmām, grāmatu piegāde mājās, kopīgi pasākumi",
}


def load_demo() -> None:
    for slug, partners in PARTNERS.items():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            continue
        with tenant_scope(tenant):
            if db.session.scalar(sa.select(Organisation.id).limit(1)) is not None:
                continue
            today = tenant.today(utcnow())
            organisations = [
                Organisation(name=name, kind=kind, address=address, contact_person=contact, phone=phone)
                for name, kind, address, contact, phone in partners
            ]
            db.session.add_all(organisations)
            db.session.flush()
            social_services, society, _care_home = organisations
            db.session.add_all([
                # Expires within the first reminder window (60 days): the coordinators are told, the home lists it.
                Agreement(organisation_id=social_services.id, parties=f"{tenant.name} / {social_services.name}", signed_on=today - timedelta(days=700), expires_on=today + timedelta(days=40), scope=SCOPE[slug]),
                Agreement(organisation_id=society.id, parties=f"{tenant.name} / {society.name}", signed_on=today - timedelta(days=120), expires_on=today + timedelta(days=3 * 365), scope=SCOPE[slug]),
            ])
            db.session.commit()
