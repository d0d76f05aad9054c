"""The demo project of `../shared/domain.md`: the Latvia–Lithuania inclusive libraries network.

`load()` is idempotent: it finds what exists by slug, acronym or e-mail, and creates or updates the rest.
"""
from datetime import date

import sqlalchemy as sa

from bibnet.accounts.models import Membership, Role, User
from bibnet.accounts.passwords import hash_password, verify_password
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Country, Partner, PartnerRole, Project, ProjectLead, ReportingPeriod, Tenant

PASSWORD = "bibnet-demo"

TENANTS = [
    # slug, name, country, default language, time zone, partner role
    ("pasvalys", "Pasvalys District Municipality", Country.LT, "lt", "Europe/Vilnius", PartnerRole.LEAD),
    ("jelgava", "Jelgava Municipality", Country.LV, "lv", "Europe/Riga", PartnerRole.PARTNER),
    ("augsdaugava", "Augšdaugava Municipality", Country.LV, "lv", "Europe/Riga", PartnerRole.PARTNER),
]

PROJECT = {
    "programme": "Interreg VI-A Latvia–Lithuania Programme 2021–2027",
    "acronym": "InclusiveLibraries",
    "title": "Network of inclusive libraries for people from socially vulnerable groups",
    "starts_on": date(2024, 6, 1),
    "ends_on": date(2026, 5, 31),
}

PERIODS = [
    (1, date(2024, 6, 1), date(2024, 11, 30)),
    (2, date(2024, 12, 1), date(2025, 5, 31)),
    (3, date(2025, 6, 1), date(2025, 11, 30)),
    (4, date(2025, 12, 1), date(2026, 5, 31)),
]

ADMIN_EMAIL = "admin@bibnet.example"
LEAD_EMAIL = "lead@pasvalys.example"


def logins() -> list[tuple[str, str]]:
    """(e-mail, what the account shows) for every demo log-in; all use PASSWORD."""
    rows = [(ADMIN_EMAIL, "platform admin: every tenant and project"), (LEAD_EMAIL, "project lead: all three partners")]
    for slug, name, *_ in TENANTS:
        rows.append((f"coordinator@{slug}.example", f"partner coordinator of {name}"))
        rows.append((f"staff@{slug}.example", f"library staff of {name}"))
    return rows


def is_loaded() -> bool:
    return db.session.scalar(sa.select(User.id).where(User.email == ADMIN_EMAIL)) is not None


def _user(email: str, name: str, is_admin: bool = False) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name)
        db.session.add(user)
    user.is_admin, user.active = is_admin, True
    if not verify_password(user.password_hash, PASSWORD):
        user.password_hash = hash_password(PASSWORD)
    return user


def _tenant(slug, name, country, locale, timezone) -> Tenant:
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        tenant = Tenant(slug=slug)
        db.session.add(tenant)
    tenant.name, tenant.country, tenant.default_locale, tenant.timezone, tenant.active = name, country, locale, timezone, True
    return tenant


def _membership(tenant: Tenant, user: User, role: Role) -> None:
    with tenant_scope(tenant):
        membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
        if membership is None:
            db.session.add(Membership(user=user, tenant_id=tenant.id, role=role))
        else:
            membership.role, membership.active = role, True
        db.session.flush()


def load() -> None:
    project = db.session.scalar(sa.select(Project).where(Project.acronym == PROJECT["acronym"]))
    if project is None:
        project = Project(**PROJECT)
        db.session.add(project)
    for key, value in PROJECT.items():
        setattr(project, key, value)
    db.session.flush()
    existing_periods = {period.number: period for period in project.reporting_periods}
    for number, starts_on, ends_on in PERIODS:
        period = existing_periods.get(number) or ReportingPeriod(project=project, number=number)
        period.starts_on, period.ends_on = starts_on, ends_on
        db.session.add(period)

    _user(ADMIN_EMAIL, "BibNet Administrator", is_admin=True)
    lead = _user(LEAD_EMAIL, "Rasa Jonaitienė")
    db.session.flush()
    if db.session.scalar(sa.select(ProjectLead).where(ProjectLead.project_id == project.id, ProjectLead.user_id == lead.id)) is None:
        db.session.add(ProjectLead(project=project, user_id=lead.id))

    existing_partners = {partner.tenant_id: partner for partner in project.partners}
    for number, (slug, name, country, locale, timezone, partner_role) in enumerate(TENANTS, start=1):
        tenant = _tenant(slug, name, country, locale, timezone)
        db.session.flush()
        partner = existing_partners.get(tenant.id) or Partner(project=project, tenant=tenant)
        partner.role, partner.number = partner_role, number
        db.session.add(partner)
        _membership(tenant, _user(f"coordinator@{slug}.example", f"{name.split()[0]} coordinator"), Role.COORDINATOR)
        _membership(tenant, _user(f"staff@{slug}.example", f"{name.split()[0]} library staff"), Role.STAFF)
    db.session.flush()
