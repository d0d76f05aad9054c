"""The `bibnet` command: Flask's CLI with the app built in, plus demo, tenant, user and translation commands."""
from contextlib import contextmanager
from pathlib import Path
import subprocess
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, routes_command, run_command, shell_command
import sqlalchemy as sa
from werkzeug.utils import import_string

from bibnet import demo
from bibnet.accounts import services
from bibnet.accounts.models import Membership, Role, User
from bibnet.app import create_app
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy import services as tenancy_services
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, Tenant

main = FlaskGroup(name="bibnet", create_app=create_app, add_default_commands=False, load_dotenv=False, set_debug_flag=False)
main.add_command(shell_command)
main.add_command(routes_command)


@main.command("run", params=list(run_command.params), help=run_command.help)
@click.pass_context
def run(ctx, **options):
    if demo.is_loaded():
        click.echo(f"\nBibNet demo log-ins (password for all: {demo.PASSWORD}):")
        for email, what in demo.logins():
            click.echo(f"  {email:<34} {what}")
        click.echo()
    ctx.invoke(run_command, **options)


@main.command("demo")
def load_demo():
    """Load the demo project, its three partners and their users (safe to run again)."""
    demo.load()
    for feature in current_app.config["FEATURES"]:
        module = import_string(feature)
        if hasattr(module, "load_demo"):
            module.load_demo()
    db.session.commit()
    click.echo("Demo project loaded. Log in with any of:")
    for email, what in demo.logins():
        click.echo(f"  {email:<34} {what}")
    click.echo(f"Password: {demo.PASSWORD}")


def _tenant(slug: str) -> Tenant:
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.ClickException(f"no tenant {slug!r}")
    return tenant


@main.group()
def tenant():
    """Create, change, list and deactivate tenants (partner municipalities)."""


# The command's option for each field a service names in its refusal.
OPTIONS = {"default_locale": "--locale", "is_admin": "--admin", "starts_on": "--starts-on", "ends_on": "--ends-on"}


@contextmanager
def carried_out():
    """The block's service calls are committed; a refusal ends the command with its messages instead."""
    try:
        yield
    except Refused as refusal:
        raise click.ClickException(refusal_message(refusal)) from refusal
    db.session.commit()


def refusal_message(refusal: Refused) -> str:
    """A refusal in the command's words: each message after the option it is about."""
    if not refusal.errors:
        return refusal.summary()
    return "; ".join(f"{OPTIONS.get(field, '--' + field)}: {' '.join(map(str, messages))}" for field, messages in refusal.errors.items())


@tenant.command("create")
@click.option("--slug", required=True, help="URL name, e.g. jelgava")
@click.option("--name", required=True)
@click.option("--country", required=True, help="LV or LT")
@click.option("--locale", required=True, help="default language: en, lv or lt")
@click.option("--timezone", required=True, help="e.g. Europe/Riga")
def tenant_create(slug, name, country, locale, timezone):
    with carried_out():
        tenancy_services.create_tenant(slug, name, country, locale, timezone)
    click.echo(f"created tenant {slug}")


@tenant.command("edit")
@click.argument("slug")
@click.option("--name")
@click.option("--country", help="LV or LT")
@click.option("--locale", help="default language: en, lv or lt")
@click.option("--timezone", help="e.g. Europe/Riga")
def tenant_edit(slug, name, country, locale, timezone):
    """Change what is given; the slug stays."""
    found = _tenant(slug)
    with carried_out():
        tenancy_services.change_tenant(
            found,
            name if name is not None else found.name,
            country or found.country.value,
            locale or found.default_locale,
            timezone or found.stored_timezone,
        )
    click.echo(f"tenant {slug} changed")


@tenant.command("list")
def tenant_list():
    for row in db.session.scalars(sa.select(Tenant).order_by(Tenant.slug)):
        click.echo(f"{row.slug:<20} {row.country.value} {row.default_locale} {row.stored_timezone:<16} {'active' if row.active else 'inactive'}  {row.name}")


@tenant.command("deactivate")
@click.argument("slug")
def tenant_deactivate(slug):
    tenancy_services.set_tenant_active(_tenant(slug), False)
    db.session.commit()
    click.echo(f"tenant {slug} deactivated")


@tenant.command("reactivate")
@click.argument("slug")
def tenant_reactivate(slug):
    tenancy_services.set_tenant_active(_tenant(slug), True)
    db.session.commit()
    click.echo(f"tenant {slug} reactivated")


@main.group()
def user():
    """Create users, set passwords, give roles."""


