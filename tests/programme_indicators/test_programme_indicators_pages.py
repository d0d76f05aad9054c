"""The lead's pages of programme indicators: the table of a reporting period in the indicators page and in the
project's funding dashboard, adding the common indicators, changing and removing one, typing a value and
attaching evidence per period. Only the project's lead (or an admin) reaches them; bad input is a 422 with the
message next to its field and nothing saved; the dashboard reads a bounded number of statements."""
from decimal import Decimal
import io
import re

from indicator_data import JOINT, PDF, manual
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.storage.models import StoredFile
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Partner, PartnerRole, Project, ProjectLead
from bibnet.tenants.funding_reports.programme_indicators import services
from bibnet.tenants.funding_reports.programme_indicators.models import IndicatorEvidence, ProgrammeIndicator

from conftest import csrf_token, log_in, post_form

pytest_plugins = ["indicator_fixtures"]


def log_in_as(client, email: str) -> None:
    """Log out whoever is logged in, then log in as `email`."""
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/profile").get_data(as_text=True))})
    log_in(client, email)


def url(project, rest: str = "") -> str:
    return f"/projects/{project.id}/indicators/{rest}"


def test_the_lead_sees_each_indicator_with_this_periods_values_and_evidence(world, periods, counts, indicators, client):
    _fed, conferences = indicators
    counts.values = {(world.pasvalys.id, periods[1].starts_on): (12, 0), (world.jelgava.id, periods[2].starts_on): (5, 0)}
    services.set_values(world.project, periods[2], {"CONF1": Decimal(1)})
    services.attach_evidence(world.project, conferences, periods[2], PDF, "attendance.pdf", "Signed attendance list", world.lead)
    db.session.commit()
    log_in(client, "lead@pasvalys.example")
    page = client.get(url(world.project, "?period=2")).get_data(as_text=True)
    table = page[page.index('id="indicators-table"'):]
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", table, re.S)]
    rco81 = cells[cells.index("RCO81 (change)"):][:9]
    assert rco81[3:8] == ["0", "300", "12", "5", "17"]  # baseline, target, previously, this report, cumulative
    assert "Signed attendance list" in page and "attendance.pdf" in page


def test_the_project_dashboard_shows_the_indicators_in_an_accessible_table(world, periods, counts, indicators, client):
    log_in(client, "lead@pasvalys.example")
    page = client.get(f"/projects/{world.project.id}/funding/?period=3").get_data(as_text=True)
    assert 'id="programme-indicators-heading"' in page and "<caption id=\"indicators-caption\">" in page
    assert 'scope="col"' in page and "Jointly organised conferences" in page


def test_the_lead_adds_the_common_indicators_then_sets_a_target(world, periods, counts, client):
    log_in(client, "lead@pasvalys.example")
    response = post_form(client, url(world.project, "common"), {"codes": ["RCO81", "RCR84"]}, page=url(world.project))
    assert response.status_code == 302
    indicator = db.session.scalar(sa.select(ProgrammeIndicator).where(ProgrammeIndicator.code == "RCR84"))
    data = {"code": "RCR84", "name": indicator.name, "unit": indicator.unit, "baseline": "0", "target": "8", "whole_numbers": "y", "measurement": "manual"}
    response = post_form(client, url(world.project, f"{indicator.id}/"), data)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgrammeIndicator, indicator.id).target == Decimal(8)


def test_text_or_a_negative_target_is_refused_next_to_its_field_and_nothing_is_saved(world, periods, counts, indicators, client):
    log_in(client, "lead@pasvalys.example")
    for target, message in (("a lot", "Enter a number, for example 12 or 12.5."), ("-3", "Enter zero or more")):
        data = {"code": "CONF2", "name": "Conferences", "unit": "conferences", "baseline": "0", "target": target, "whole_numbers": "y", "measurement": "manual"}
        response = post_form(client, url(world.project, "new"), data)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert 'id="target-error"' in page and message in page
    data = {"code": "RCO81", "name": "Again", "unit": "participations", "baseline": "0", "target": "3", "whole_numbers": "y", "measurement": "manual"}
    response = post_form(client, url(world.project, "new"), data)
    assert response.status_code == 422 and "The project has an indicator RCO81 already." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeIndicator)) == 2


