"""`bibnet demo` loads the Latvia–Lithuania project, and loading it twice changes nothing."""
from click.testing import CliRunner
from flask.cli import ScriptInfo
import sqlalchemy as sa

from bibnet import demo
from bibnet.accounts.models import User
from bibnet.audit.models import AuditEntry
from bibnet.cli import main
from bibnet.extensions import db
from bibnet.tenancy.models import Partner, Project, Tenant

from conftest import log_in


def bibnet(app, *args):
    """Run a `bibnet` command against the test app."""
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))


def _counts():
    return [db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in (Tenant, Project, Partner, User)]


def test_the_demo_loads_the_project_its_partners_and_a_user_for_each_role(app, app_context):
    result = bibnet(app, "demo")
    assert result.exit_code == 0, result.output
    assert "coordinator@jelgava.example" in result.output and "bibnet-demo" in result.output
    assert _counts() == [3, 1, 3, 8]
    partners = db.session.scalars(sa.select(Partner).order_by(Partner.number)).all()
    assert [(p.code, p.tenant.slug, p.tenant.country.value) for p in partners] == [
        ("LP1", "pasvalys", "LT"), ("PP2", "jelgava", "LV"), ("PP3", "augsdaugava", "LV")
    ]
    audit_rows = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    assert bibnet(app, "demo").exit_code == 0
    assert _counts() == [3, 1, 3, 8]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == audit_rows


def test_demo_log_ins_work_as_the_readme_says(app, app_context, client):
    demo.load()
    db.session.commit()
    log_in(client, "coordinator@jelgava.example", demo.PASSWORD)
    assert client.get("/t/jelgava/users/").status_code == 200
    assert client.get("/t/pasvalys/").status_code == 404
    lead = client.__class__(app)
    log_in(lead, "lead@pasvalys.example", demo.PASSWORD)
    page = lead.get("/").get_data(as_text=True)
    for name in ("Pasvalys District Municipality", "Jelgava Municipality", "Augšdaugava Municipality"):
        assert name in page
    for slug in ("pasvalys", "jelgava", "augsdaugava"):
        assert lead.get(f"/t/{slug}/").status_code == 200


def test_the_run_command_prints_the_demo_log_ins(app, app_context, monkeypatch):
    from flask.cli import run_command

    demo.load()
    db.session.commit()
    monkeypatch.setattr(run_command, "callback", lambda *args, **kwargs: None)
    result = bibnet(app, "run")
    assert "admin@bibnet.example" in result.output and "staff@augsdaugava.example" in result.output
