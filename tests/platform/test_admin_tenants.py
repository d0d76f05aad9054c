"""Platform admins create, change and deactivate tenants in the browser, with the same service and the same
refusals as `bibnet tenant …`; nobody else reaches the admin pages."""
from click.testing import CliRunner
from flask.cli import ScriptInfo
import pytest
import sqlalchemy as sa

from bibnet.audit.models import AuditEntry
from bibnet.cli import main
from bibnet.extensions import db
from bibnet.tenancy.models import Country, Tenant

from conftest import log_in, post_form

ADMIN_PAGES = ["/admin/", "/admin/tenants/", "/admin/tenants/new", "/admin/users/", "/admin/users/new"]
RIGA = {"slug": "riga", "name": "Rīga", "country": "LV", "default_locale": "lv", "timezone": "Europe/Riga"}


def bibnet(app, *args):
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))


def slugs() -> list[str]:
    return sorted(db.session.scalars(sa.select(Tenant.slug)))


@pytest.mark.parametrize("who", ["coordinator@jelgava.example", "staff@jelgava.example", "lead@pasvalys.example"])
def test_only_platform_admins_reach_the_admin_pages(world, client, who):
    log_in(client, who)
    for page in [*ADMIN_PAGES, f"/admin/tenants/{world.jelgava.id}", f"/admin/users/{world.staff.id}"]:
        assert client.get(page).status_code in (403, 404), page
    assert post_form(client, "/admin/tenants/new", RIGA, page="/profile").status_code in (403, 404)
    assert "riga" not in slugs()
    assert "/admin/" not in client.get("/").get_data(as_text=True)


def test_an_admin_finds_the_administration_in_the_menu_and_every_page_opens(world, client):
    log_in(client, world.admin.email)
    assert 'href="/admin/"' in client.get("/").get_data(as_text=True)
    for page in [*ADMIN_PAGES, f"/admin/tenants/{world.jelgava.id}", f"/admin/users/{world.staff.id}"]:
        assert client.get(page).status_code == 200, page


def test_an_admin_creates_a_tenant_and_the_change_is_audited(world, client):
    log_in(client, world.admin.email)
    response = post_form(client, "/admin/tenants/new", RIGA)
    assert response.status_code == 302
    riga = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "riga"))
    assert (riga.name, riga.country, riga.default_locale, riga.timezone, riga.active) == ("Rīga", Country.LV, "lv", "Europe/Riga", True)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.object_type == "Tenant", AuditEntry.object_id == riga.id))
    assert (entry.action, entry.actor_id, entry.changes["slug"]) == ("create", world.admin.id, "riga")
    assert "Rīga" in client.get("/admin/tenants/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"slug": "Bad Slug!"}, "slug", "Use up to 40 lowercase letters"),
        ({"timezone": "Mars/Olympus"}, "timezone", "is not a time zone"),
        ({"slug": "jelgava"}, "slug", "exists already"),
        ({"name": " "}, "name", "Enter the tenant"),
        ({"country": "EE"}, "country", "Choose one of the countries"),
        ({"default_locale": "de"}, "default_locale", "Choose one of the languages"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_written(world, client, change, field, message):
    log_in(client, world.admin.email)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    response = post_form(client, "/admin/tenants/new", RIGA | change)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in body and message in body
    assert "There is a problem" in body and f'href="#{field}"' in body
    assert slugs() == ["jelgava", "pasvalys"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--slug", "Bad Slug!", "--slug: Use up to 40 lowercase letters"),
        ("--timezone", "Mars/Olympus", "--timezone: “Mars/Olympus” is not a time zone"),
        ("--slug", "jelgava", "--slug: A tenant with the URL name “jelgava” exists already."),
        ("--country", "EE", "--country: Choose one of the countries"),
    ],
)
def test_the_command_line_refuses_the_same_input_with_the_same_messages(world, app, option, value, message):
    options = {"--slug": "riga", "--name": "Rīga", "--country": "LV", "--locale": "lv", "--timezone": "Europe/Riga"} | {option: value}
    result = bibnet(app, "tenant", "create", *[part for pair in options.items() for part in pair])
    assert result.exit_code != 0 and message in result.output, result.output
    assert slugs() == ["jelgava", "pasvalys"]


def test_an_admin_changes_a_tenant_but_its_slug_stays(world, client):
    log_in(client, world.admin.email)
    url = f"/admin/tenants/{world.jelgava.id}"
    response = post_form(client, url, {"slug": "elsewhere", "name": "Jelgava City", "country": "LV", "default_locale": "en", "timezone": "Europe/Riga", "action": "save"})
    assert response.status_code == 302
    db.session.expire_all()
    jelgava = db.session.get(Tenant, world.jelgava.id)
    assert (jelgava.slug, jelgava.name, jelgava.default_locale) == ("jelgava", "Jelgava City", "en")


def test_a_bad_change_is_refused_and_the_tenant_stays_as_it_was(world, client):
    log_in(client, world.admin.email)
    url = f"/admin/tenants/{world.jelgava.id}"
    response = post_form(client, url, {"name": "Jelgava City", "country": "LV", "default_locale": "lv", "timezone": "Mars/Olympus", "action": "save"})
    assert response.status_code == 422 and 'id="timezone-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    jelgava = db.session.get(Tenant, world.jelgava.id)
    assert (jelgava.name, jelgava.stored_timezone) == ("Jelgava Municipality", "Europe/Riga")


def test_a_deactivated_tenants_pages_answer_404_until_it_is_reactivated(world, client, app):
    log_in(client, world.admin.email)
    url = f"/admin/tenants/{world.jelgava.id}"
    assert post_form(client, url, {"action": "deactivate"}).status_code == 302
    assert client.get("/t/jelgava/").status_code == 404
    assert post_form(client, url, {"action": "reactivate"}).status_code == 302
    assert client.get("/t/jelgava/").status_code == 200
    assert bibnet(app, "tenant", "deactivate", "jelgava").exit_code == 0
    assert client.get("/t/jelgava/").status_code == 404
    assert bibnet(app, "tenant", "reactivate", "jelgava").exit_code == 0
    assert client.get("/t/jelgava/").status_code == 200


def test_the_command_line_changes_a_tenant_through_the_same_service(world, app):
    result = bibnet(app, "tenant", "edit", "jelgava", "--timezone", "Mars/Olympus")
    assert result.exit_code != 0 and "--timezone:" in result.output
    assert bibnet(app, "tenant", "edit", "jelgava", "--name", "Jelgava City").exit_code == 0
    db.session.expire_all()
    assert db.session.get(Tenant, world.jelgava.id).name == "Jelgava City"


def test_the_pages_are_translated(world, client):
    log_in(client, world.admin.email)
    client.post("/language", data={"locale": "lv", "csrf_token": ""})
    world.admin.locale = "lv"
    db.session.commit()
    response = post_form(client, "/admin/tenants/new", RIGA | {"timezone": "Mars/Olympus"})
    body = response.get_data(as_text=True)
    assert "Izveidot pašvaldību" in body and "nav laika josla" in body
