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
    # One grouped query per task provider (bookings, budgets, expenditure, e-learning, maintenance), whatever the tenants.
    assert after.n == before.n <= 11, after.statements


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


def _submitted_items(tenant, project, how_many: int, prefix: str) -> None:
    from datetime import date
    from decimal import Decimal

    from bibnet.extensions import db
    from bibnet.tenancy.context import tenant_scope
    from bibnet.tenants.expenditure import services

    with tenant_scope(tenant):
        items = [
            services.create(services.ExpenditureInput(
                period_number=1, category="equipment", invoice_date=date(2024, 9, 10), supplier="SIA Sensorika", invoice_number=f"{prefix}-{number}",
                description="Bubble tube", invoice_total=Decimal("10.00"), declared_amount=Decimal("10.00"),
            ), project)
            for number in range(how_many)
        ]
        services.submit(items)
        db.session.commit()


def test_the_leads_home_with_its_tasks_runs_the_same_statements_for_one_partner_or_many(world, make_tenant, make_project, client, count_queries):
    from datetime import date

    from bibnet.extensions import db
    from bibnet.tenancy.context import tenant_scope
    from bibnet.tenancy.models import ReportingPeriod
    from bibnet.tenants.budgets import versions

    world.project.reporting_periods = [ReportingPeriod(number=1, starts_on=date(2024, 6, 1), ends_on=date(2026, 5, 31))]
    db.session.commit()
    _submitted_items(world.jelgava, world.project, 1, "J")
    log_in(client, "lead@pasvalys.example")
    client.get("/")
    with count_queries() as few:
        assert client.get("/").status_code == 200
    extra = [make_tenant(f"tenant{n}") for n in range(4)]
    second = make_project([world.pasvalys, *extra], lead_user=world.lead, acronym="Second")
    second.reporting_periods = [ReportingPeriod(number=1, starts_on=date(2024, 6, 1), ends_on=date(2026, 5, 31))]
    db.session.commit()
    for number, tenant in enumerate([world.pasvalys, *extra]):
        _submitted_items(tenant, second, 5, f"S{number}")
        with tenant_scope(tenant):
            versions.start_draft(second)
            db.session.commit()
    with count_queries() as many:
        html = client.get("/").get_data(as_text=True)
    assert html.count("for verification (") == 6 and html.count("waits for approval") == 5
    assert many.n == few.n <= 12, many.statements


def test_the_tenant_home_runs_the_same_statements_for_a_quiet_or_a_busy_week(world, make_room, client, count_queries):
    from datetime import time

    from bibnet.extensions import db
    from bibnet.tenancy.context import tenant_scope
    from bibnet.tenants.bookings import services

    from conftest import booking_input, monday_in

    room = make_room(world.jelgava, needs_approval=True)
    log_in(client, "coordinator@jelgava.example")
    client.get("/t/jelgava/")
    with count_queries() as few:
        assert client.get("/t/jelgava/").status_code == 200
    with tenant_scope(world.jelgava):
        for hour in range(9, 17):
            services.create_booking(booking_input(room, world.staff, monday_in(1), time(hour), time(hour, 30)), world.staff, confirm=False)
        db.session.commit()
    with count_queries() as many:
        assert client.get("/t/jelgava/").status_code == 200
    assert many.n == few.n, many.statements
