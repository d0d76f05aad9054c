"""Creating and changing tenants: one service for the admin pages and the `bibnet tenant` command.

Each function checks everything first and raises `Refused` with the messages of every wrong field (named as
the form's fields: slug, name, country, default_locale, timezone); it never commits.
"""
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.refusals import refuse_if_any
from bibnet.tenancy.models import Country, Tenant
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
