"""The homes with their tasks (lead, coordinator, admin), the lead's project page, the tenant home's week and the
profile's notification choice (also with its error) have no axe-core WCAG 2.2 A/AA violation in en, lv and lt."""
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, ReportingPeriod
from bibnet.tenants.bookings.models import Activity, Booking, Occurrence, Status
from bibnet.tenants.bookings.recurrence import Frequency, to_local, to_utc
from bibnet.tenants.budgets import versions
from bibnet.tenants.expenditure import services
from bibnet.tenants.expenditure.services import ExpenditureInput
from bibnet.tenants.rooms.models import Room

from .conftest import LANGUAGES

pytestmark = pytest.mark.browser


@pytest.fixture
def waiting(browser_app, world) -> int:
    """Jelgava's submitted invoices and budget draft (for the lead), a request and today's session in its room."""
    with browser_app.app_context():
        project = db.session.scalar(sa.select(Project))
        project.reporting_periods = [ReportingPeriod(number=1, starts_on=date(2024, 6, 1), ends_on=date(2026, 5, 31))]
        db.session.commit()
        with tenant_scope(world.jelgava_id):
            items = [
                services.create(ExpenditureInput(
                    period_number=1, category="equipment", invoice_date=date(2024, 9, 10), supplier="SIA Sensorika", invoice_number=f"SR-{number}",
                    description="Burbuļu kolonna", invoice_total=Decimal("121.00"), declared_amount=Decimal("121.00"),
                ), project)
                for number in range(9)
            ]
            services.submit(items)
            versions.start_draft(project)
            room = Room(library="Jelgavas bibliotēka", name="Sensorā istaba", capacity=8, needs_approval=True, buffer_minutes=15, max_advance_days=366)
            db.session.add(room)
            db.session.flush()
            today = to_local(utcnow(), "Europe/Riga").date()
            for title, day, status in (("Pasaku rīts", today, Status.CONFIRMED), ("Senioru klubs", today + timedelta(days=8), Status.REQUESTED)):
                starts = to_utc(day, time(10), "Europe/Riga")
                booking = Booking(room_id=room.id, activity=Activity.SENSORY_SESSION, title=title, responsible_id=world.staff_user_id, frequency=Frequency.ONCE,
                                  first_date=day, last_date=day, start_time=time(10), end_time=time(11))
                booking.occurrences = [Occurrence(room_id=room.id, starts_at=starts, ends_at=starts + timedelta(hours=1), blocked_until=starts + timedelta(minutes=75), original_starts_at=starts, status=status)]
                db.session.add(booking)
            db.session.commit()
        project_id = project.id
        db.session.remove()
    return project_id


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_leads_home_and_project_page(site, waiting, language):
    site.log_in("lead@pasvalys.example")
    site.switch_language(language)
    site.goto("/", 200)
    site.scan(language, "/ (lead, with tasks)")
    site.goto(f"/projects/{waiting}/", 200)
    site.scan(language, "/projects/<id>/")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_coordinators_home_and_tenant_home(site, waiting, language):
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    site.goto("/", 200)
    site.scan(language, "/ (coordinator, with a request to approve)")
    site.goto("/t/jelgava/", 200)
    site.scan(language, "/t/jelgava/ with today and this week")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_profiles_notification_choice(site, language):
    site.log_in("staff@jelgava.example")
    site.switch_language(language)
    site.goto("/profile", 200)
    site.page.locator("input[name=delivery][value=daily_digest]").check()
    site.submit("form[action$='/profile/notifications'] button[type=submit]", 200)
    site.scan(language, "/profile after choosing the digest")
    # A value no browser offers (a tampered form): the error summary and the field's error.
    site.page.locator("input[name=delivery][value=daily_digest]").evaluate("radio => radio.value = 'weekly'")
    site.submit("form[action$='/profile/notifications'] button[type=submit]", 422)
    site.scan(language, "/profile with a bad notification choice")
    site.check()