@user.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--admin", is_flag=True, help="platform administrator")
@click.option("--locale", help="language: en, lv or lt (else that of their first library)")
@click.password_option(help="asked for when not given")
def user_create(email, name, admin, locale, password):
    with carried_out():
        services.create_user(email, name, password=password, is_admin=admin, locale=locale)
    click.echo(f"created user {email.lower()}")


def _user(email: str) -> User:
    found = services.find_user_by_email(email)
    if found is None:
        raise click.ClickException(f"no user {email!r}")
    return found


@user.command("set-password")
@click.argument("email")
@click.password_option()
def user_set_password(email, password):
    services.set_password(_user(email), password)
    db.session.commit()
    click.echo("password set; the user's sessions have ended")


@user.command("add-role")
@click.argument("email")
@click.option("--tenant", "slug", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
def user_add_role(email, slug, role):
    found, target = _user(email), _tenant(slug)
    with tenant_scope(target):
        membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == found.id))
        if membership is None:
            db.session.add(Membership(user=found, tenant_id=target.id, role=Role(role)))
        else:
            membership.role, membership.active = Role(role), True
        db.session.commit()
    click.echo(f"{found.email} is {role} in {slug}")


@user.command("deactivate")
@click.argument("email")
def user_deactivate(email):
    found = _user(email)
    services.set_user_active(found, False)
    db.session.commit()
    click.echo(f"{found.email} deactivated; their sessions have ended")


@user.command("reactivate")
@click.argument("email")
def user_reactivate(email):
    found = _user(email)
    services.set_user_active(found, True)
    db.session.commit()
    click.echo(f"{found.email} reactivated")


@user.command("list")
def user_list():
    for row in db.session.scalars(sa.select(User).order_by(User.email)):
        flags = " ".join(flag for flag, on in (("admin", row.is_admin), ("inactive", not row.active)) if on)
        click.echo(f"{row.email:<36} {row.name} {flags}")


@main.group()
def project():
    """Create projects, add their partners and appoint their leads."""


def _project(acronym: str) -> Project:
    found = db.session.scalar(sa.select(Project).where(Project.acronym == acronym))
    if found is None:
        raise click.ClickException(f"no project {acronym!r}")
    return found


ISO_DATE = click.DateTime(formats=["%Y-%m-%d"])


@project.command("create")
@click.option("--programme", required=True, help="e.g. Interreg VI-A Latvia–Lithuania")
@click.option("--acronym", required=True)
@click.option("--title", required=True)
@click.option("--starts-on", "starts_on", type=ISO_DATE, required=True, help="first day, YYYY-MM-DD")
@click.option("--ends-on", "ends_on", type=ISO_DATE, required=True, help="last day, YYYY-MM-DD")
def project_create(programme, acronym, title, starts_on, ends_on):
    with carried_out():
        tenancy_services.create_project(programme, acronym, title, starts_on.date(), ends_on.date())
    click.echo(f"created project {acronym}")


@project.command("add-partner")
@click.argument("acronym")
@click.option("--tenant", "slug", required=True)
@click.option("--number", type=int, required=True, help="partner number: 1 for LP1, 2 for PP2...")
@click.option("--lead", is_flag=True, help="the lead partner")
def project_add_partner(acronym, slug, number, lead):
    found = _project(acronym)
    with carried_out():
        partner = tenancy_services.add_partner(found, _tenant(slug), number, lead)
    click.echo(f"{slug} is {partner.code} of {acronym}")


@project.command("add-lead")
@click.argument("acronym")
@click.argument("email")
def project_add_lead(acronym, email):
    with carried_out():
        tenancy_services.appoint_lead(_project(acronym), services.find_user_by_email(email))
    click.echo(f"{email} leads {acronym}")


@project.command("remove-lead")
@click.argument("acronym")
@click.argument("email")
def project_remove_lead(acronym, email):
    with carried_out():
        tenancy_services.remove_lead(_project(acronym), _user(email))
    click.echo(f"{email} no longer leads {acronym}")


REPO_ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=REPO_ROOT)


@main.group()
def translate():
    """Extract, update and compile the interface translations (en, lv, lt)."""


@translate.command("extract")
def translate_extract():
    """Collect the texts to translate into messages.pot and merge them into every language."""
    pot = TRANSLATIONS / "messages.pot"
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output", "-o", str(pot), "platform", "tenants", "elearning")
    _pybabel("update", "-i", str(pot), "-d", str(TRANSLATIONS), "--no-fuzzy-matching", "--ignore-obsolete")


@translate.command("init")
@click.argument("locale")
def translate_init(locale):
    """Start a new language."""
    _pybabel("init", "-i", str(TRANSLATIONS / "messages.pot"), "-d", str(TRANSLATIONS), "-l", locale)


@translate.command("compile")
def translate_compile():
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")
