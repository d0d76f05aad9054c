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
