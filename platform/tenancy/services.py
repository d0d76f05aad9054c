"""Creating and changing tenants and projects: one service for the admin pages and the `bibnet` command.

Each function checks everything first and raises `Refused` with the messages of every wrong field (named as
the form's fields: slug, name, country, default_locale, timezone...); it never commits.
"""
from datetime import date

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.refusals import Refused, refuse_if_any
from bibnet.tenancy.models import Country, Partner, PartnerRole, Project, ProjectLead, Tenant
from bibnet.tenancy.validation import tenant_problems

NAME_LENGTH = 200  # the column's length


def _problems(name: str, country: str, default_locale: str, timezone: str, slug: str) -> dict[str, list]:
    problems = tenant_problems(slug, timezone, default_locale)
    if not name.strip():
        problems["name"] = [_l("Enter the tenant's name.")]
    elif len(name.strip()) > NAME_LENGTH:
        problems["name"] = [_l("A name can have at most %(max)d characters.", max=NAME_LENGTH)]
    if country not in {member.value for member in Country}:
        problems["country"] = [_l("Choose one of the countries: %(countries)s.", countries=", ".join(member.value for member in Country))]
    return problems


def create_tenant(slug: str, name: str, country: str, default_locale: str, timezone: str) -> Tenant:
    problems = _problems(name, country, default_locale, timezone, slug)
    if "slug" not in problems and db.session.scalar(sa.select(Tenant.id).where(Tenant.slug == slug)) is not None:
        problems["slug"] = [_l("A tenant with the URL name “%(slug)s” exists already.", slug=slug)]
    refuse_if_any(problems)
    tenant = Tenant(slug=slug, name=name.strip(), country=Country(country), default_locale=default_locale, timezone=timezone)
    db.session.add(tenant)
    db.session.flush()
    return tenant


def change_tenant(tenant: Tenant, name: str, country: str, default_locale: str, timezone: str) -> None:
    """The slug stays: it is in every link and bookmark to the tenant's pages."""
    refuse_if_any(_problems(name, country, default_locale, timezone, tenant.slug))
    tenant.name, tenant.country, tenant.default_locale, tenant.timezone = name.strip(), Country(country), default_locale, timezone
    db.session.flush()


def set_tenant_active(tenant: Tenant, active: bool) -> None:
    """A deactivated tenant keeps its data; its pages answer 404 until it is reactivated."""
    tenant.active = active
    db.session.flush()


# Projects, their partners and leads. Field names are those of the admin pages' forms.
PROGRAMME_LENGTH, ACRONYM_LENGTH, TITLE_LENGTH = 200, 40, 300  # the columns' lengths


def _project_problems(programme: str, acronym: str, title: str, starts_on: date | None, ends_on: date | None, project: Project | None) -> dict[str, list]:
    problems: dict[str, list] = {}
    for field, text, length, missing in (
        ("programme", programme, PROGRAMME_LENGTH, _l("Enter the programme.")),
        ("acronym", acronym, ACRONYM_LENGTH, _l("Enter the project's acronym.")),
        ("title", title, TITLE_LENGTH, _l("Enter the project's title.")),
    ):
        if not text.strip():
            problems[field] = [missing]
        elif len(text.strip()) > length:
            problems[field] = [_l("A name can have at most %(max)d characters.", max=length)]
    if "acronym" not in problems:
        taken = sa.select(Project.id).where(Project.acronym == acronym.strip())
        if project is not None:
            taken = taken.where(Project.id != project.id)
        if db.session.scalar(taken) is not None:
            problems["acronym"] = [_l("A project with the acronym “%(acronym)s” exists already.", acronym=acronym.strip())]
    if starts_on is None:
        problems["starts_on"] = [_l("Enter the project's first day.")]
    if ends_on is None:
        problems["ends_on"] = [_l("Enter the project's last day.")]
    elif starts_on is not None and ends_on < starts_on:
        problems["ends_on"] = [_l("The last day cannot be before the first day.")]
    return problems


