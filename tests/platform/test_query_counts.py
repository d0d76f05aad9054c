"""List pages run a bounded number of SQL statements, whatever the number of rows."""
from bibnet.accounts.models import Role

from conftest import log_in


def test_the_tenant_users_page_runs_the_same_statements_for_2_or_40_users(world, make_user, client, count_queries):
    log_in(client, "coordinator@jelgava.example")
    client.get("/t/jelgava/users/")
    with count_queries() as few:
        assert client.get("/t/jelgava/users/").status_code == 200
    for number in range(38):
        make_user(f"reader{number}@example.lv", f"Reader {number:02d}", world.jelgava, Role.STAFF)
    with count_queries() as many:
        assert client.get("/t/jelgava/users/?per_page=50").status_code == 200
    assert many.n == few.n <= 8, many.statements


def test_the_dashboard_of_the_lead_and_admin_is_bounded(world, make_tenant, make_project, client, count_queries):
    log_in(client, "admin@bibnet.example")
    with count_queries() as before:
        client.get("/")
    extra = [make_tenant(f"tenant{n}") for n in range(10)]
    make_project(extra, acronym="Second")
    with count_queries() as after:
        client.get("/")
    assert after.n == before.n <= 10, after.statements


def test_the_audit_log_pages_run_the_same_statements_for_few_or_many_entries(world, make_user, client, count_queries):
    from datetime import UTC, datetime

    from bibnet.audit.models import AuditEntry
    from bibnet.extensions import db

    urls = ("/t/jelgava/audit/", f"/projects/{world.project.id}/audit/", "/admin/audit/")
    counts = {}
    for email, url in zip(("coordinator@jelgava.example", "lead@pasvalys.example", "admin@bibnet.example"), urls, strict=True):
        signed_in = client.application.test_client()
        log_in(signed_in, email)
        signed_in.get(url)
        with count_queries() as few:
            assert signed_in.get(url).status_code == 200
        counts[url] = (signed_in, few.n)
    actors = [make_user(f"reader{number}@example.lv", f"Reader {number:02d}", world.jelgava, Role.STAFF) for number in range(10)]
    db.session.add_all(
        AuditEntry(at=datetime.now(UTC), actor_id=actors[number % 10].id, tenant_id=(world.jelgava, world.pasvalys)[number % 2].id, action="update", object_type="Room", object_id=number, changes={"name": ["a", "b"]})
        for number in range(120)
    )
    db.session.commit()
    for url, (signed_in, few) in counts.items():
        with count_queries() as many:
            assert signed_in.get(url + "?per_page=100").status_code == 200
        assert many.n == few <= 8, (url, many.statements)
