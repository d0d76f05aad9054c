"""A tenant's slug, time zone and language are checked wherever a tenant is made, and a zone stored before
that check (one the zone database does not know) never turns the tenant's pages into server errors."""
from click.testing import CliRunner
from flask.cli import ScriptInfo
import pytest
import sqlalchemy as sa

from bibnet.cli import main
from bibnet.extensions import db
from bibnet.tenancy.models import Country, Tenant
from bibnet.tenancy.validation import tenant_problems

from conftest import log_in


def bibnet(app, *args):
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))


def create(app, slug="riga", timezone="Europe/Riga", locale="lv"):
    return bibnet(app, "tenant", "create", "--slug", slug, "--name", "Rīga", "--country", "LV", "--locale", locale, "--timezone", timezone)


def tenants() -> list[str]:
    return db.session.scalars(sa.select(Tenant.slug)).all()


@pytest.mark.parametrize("slug", ["riga", "riga-central", "rajons-2"])
def test_a_tenant_is_created_with_a_slug_of_lowercase_letters_digits_and_hyphens(app, app_context, slug):
    result = create(app, slug)
    assert result.exit_code == 0, result.output
    assert tenants() == [slug]


@pytest.mark.parametrize("slug", ["Bad Slug!", "Riga", "riga_central", "-riga", "riga-", "riga--central", "", "a" * 41, "rīga"])
def test_a_slug_that_cannot_be_a_url_prefix_is_refused(app, app_context, slug):
    result = create(app, slug)
    assert result.exit_code != 0 and "--slug: Use up to 40 lowercase letters (a–z), digits and single hyphens" in result.output
    assert tenants() == []


@pytest.mark.parametrize("zone", ["Europe/Vilnus", "Mars/Olympus", "", "europe/riga", "Europe/Riga\x00"])
def test_a_time_zone_the_zone_database_does_not_know_is_refused(app, app_context, zone):
    result = create(app, timezone=zone)
    assert result.exit_code != 0 and "is not a time zone. Use a name from the time zone database" in result.output
    assert tenants() == []


def test_the_problems_are_named_per_field_for_the_admin_pages_to_come(app_context):
    assert tenant_problems("riga", "Europe/Riga", "lv") == {}
    assert set(tenant_problems("Bad Slug!", "Mars/Olympus", "de")) == {"slug", "timezone", "default_locale"}


def test_the_model_refuses_them_too(app_context):
    with pytest.raises(ValueError):
        Tenant(slug="riga", name="Rīga", country=Country.LV, default_locale="lv", timezone="Europe/Vilnus")
    with pytest.raises(ValueError):
        Tenant(slug="Bad Slug!", name="Rīga", country=Country.LV, default_locale="lv", timezone="Europe/Riga")


@pytest.mark.parametrize("zone", ["Europe/Vilnus", "Mars/Olympus"])
def test_a_zone_stored_before_zones_were_checked_gives_way_to_the_countrys(world, client, zone):
    with db.engine.begin() as connection:  # as the command line stored it before the check
        connection.execute(sa.update(Tenant.__table__).where(Tenant.__table__.c.slug == "pasvalys").values(timezone=zone))
    log_in(client, world.other_coordinator.email)
    for page in ("/t/pasvalys/", "/t/pasvalys/bookings/week", "/t/pasvalys/usage/", "/t/pasvalys/rooms/"):
        assert client.get(page).status_code == 200, page
    db.session.expire_all()
    assert db.session.get(Tenant, world.pasvalys.id).timezone == "Europe/Vilnius"
    assert bibnet(client.application, "tenant", "list").output.count(zone) == 1  # the list shows what is stored
