"""What is waiting for me: the core's tasks registry, each role's home starting with its tasks, and the lead's
project page linked from the header."""
from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from bibnet import tasks
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tasks import Task, Urgency
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import ReportingPeriod
from bibnet.tenants.bookings import services as bookings
from bibnet.tenants.bookings.models import Activity, Booking, Occurrence, Status
from bibnet.tenants.bookings.recurrence import Frequency, to_local, to_utc
from bibnet.tenants.budgets import versions
from bibnet.tenants.expenditure import services as expenditure

from conftest import booking_input, log_in, monday_in

NOT_A_MEMBER = "You are not a member of any library yet"


@pytest.fixture
def project(world):
    """The world's project with one reporting period, for expenditure."""
    world.project.reporting_periods = [ReportingPeriod(number=1, starts_on=date(2024, 6, 1), ends_on=date(2026, 5, 31))]
    db.session.commit()
    return world.project


def make_item(tenant, project, status="draft", invoice_number="SR-1") -> None:
    """An invoice of `tenant`, moved through the services to `status` (draft, submitted or verified)."""
    with tenant_scope(tenant):
        item = expenditure.create(expenditure.ExpenditureInput(
            period_number=1, category="equipment", invoice_date=date(2024, 9, 10), supplier="SIA Sensorika", invoice_number=invoice_number,
            description="Bubble tube", invoice_total=Decimal("1210.00"), declared_amount=Decimal("1210.00"),
        ), project)
        if status != "draft":
            expenditure.submit([item])
        if status == "verified":
            expenditure.verify(item)
        db.session.commit()


@pytest.fixture
def own_registry(monkeypatch):
    """An empty registry for the test, so that the features' providers do not run."""
    monkeypatch.setattr(tasks, "_providers", {})
    return tasks


class TestTheRegistry:
    def test_tasks_come_from_every_provider_most_urgent_first_and_empty_kinds_are_left_out(self, own_registry):
        own_registry.register("certificates", lambda user: [Task("2 certificates expire", 2, "/c", Urgency.SOON)])
        own_registry.register("requests", lambda user: [Task("1 request", 1, "/r", Urgency.WAITING), Task("0 requests", 0, "/r0")])
        own_registry.register("loans", lambda user: [Task("3 loans overdue", 3, "/l", Urgency.OVERDUE)])
        assert [task.label for task in own_registry.tasks_of(object())] == ["3 loans overdue", "1 request", "2 certificates expire"]

    def test_a_provider_registered_twice_under_one_name_runs_once(self, own_registry):
        provider = lambda user: [Task("1 request", 1, "/r")]  # noqa: E731
        own_registry.register("requests", provider)
        own_registry.register("requests", provider)
        assert len(own_registry.tasks_of(object())) == 1

    def test_a_provider_gets_the_user_it_lists_tasks_for(self, own_registry):
        own_registry.register("mine", lambda user: [Task(f"for {user}", 1, "/")])
        assert own_registry.tasks_of("Ilze")[0].label == "for Ilze"