DURABILITY_YEARS = range(1, 11)  # the column's check constraint: 1 to 10 years


def _durability_problems(starts_on: date | None, final_payment_on: date | None, durability_years: int | None) -> dict[str, list]:
    problems: dict[str, list] = {}
    if final_payment_on is not None and starts_on is not None and final_payment_on < starts_on:
        problems["final_payment_on"] = [_l("The final payment cannot be before the project's first day.")]
    if durability_years is None or durability_years not in DURABILITY_YEARS:
        problems["durability_years"] = [_l("Enter a durability period of 1 to 10 years.")]
    return problems


def create_project(
    programme: str, acronym: str, title: str, starts_on: date | None, ends_on: date | None, final_payment_on: date | None = None, durability_years: int | None = 5
) -> Project:
    refuse_if_any(_project_problems(programme, acronym, title, starts_on, ends_on, None) | _durability_problems(starts_on, final_payment_on, durability_years))
    project = Project(
        programme=programme.strip(), acronym=acronym.strip(), title=title.strip(), starts_on=starts_on, ends_on=ends_on,
        final_payment_on=final_payment_on, durability_years=durability_years,
    )
    db.session.add(project)
    db.session.flush()
    return project


def change_project(
    project: Project, programme: str, acronym: str, title: str, starts_on: date | None, ends_on: date | None,
    final_payment_on: date | None = None, durability_years: int | None = 5,
) -> None:
    refuse_if_any(_project_problems(programme, acronym, title, starts_on, ends_on, project) | _durability_problems(starts_on, final_payment_on, durability_years))
    project.programme, project.acronym, project.title = programme.strip(), acronym.strip(), title.strip()
    project.starts_on, project.ends_on = starts_on, ends_on
    project.final_payment_on, project.durability_years = final_payment_on, durability_years
    db.session.flush()


def add_partner(project: Project, tenant: Tenant | None, number: int | None, lead: bool) -> Partner:
    """The lead partner is LP1 by Interreg's convention, but the number is the admin's to give: one per project."""
    problems: dict[str, list] = {}
    partners = db.session.scalars(sa.select(Partner).where(Partner.project_id == project.id)).all()
    if tenant is None:
        problems["tenant"] = [_l("Choose a tenant.")]
    elif any(partner.tenant_id == tenant.id for partner in partners):
        problems["tenant"] = [_l("%(tenant)s is a partner of this project already.", tenant=tenant.name)]
    if number is None or number < 1:
        problems["number"] = [_l("Enter a partner number of 1 or more.")]
    elif any(partner.number == number for partner in partners):
        problems["number"] = [_l("Another partner has the number %(number)d.", number=number)]
    if lead and any(partner.role is PartnerRole.LEAD for partner in partners):
        problems["lead"] = [_l("The project has a lead partner already.")]
    refuse_if_any(problems)
    partner = Partner(project_id=project.id, tenant_id=tenant.id, number=number, role=PartnerRole.LEAD if lead else PartnerRole.PARTNER)
    db.session.add(partner)
    db.session.flush()
    return partner


def appoint_lead(project: Project, user) -> ProjectLead:
    if user is None:
        raise Refused({"email": [_l("No user has this e-mail address. Create the user first.")]})
    taken = sa.select(ProjectLead.id).where(ProjectLead.project_id == project.id, ProjectLead.user_id == user.id)
    if db.session.scalar(taken) is not None:
        raise Refused({"email": [_l("%(name)s leads this project already.", name=user.name)]})
    lead = ProjectLead(project_id=project.id, user_id=user.id)
    db.session.add(lead)
    db.session.flush()
    return lead


def remove_lead(project: Project, user) -> None:
    lead = db.session.scalar(sa.select(ProjectLead).where(ProjectLead.project_id == project.id, ProjectLead.user_id == user.id))
    if lead is None:
        raise Refused(detail=_l("%(name)s does not lead this project.", name=user.name))
    db.session.delete(lead)
    db.session.flush()
