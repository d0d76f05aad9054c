"""Help pages: an index and a short page per area, which features register and write, linked from the footer
and from the pages of their area."""
import pytest

from bibnet.web import help

from conftest import log_in

AREAS = {"booking": "Booking a sensory room", "budget": "Planning the budget", "import": "Importing expenditure", "reports": "Funding dashboards and reports"}


def test_the_index_lists_a_page_for_each_area_and_the_footer_links_to_it(client, world):
    body = client.get("/help/").get_data(as_text=True)
    for area, title in AREAS.items():
        assert f'href="/help/{area}"' in body and title in body
    assert 'href="/help/"' in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize(("area", "says"), [
    ("booking", "Cleaning buffer"),
    ("budget", "start a modification"),
    ("import", "semicolon, comma, tab or vertical bar"),
    ("reports", "below 85 %"),
])
def test_each_area_has_its_page(client, world, area, says):
    response = client.get(f"/help/{area}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f"<h1>{AREAS[area]}</h1>" in body and says in body


def test_the_help_is_in_the_readers_language(client, world):
    body = client.get("/help/booking", headers={"Accept-Language": "lt"}).get_data(as_text=True)
    assert 'lang="lt"' in body and "<h1>Sensorinės skaityklos rezervavimas</h1>" in body


def test_an_unknown_area_is_404(client, world):
    assert client.get("/help/nothing").status_code == 404


def test_a_page_registered_with_a_permission_shows_only_to_its_holders(client, world):
    help.register_help("admin-only", "For admins", "help/page.html", permission="admin")
    try:
        assert client.get("/help/admin-only").status_code == 404
        assert "For admins" not in client.get("/help/").get_data(as_text=True)
        log_in(client, "admin@bibnet.example")
        assert client.get("/help/admin-only").status_code == 200
        assert "For admins" in client.get("/help/").get_data(as_text=True)
    finally:
        help._pages.pop("admin-only")


def test_the_pages_of_an_area_link_to_its_help(client, world):
    log_in(client, "coordinator@jelgava.example")
    assert 'href="/help/booking"' in client.get("/t/jelgava/bookings/").get_data(as_text=True)
    assert 'href="/help/import"' in client.get(f"/t/jelgava/expenditure/{world.project.id}/import").get_data(as_text=True)
    assert 'href="/help/budget"' in client.get(f"/t/jelgava/budget/{world.project.id}/").get_data(as_text=True)
    assert 'href="/help/reports"' in client.get(f"/t/jelgava/funding/{world.project.id}/").get_data(as_text=True)
