"""The usage pages in en, lv and lt have no axe-core WCAG 2.2 A/AA violation and load nothing from elsewhere:
the tenant's figures (with and without an error), the box on the tenant home and the project lead's page."""
from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenants.bookings import services
from bibnet.tenants.rooms.models import OpeningHours, Room

from .conftest import LANGUAGES
from conftest import booking_input

pytestmark = pytest.mark.browser


@pytest.fixture
def project_id(browser_app, world) -> int:
    """Each partner gets a room with sessions in March 2025, some of them few enough to be shown as "<5"."""
    with browser_app.app_context():
        for tenant_id, sessions in ((world.jelgava_id, 3), (world.pasvalys_id, 6)):
            tenant = db.session.get(Tenant, tenant_id)
            with tenant_scope(tenant):
                room = Room(library=f"{tenant.name} central library", name="Sensory room", capacity=8, max_advance_days=366)
                room.opening_hours = [OpeningHours(weekday=day, opens=time(9), closes=time(18)) for day in range(5)]
                db.session.add(room)
                db.session.flush()
                staff = db.session.scalar(sa.select(User).where(User.email.like("staff@%"), User.email.contains(tenant.slug)))
                for day in (3, 4, 5, 6, 7, 10)[:sessions]:  # weekdays of March 2025
                    booking = services.create_booking(
                        booking_input(room, staff, date(2025, 3, day), time(10), time(11)), staff, confirm=True, now=datetime(2025, 1, 1, tzinfo=UTC)
                    )
                    occurrence = booking.occurrences[0]
                    services.record_attendance(occurrence, {"seniors": 2, "carers": 1}, now=occurrence.ends_at)
                db.session.commit()
        project = db.session.scalar(sa.select(Project.id))
        db.session.remove()
    return project


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_usage_pages_of_a_coordinator(site, project_id, language):
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    site.goto("/t/jelgava/usage/?year=2025", 200)
    site.scan(language, "/t/jelgava/usage/")
    site.goto("/t/jelgava/usage/?year=1999", 422)
    site.scan(language, "/t/jelgava/usage/ with an error")
    site.goto("/t/jelgava/", 200)
    assert site.page.locator("#home-usage-heading").count() == 1
    site.scan(language, "/t/jelgava/ with the usage box")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_project_leads_usage_page(site, project_id, language):
    site.log_in("lead@pasvalys.example")
    site.switch_language(language)
    site.page.locator(f'a[href="/projects/{project_id}/usage"]').first.click()
    site.page.wait_for_load_state()
    assert site.page.url.endswith(f"/projects/{project_id}/usage")
    site.goto(f"/projects/{project_id}/usage?year=2025", 200)
    assert site.page.get_by_text("<5").count() > 0
    site.scan(language, "/projects/<id>/usage")
    site.check()


def test_the_usage_page_reflows_at_320_css_pixels(site, project_id):
    site.page.set_viewport_size({"width": 320, "height": 640})
    site.log_in("coordinator@jelgava.example")
    site.switch_language("lv")
    for path in ("/t/jelgava/usage/?year=2025", "/t/jelgava/"):
        site.goto(path, 200)
        site.expect_no_sideways_scrolling()
        site.scan("lv", f"{path} at 320 px")
    site.check()
