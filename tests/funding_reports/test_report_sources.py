"""The project report's sources: summed by position when every partner has the same sources in the same order,
and listed partner by partner when they do not, so that no partner's money is shown under another source."""
from decimal import Decimal

import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.budgets.models import ContributionSource
from bibnet.tenants.funding_reports.report import build_project_report

pytest_plugins = ["report_demo"]  # the fixture `demo_project`


def test_partners_with_the_same_sources_are_summed_source_by_source(demo_project, app):
    with app.test_request_context():
        report = build_project_report(demo_project, demo_project.reporting_periods[-1])
    labels = [row.label for row in report.sources]
    assert "Valstybės biudžetas / Valsts budžets" in labels
    assert [row.planned for row in report.sources if row.label.startswith("Valstybės")] == [Decimal("12456.23")]


def test_a_partner_with_other_sources_gets_its_own_rows(demo_project, app):
    jelgava = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "jelgava"))
    with tenant_scope(jelgava):
        state = db.session.scalar(sa.select(ContributionSource).where(ContributionSource.position == 1))
        db.session.delete(state)
        db.session.flush()
        municipal = db.session.scalar(sa.select(ContributionSource))
        municipal.position = 1
        db.session.commit()
    with app.test_request_context():
        report = build_project_report(demo_project, demo_project.reporting_periods[-1])
    rows = {row.label: row for row in report.sources}
    assert rows["PP2 Pašvaldības budžets"].planned == Decimal("36281.10") - Decimal("29024.88")
    assert rows["LP1 Valstybės biudžetas"].planned == Decimal("5200.01")
    contribution = rows["Partner contribution"].planned
    assert contribution == sum(row.planned for label, row in rows.items() if label[:3] in ("LP1", "PP2", "PP3"))


def test_sources_that_ask_for_more_than_the_contribution_refuse_the_report_with_a_message(demo_project, client):
    from report_demo import DEMO_PASSWORD

    from conftest import log_in

    jelgava = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "jelgava"))
    with tenant_scope(jelgava):
        state = db.session.scalar(sa.select(ContributionSource).where(ContributionSource.position == 1))
        state.value = Decimal("90.00")  # 90 % of the total, from a contribution of 20 %
        db.session.commit()
    log_in(client, "lead@pasvalys.example", DEMO_PASSWORD)
    for file_format in ("csv", "pdf"):
        response = client.get(f"/projects/{demo_project.id}/funding/report.{file_format}?period=4")
        assert response.status_code == 422 and "contribution sources ask for more" in response.get_data(as_text=True)
    from bibnet.accounts.models import User
    from bibnet.accounts.services import issue_api_token

    secret = issue_api_token(db.session.scalar(sa.select(User).where(User.email == "lead@pasvalys.example")), "report")
    db.session.commit()
    response = client.get(f"/api/v1/projects/{demo_project.id}/funding-report?format=xlsx&period=4", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
