"""The demo project of `../shared/domain.md`: the Latvia–Lithuania inclusive libraries network.

`load()` is idempotent: it finds what exists by slug, acronym or e-mail, and creates or updates the rest.
The project is dated around the day it is first loaded (see `project_dates`), so that the demo's sessions and
attendance, which the bookings demo dates around that day too, fall inside its reporting periods.
"""
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bibnet.accounts.models import Membership, Role, User
from bibnet.accounts.passwords import hash_password, verify_password
from bibnet.db import utcnow
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
}

# Four reporting periods of six months, as the budgets and expenditure demos expect (24 months of staff costs).
PERIOD_COUNT = 4
MONTHS_PER_PERIOD = 6


def _first_of_month(day: date, months_later: int) -> date:
    month = day.year * 12 + day.month - 1 + months_later
    return date(month // 12, month % 12 + 1, 1)


def project_dates(today: date) -> list[tuple[int, date, date]]:
    """The reporting periods (number, first day, last day) of a demo loaded on `today`: the last one ends with
    today's month, so today and the week before it (the demo's sessions with attendance) fall inside it, and
    periods 1–3 are over, as their verified expenditure says."""
    first_month = _first_of_month(today, 1 - PERIOD_COUNT * MONTHS_PER_PERIOD)
    periods = []
    for number in range(1, PERIOD_COUNT + 1):
        starts_on = _first_of_month(first_month, (number - 1) * MONTHS_PER_PERIOD)
        periods.append((number, starts_on, _first_of_month(starts_on, MONTHS_PER_PERIOD) - timedelta(days=1)))
    return periods

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


def _libraries_today() -> date:
    """The demo libraries' date, not the server's: near midnight UTC their day has already begun, and the last
    reporting period must hold it."""
    return max(utcnow().astimezone(ZoneInfo(timezone)).date() for _slug, _name, _country, _locale, timezone, _role in TENANTS)


def load(today: date | None = None) -> None:
    """Load the demo as of `today` (the real one by default). Loaded again later, the project keeps the dates it
    was given first: its budgets and expenditure are dated inside them."""
    periods = project_dates(today or _libraries_today())
    project = db.session.scalar(sa.select(Project).where(Project.acronym == PROJECT["acronym"]))
    if project is None:
        project = Project(**PROJECT, starts_on=periods[0][1], ends_on=periods[-1][2])
        db.session.add(project)
        for number, starts_on, ends_on in periods:
            db.session.add(ReportingPeriod(project=project, number=number, starts_on=starts_on, ends_on=ends_on))
    for key, value in PROJECT.items():
        setattr(project, key, value)
    db.session.flush()

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
