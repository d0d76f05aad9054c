"""Platform admins create projects, add tenants as partners and appoint project leads in the browser, with the
same services and the same refusals as `bibnet project …`."""
from datetime import date

from click.testing import CliRunner
from flask.cli import ScriptInfo
import pytest
import sqlalchemy as sa

from bibnet.audit.models import AuditEntry
from bibnet.cli import main
from bibnet.extensions import db
from bibnet.tenancy.models import Partner, PartnerRole, Project, ProjectLead

from conftest import log_in, post_form

NEW = {"programme": "Interreg VI-A Latvia–Lithuania", "acronym": "ReadTogether", "title": "Reading together", "starts_on": "2026-01-01", "ends_on": "2027-12-31"}


def bibnet(app, *args):
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))


def acronyms() -> list[str]:
    return sorted(db.session.scalars(sa.select(Project.acronym)))


@pytest.mark.parametrize("who", ["coordinator@jelgava.example", "staff@jelgava.example", "lead@pasvalys.example"])
def test_only_platform_admins_reach_the_project_pages(world, client, who):
    log_in(client, who)
    for page in ("/admin/projects/", "/admin/projects/new", f"/admin/projects/{world.project.id}"):
        assert client.get(page).status_code in (403, 404), page
    assert post_form(client, "/admin/projects/new", NEW, page="/profile").status_code in (403, 404)
    assert post_form(client, f"/admin/projects/{world.project.id}/leads", {"lead-email": world.staff.email}, page="/profile").status_code in (403, 404)
    assert acronyms() == ["InclusiveLibraries"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProjectLead)) == 1


def test_an_admin_creates_a_project_adds_partners_and_a_lead(world, client, make_tenant):
    riga = make_tenant("riga", "Rīga")
    log_in(client, world.admin.email)
    assert client.get("/admin/projects/").status_code == 200
    response = post_form(client, "/admin/projects/new", NEW)
    assert response.status_code == 302
    project = db.session.scalar(sa.select(Project).where(Project.acronym == "ReadTogether"))
    assert (project.starts_on, project.ends_on) == (date(2026, 1, 1), date(2027, 12, 31))
    url = f"/admin/projects/{project.id}"
    assert client.get(url).status_code == 200
    assert post_form(client, f"{url}/partners", {"partner-tenant": str(riga.id), "partner-number": "1", "partner-lead": "y"}, page=url).status_code == 302
    assert post_form(client, f"{url}/partners", {"partner-tenant": str(world.jelgava.id), "partner-number": "2"}, page=url).status_code == 302
    assert post_form(client, f"{url}/leads", {"lead-email": world.lead.email}, page=url).status_code == 302
    partners = db.session.execute(sa.select(Partner.tenant_id, Partner.number, Partner.role).where(Partner.project_id == project.id).order_by(Partner.number)).all()
    assert partners == [(riga.id, 1, PartnerRole.LEAD), (world.jelgava.id, 2, PartnerRole.PARTNER)]
    assert db.session.scalar(sa.select(ProjectLead.user_id).where(ProjectLead.project_id == project.id)) == world.lead.id
    audited = set(db.session.scalars(sa.select(AuditEntry.object_type).where(AuditEntry.actor_id == world.admin.id)))
    assert {"Project", "Partner", "ProjectLead"} <= audited
    assert post_form(client, f"{url}/leads/{world.lead.id}/remove", {}, page=url).status_code == 302
    assert db.session.scalar(sa.select(ProjectLead.id).where(ProjectLead.project_id == project.id)) is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"acronym": "InclusiveLibraries"}, "acronym", "exists already"),
        ({"ends_on": "2025-12-31"}, "ends_on", "cannot be before the first day"),
        ({"title": ""}, "title", "Enter the project"),
    ],
)
def test_bad_project_input_is_shown_next_to_its_field_and_nothing_is_written(world, client, change, field, message):
    log_in(client, world.admin.email)
    response = post_form(client, "/admin/projects/new", NEW | change)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="{field}-error"' in body and message in body
    assert acronyms() == ["InclusiveLibraries"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"partner-tenant": "jelgava", "partner-number": "9"}, "partner-tenant", "is a partner of this project already"),
        ({"partner-tenant": "riga", "partner-number": "2"}, "partner-number", "Another partner has the number 2"),
        ({"partner-tenant": "riga", "partner-number": "3", "partner-lead": "y"}, "partner-lead", "has a lead partner already"),
        ({"partner-tenant": "0", "partner-number": "3"}, "partner-tenant", "Choose a tenant"),
    ],
)
def test_a_partner_that_cannot_be_is_refused(world, client, make_tenant, data, field, message):
    riga = make_tenant("riga", "Rīga")
    ids = {"jelgava": str(world.jelgava.id), "riga": str(riga.id), "0": "0"}
    log_in(client, world.admin.email)
    url = f"/admin/projects/{world.project.id}"
    response = post_form(client, f"{url}/partners", data | {"partner-tenant": ids[data["partner-tenant"]]}, page=url)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="{field}-error"' in body and message in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Partner)) == 2


def test_a_lead_must_be_an_existing_user_and_is_appointed_once(world, client):
    log_in(client, world.admin.email)
    url = f"/admin/projects/{world.project.id}"
    for email, message in (("nobody@example.lv", "Create the user first"), (world.lead.email, "leads this project already")):
        response = post_form(client, f"{url}/leads", {"lead-email": email}, page=url)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProjectLead)) == 1


def test_the_command_line_does_the_same_with_the_same_refusals(world, app, make_tenant):
    make_tenant("riga", "Rīga")
    create = ["project", "create", "--programme", "Interreg", "--title", "Reading together", "--starts-on", "2026-01-01"]
    result = bibnet(app, *create, "--acronym", "InclusiveLibraries", "--ends-on", "2027-12-31")
    assert result.exit_code != 0 and "--acronym: A project with the acronym “InclusiveLibraries” exists already." in result.output
    result = bibnet(app, *create, "--acronym", "ReadTogether", "--ends-on", "2025-12-31")
    assert result.exit_code != 0 and "--ends-on: The last day cannot be before the first day." in result.output
    assert acronyms() == ["InclusiveLibraries"]
    assert bibnet(app, *create, "--acronym", "ReadTogether", "--ends-on", "2027-12-31").exit_code == 0
    assert bibnet(app, "project", "add-partner", "ReadTogether", "--tenant", "riga", "--number", "1", "--lead").exit_code == 0
    result = bibnet(app, "project", "add-partner", "ReadTogether", "--tenant", "jelgava", "--number", "1")
    assert result.exit_code != 0 and "--number: Another partner has the number 1." in result.output
    assert bibnet(app, "project", "add-lead", "ReadTogether", world.lead.email).exit_code == 0
    result = bibnet(app, "project", "add-lead", "ReadTogether", "nobody@example.lv")
    assert result.exit_code != 0 and "Create the user first" in result.output
    assert bibnet(app, "project", "remove-lead", "ReadTogether", world.lead.email).exit_code == 0