def page(client, url="/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


class TestTheLeadsHome:
    def test_the_lead_sees_the_submitted_items_of_each_partner_and_a_budget_draft(self, world, project, client):
        for number in range(9):
            make_item(world.jelgava, project, "submitted", f"J-{number}")
        make_item(world.pasvalys, project, "submitted", "P-1")
        make_item(world.pasvalys, project, "verified", "P-2")  # decided: not waiting
        make_item(world.pasvalys, project, "draft", "P-3")  # a draft: not submitted
        with tenant_scope(world.jelgava):
            versions.start_draft(project)
            db.session.commit()
        log_in(client, "lead@pasvalys.example")
        html = page(client)
        assert html.index("What is waiting for you") < html.index("Project InclusiveLibraries: partners")
        assert "9 expenditure items of Jelgava Municipality wait for verification (InclusiveLibraries)" in html
        assert f'href="/t/jelgava/expenditure/{project.id}/?status=submitted"' in html
        assert "1 expenditure item of Pasvalys District Municipality waits for verification (InclusiveLibraries)" in html
        assert "1 budget draft of Jelgava Municipality waits for approval (InclusiveLibraries)" in html
        assert f'href="/t/jelgava/budget/{project.id}/versions/0/"' in html

    def test_the_lead_who_is_member_of_no_library_is_not_told_to_ask_for_an_invitation(self, world, client):
        log_in(client, "lead@pasvalys.example")
        html = page(client)
        assert NOT_A_MEMBER not in html
        assert "Nothing is waiting for you." in html

    def test_the_lead_of_another_project_sees_none_of_these_tasks(self, world, project, make_user, make_project, client):
        make_item(world.jelgava, project, "submitted")
        other_lead = make_user("lead@elsewhere.example", "Other Lead")
        make_project([world.jelgava], lead_user=other_lead, acronym="Elsewhere")
        log_in(client, "lead@elsewhere.example")
        assert "wait" not in page(client).split("What is waiting for you")[1].split("</section>")[0].replace("waiting", "")

    def test_the_header_links_the_lead_to_the_page_of_the_project(self, world, client):
        log_in(client, "lead@pasvalys.example")
        html = page(client, "/t/jelgava/")
        assert f'<a href="/projects/{world.project.id}/" >Project InclusiveLibraries</a>' in html
        project_page = page(client, f"/projects/{world.project.id}/")
        assert "Pasvalys District Municipality" in project_page and "Jelgava Municipality" in project_page
        assert f'href="/projects/{world.project.id}/funding/"' in project_page

    def test_the_header_of_a_coordinator_links_to_no_project(self, world, client):
        log_in(client, "coordinator@jelgava.example")
        assert "/projects/" not in page(client, "/t/jelgava/")

    def test_the_project_page_is_the_leads_and_the_admins_only(self, app, world):
        for email, status in [("coordinator@jelgava.example", 404), ("admin@bibnet.example", 200)]:
            client = app.test_client()
            log_in(client, email)
            assert client.get(f"/projects/{world.project.id}/").status_code == status, email


class TestTheCoordinatorsHome:
    def test_the_coordinator_sees_the_booking_requests_to_approve_in_their_library(self, app, world, make_room, client):
        room = make_room(world.jelgava, needs_approval=True)
        with tenant_scope(world.jelgava):
            for hour in (10, 12):
                bookings.create_booking(booking_input(room, world.staff, monday_in(2), time(hour), time(hour + 1)), world.staff, confirm=False)
            db.session.commit()
        log_in(client, "coordinator@jelgava.example")
        html = page(client)
        assert "2 booking requests to approve in Jelgava Municipality" in html
        assert 'href="/t/jelgava/bookings/?status=requested"' in html
        other = app.test_client()
        log_in(other, "coordinator@pasvalys.example")
        assert "booking request" not in page(other)

    def test_staff_see_no_requests_to_approve(self, world, make_room, client):
        room = make_room(world.jelgava, needs_approval=True)
        with tenant_scope(world.jelgava):
            bookings.create_booking(booking_input(room, world.staff, monday_in(2), time(10), time(11)), world.staff, confirm=False)
            db.session.commit()
        log_in(client, "staff@jelgava.example")
        html = page(client)
        assert "booking request" not in html
        assert "Jelgava Municipality" in html  # their library, as before


class TestTheAdminsHome:
    def test_the_admin_gets_the_tenants_and_projects_and_no_invitation_text(self, world, client):
        log_in(client, "admin@bibnet.example")
        html = page(client)
        assert NOT_A_MEMBER not in html
        assert html.index("What is waiting for you") < html.index("All tenants") < html.index("All projects")
        assert 'href="/admin/tenants/"' in html and 'href="/admin/projects/"' in html


def test_a_person_with_no_role_anywhere_is_still_told_how_to_get_one(world, make_user, client):
    make_user("nobody@example.lv", "No Body")
    log_in(client, "nobody@example.lv")
    assert NOT_A_MEMBER in page(client)


def session_on(room, responsible, day, hour: int, title: str, status=Status.CONFIRMED) -> None:
    """A session of 30 minutes at `hour` on `day`, in the room's tenant's local time, written as rows: it may lie in
    the past (earlier today), which the booking rules would refuse."""
    starts = to_utc(day, time(hour), "Europe/Riga")
    booking = Booking(
        room_id=room.id, activity=Activity.SENSORY_SESSION, title=title, responsible_id=responsible.id, frequency=Frequency.ONCE,
        first_date=day, last_date=day, start_time=time(hour), end_time=time(hour, 30),
    )
    booking.occurrences = [Occurrence(room_id=room.id, starts_at=starts, ends_at=starts + timedelta(minutes=30), blocked_until=starts + timedelta(minutes=45), original_starts_at=starts, status=status)]
    db.session.add(booking)


def test_the_tenant_home_shows_today_and_this_week(world, make_room, client):
    """Today's sessions (also those already over) and the rest of the week's, at the tenant's local times; next
    week's and cancelled ones are not listed; the requests waiting are counted."""
    room = make_room(world.jelgava)
    today = to_local(utcnow(), "Europe/Riga").date()
    sunday = today + timedelta(days=6 - today.weekday())
    with tenant_scope(world.jelgava):
        session_on(room, world.staff, today, 0, "Storytime at midnight")
        session_on(room, world.staff, today, 23, "Cancelled tonight", Status.CANCELLED)
        if sunday != today:
            session_on(room, world.staff, sunday, 22, "Quiet hour on Sunday")
        session_on(room, world.staff, sunday + timedelta(days=1), 12, "Club next week")
        session_on(room, world.staff, sunday + timedelta(days=2), 9, "A request", Status.REQUESTED)
        db.session.commit()
    log_in(client, "coordinator@jelgava.example")
    html = page(client, "/t/jelgava/")
    week = html.split('id="home-week-heading"')[1].split("</section>")[0]
    today_part, later_part = week.split("Later this week")
    assert "00:00–00:30" in today_part and "Storytime at midnight" in today_part
    if sunday != today:
        assert "22:00–22:30" in later_part and "Quiet hour on Sunday" in later_part
    assert "Cancelled tonight" not in week and "Club next week" not in week
    assert "1 booking request waits for approval" in week


def test_the_tenant_home_of_a_library_with_a_quiet_week_says_so(world, make_room, client):
    make_room(world.jelgava)
    log_in(client, "coordinator@jelgava.example")
    week = page(client, "/t/jelgava/").split('id="home-week-heading"')[1]
    assert "No session today." in week and "booking request" not in week.split("</section>")[0]