def test_the_lead_types_a_value_and_attaches_evidence_then_downloads_it(world, periods, counts, indicators, client):
    _fed, conferences = indicators
    log_in(client, "lead@pasvalys.example")
    page_url = url(world.project, f"{conferences.id}/periods/3")
    assert post_form(client, page_url, {"action": "value", "value-value": "-1"}).status_code == 422
    assert post_form(client, page_url, {"action": "value", "value-value": "1"}).status_code == 302
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    response = client.post(page_url, data={
        "csrf_token": token, "action": "evidence", "evidence-description": "Signed attendance list", "evidence-file": (io.BytesIO(PDF), "list.pdf"),
    }, content_type="multipart/form-data")
    assert response.status_code == 302
    evidence = db.session.scalar(sa.select(IndicatorEvidence))
    download = client.get(url(world.project, f"evidence/{evidence.id}"))
    assert download.status_code == 200 and download.data == PDF
    assert services.rows_of(world.project, periods[3])[1].this_report == 1
    # Through the lead partner's own file links the evidence is not served: only the project's page serves it.
    log_in_as(client, "coordinator@pasvalys.example")
    assert client.get(f"/t/pasvalys/files/{evidence.file_id}").status_code == 404


def test_removing_an_indicator_from_its_page_keeps_it_in_the_database(world, periods, counts, indicators, client):
    _fed, conferences = indicators
    log_in(client, "lead@pasvalys.example")
    assert post_form(client, url(world.project, f"{conferences.id}/remove"), {}, page=url(world.project, f"{conferences.id}/")).status_code == 302
    db.session.expire_all()
    assert db.session.get(ProgrammeIndicator, conferences.id).deleted_at is not None
    assert client.get(url(world.project, f"{conferences.id}/")).status_code == 404


def test_only_the_projects_lead_or_an_admin_reaches_the_indicators(world, periods, counts, indicators, client, make_user, make_tenant):
    _fed, conferences = indicators
    pages = [url(world.project), url(world.project, f"{conferences.id}/"), url(world.project, f"{conferences.id}/periods/1"), f"/api/v1/projects/{world.project.id}/indicators"]
    log_in(client, "coordinator@jelgava.example")
    for email in ("coordinator@jelgava.example", "staff@pasvalys.example", "coordinator@pasvalys.example"):
        log_in_as(client, email)
        for page in pages[:3]:
            assert client.get(page).status_code == 404, (email, page)
    # The lead of another project, partner of Jelgava too, reaches neither the pages nor the indicator through their own project.
    other_lead = make_user("lead@other.example", "Other Lead")
    other = Project(programme="Interreg", acronym="Other", title="Other", starts_on=periods[1].starts_on, ends_on=periods[3].ends_on)
    db.session.add(other)
    db.session.flush()
    db.session.add_all([Partner(project_id=other.id, tenant_id=world.jelgava.id, number=1, role=PartnerRole.LEAD), ProjectLead(project_id=other.id, user_id=other_lead.id)])
    db.session.commit()
    log_in_as(client, "lead@other.example")
    assert client.get(url(world.project)).status_code == 404
    assert client.get(url(other, f"{conferences.id}/")).status_code == 404
    assert client.post(url(other, f"{conferences.id}/remove"), data={"csrf_token": csrf_token(client.get(url(other)).get_data(as_text=True))}).status_code == 404
    log_in_as(client, "admin@bibnet.example")
    assert all(client.get(page).status_code == 200 for page in pages[:3])
    db.session.expire_all()
    assert db.session.get(ProgrammeIndicator, conferences.id).deleted_at is None


def test_the_dashboard_reads_as_many_statements_for_two_indicators_as_for_ten(world, periods, counts, indicators, client, count_queries):
    log_in(client, "lead@pasvalys.example")
    client.get(url(world.project, "?period=3"))

    def statements() -> int:
        with count_queries() as counted:
            assert client.get(url(world.project, "?period=3")).status_code == 200
        return counted.n

    few = statements()
    for number in range(8):
        services.add(world.project, manual(f"OWN{number}", "5"))
        services.set_values(world.project, periods[2], {f"OWN{number}": Decimal(1)})
    db.session.commit()
    assert statements() == few
    assert JOINT in services.keys_of(indicators[0])


def test_the_lead_removes_an_evidence_file_and_its_stored_bytes(world, periods, counts, indicators, client):
    _fed, conferences = indicators
    evidence = services.attach_evidence(world.project, conferences, periods[1], PDF, "wrong.pdf", "The wrong list", world.lead)
    db.session.commit()
    evidence_id, file_id = evidence.id, evidence.file_id
    log_in(client, "lead@pasvalys.example")
    page = url(world.project, f"{conferences.id}/periods/1")
    assert post_form(client, url(world.project, f"evidence/{evidence_id}/remove"), {}, page=page).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorEvidence)) == 0
    assert client.get(url(world.project, f"evidence/{evidence_id}")).status_code == 404
    with tenant_scope(world.pasvalys):
        assert db.session.get(StoredFile, file_id) is None
