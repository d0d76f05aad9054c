"""The usage pages: the tenant's figures, their downloads, the box on the tenant home, and the project lead's page."""
import csv
from datetime import date, time
import io
import re

from openpyxl import load_workbook
import pytest
from usage_sessions import session

from conftest import log_in

pytest_plugins = ["usage_sessions"]  # the fixtures used_room and partner_rooms


def text(response) -> str:
    return response.get_data(as_text=True)


def without_tags(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def table_rows(page: str, table_id: str) -> list[str]:
    """The rows of the table with this id (header first, footer last), as text."""
    table = page.split(f'id="{table_id}">')[1].split("</table>")[0]
    return [without_tags(row) for row in table.split("<tr>")[1:]]


class TestTheTenantPage:
    def test_shows_a_table_per_room_with_totals_and_a_chart_with_the_same_numbers(self, world, used_room, client):
        log_in(client, "coordinator@jelgava.example")
        response = client.get("/t/jelgava/usage/?year=2025")
        assert response.status_code == 200
        page = text(response)
        assert "=Sensory room: figures per month in 2025" in page
        assert '<th scope="col" class="number">No-show rate (%)</th>' in page
        rows = table_rows(page, f"room-{used_room.id}")
        assert rows[3].startswith("March 3 4 1 25.0 4.0 209.0 1.9 6 0 0 0 0 0 0 2 6")
        assert rows[1].startswith("January 0 0 0 – no figure 0.0")
        assert rows[-1].startswith("Total 2025 3 4 1 25.0 4.0")
        assert 'role="img"' in page and "<title id=\"sessions-chart-title\">Sessions held per month in 2025, all rooms</title>" in page
        assert "The same numbers are in the table." in page
        chart = page.split('<svg id="sessions-chart"')[1].split("</svg>")[0]
        assert "<script" not in chart
        labels = re.findall(r"<text[^>]*>([^<]*)</text>", chart)  # the value axis from 0, months, values
        assert labels[0] == "0" and "Mar" in labels and "Number" in labels and "Month" in labels and "3" in labels
        assert 'href="/t/jelgava/usage/export.csv?year=2025"' in page

    def test_is_in_the_tenant_menu_for_coordinators(self, world, client):
        log_in(client, "coordinator@jelgava.example")
        assert 'href="/t/jelgava/usage/"' in text(client.get("/t/jelgava/"))

    def test_an_unknown_year_is_refused_with_a_message(self, world, client):
        log_in(client, "coordinator@jelgava.example")
        for year in ("1999", "next", "-1"):
            response = client.get(f"/t/jelgava/usage/?year={year}")
            assert response.status_code == 422
            assert 'href="#year">Choose a year from the list.' in text(response)
            assert client.get(f"/t/jelgava/usage/export.csv?year={year}").status_code == 422

    def test_staff_may_not_see_it_and_other_tenants_do_not_find_it(self, world, used_room, client):
        log_in(client, "staff@jelgava.example")
        for path in ("/", "/export.csv", "/export.xlsx"):
            assert client.get(f"/t/jelgava/usage{path}").status_code == 403
        assert 'href="/t/jelgava/usage/"' not in text(client.get("/t/jelgava/"))
        client.post("/logout", data={})
        other = client.__class__(client.application)
        log_in(other, "coordinator@pasvalys.example")
        for path in ("/", "/export.csv", "/export.xlsx"):
            assert other.get(f"/t/jelgava/usage{path}").status_code == 404

    def test_the_lead_sees_each_partners_own_figures(self, world, used_room, client):
        log_in(client, "lead@pasvalys.example")
        assert client.get("/t/jelgava/usage/?year=2025").status_code == 200

    def test_runs_the_same_number_of_statements_for_one_room_or_five(self, world, used_room, make_room, client, count_queries):
        log_in(client, "coordinator@jelgava.example")
        client.get("/t/jelgava/usage/?year=2025")
        with count_queries() as one_room:
            assert client.get("/t/jelgava/usage/?year=2025").status_code == 200
        for number in range(4):
            room = make_room(world.jelgava, f"Room {number}")
            session(world.jelgava, room, world.staff, date(2025, 3, 3), time(12), time(13), attended={"seniors": 1})
        with count_queries() as five_rooms:
            assert client.get("/t/jelgava/usage/?year=2025").status_code == 200
        # The rooms' figures in at most 10, and a grouped query or two per other feature's registered figures (12 in all).
        assert five_rooms.n == one_room.n <= 22, "\n".join(five_rooms.statements)


class TestTheDownloads:
    def test_csv_has_a_row_per_room_and_month_and_neutralises_formulas(self, world, used_room, client):
        log_in(client, "coordinator@jelgava.example")
        response = client.get("/t/jelgava/usage/export.csv?year=2025")
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        assert response.headers["Content-Disposition"] == 'attachment; filename="usage-jelgava-2025.csv"'
        rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
        header, body = rows[0], rows[1:]
        assert header[:5] == ["Library", "Room", "Month", "Sessions held", "Sessions booked"]
        # 12 months and the year's total, then a blank row before the other features' figures (tests/outreach/test_outreach_usage_export.py)
        assert rows[14] == [""] * len(header)
        body = body[:13]
        march = dict(zip(header, body[2], strict=True))
        assert march["Room"] == "'=Sensory room"
        assert (march["Month"], march["Sessions held"], march["No-shows"], march["No-show rate (%)"], march["Hours booked"]) == ("2025-03", "3", "1", "25.0", "4.0")
        assert (march["Seniors 50+"], march["Carers"], march["Visitors in all target groups"]) == ("6", "2", "6")
        assert body[-1][2] == "Total 2025" and body[0][6] == ""  # no sessions over in January: no rate

    def test_xlsx_has_real_numbers_and_no_formulas(self, world, used_room, client):
        log_in(client, "coordinator@jelgava.example")
        response = client.get("/t/jelgava/usage/export.xlsx?year=2025")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == 'attachment; filename="usage-jelgava-2025.xlsx"'
        sheet = load_workbook(io.BytesIO(response.get_data())).active
        rows = list(sheet.iter_rows(values_only=False))
        march = {header.value: cell for header, cell in zip(rows[0], rows[3], strict=True)}
        assert march["Room"].value == "=Sensory room" and march["Room"].data_type == "s"
        assert march["Sessions held"].value == 3 and march["Sessions held"].data_type == "n"
        assert march["Hours booked"].value == 4 and march["Hours booked"].number_format == "0.0"
        assert march["No-show rate (%)"].value == 25
        assert sheet.title == "Jelgava Municipality 2025"


class TestTheTenantHome:
    def test_shows_this_years_sessions_and_visitors_to_coordinators(self, world, make_room, client):
        make_room(world.jelgava)
        log_in(client, "coordinator@jelgava.example")
        page = text(client.get("/t/jelgava/"))
        assert 'id="home-usage-heading"' in page and 'role="img"' in page
        assert re.search(r'<caption id="home-usage-caption">Sessions and visitors per month in \d{4}, all rooms</caption>', page)
        assert 'href="/t/jelgava/usage/?year=' in page

    def test_shows_nothing_of_it_to_staff(self, world, make_room, client):
        make_room(world.jelgava)
        log_in(client, "staff@jelgava.example")
        page = text(client.get("/t/jelgava/"))
        assert client.get("/t/jelgava/").status_code == 200 and "home-usage" not in page


class TestTheProjectPage:
    def test_shows_every_partner_side_by_side_with_small_counts_hidden(self, world, partner_rooms, client):
        log_in(client, "lead@pasvalys.example")
        response = client.get(f"/projects/{world.project.id}/usage?year=2025")
        assert response.status_code == 200
        page = text(response)
        _header, pasvalys_row, jelgava_row, all_partners = table_rows(page, "partners-table")
        # Pasvalys: 6 held, 6 booked, 0 no-shows, rate 0.0, 6.0 hours; Jelgava: 3 held (<5), 4 booked (<5), 1 no-show (<5).
        assert pasvalys_row.startswith("LP1 Pasvalys District Municipality 6 6 0 0.0 6.0")
        assert jelgava_row.startswith("PP2 Jelgava Municipality &lt;5 &lt;5 &lt;5 – no figure 4.0")
        assert all_partners.startswith("All partners 9 10 &lt;5")
        assert table_rows(page, "partner-1")[3].startswith("March 6 6 0 0.0 6.0")
        assert f'href="/projects/{world.project.id}/usage/export.xlsx?year=2025"' in page

    def test_is_linked_from_the_leads_dashboard(self, world, client):
        log_in(client, "lead@pasvalys.example")
        assert f'href="/projects/{world.project.id}/usage"' in text(client.get("/"))

    def test_is_not_linked_for_other_users(self, world, client):
        log_in(client, "coordinator@jelgava.example")
        assert "/usage\"" not in text(client.get("/"))

    def test_the_admin_may_see_it(self, world, client):
        log_in(client, "admin@bibnet.example")
        assert f'href="/projects/{world.project.id}/usage"' in text(client.get("/"))
        assert client.get(f"/projects/{world.project.id}/usage").status_code == 200

    @pytest.mark.parametrize("email", ["coordinator@jelgava.example", "staff@pasvalys.example"])
    def test_anyone_else_finds_nothing(self, world, client, email):
        log_in(client, email)
        for path in ("", "/export.csv", "/export.xlsx"):
            assert client.get(f"/projects/{world.project.id}/usage{path}").status_code == 404

    def test_an_unknown_project_is_not_found_even_for_the_admin(self, world, client):
        log_in(client, "admin@bibnet.example")
        assert client.get("/projects/9999/usage").status_code == 404

    def test_needs_a_log_in(self, world, client):
        response = client.get(f"/projects/{world.project.id}/usage")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")

    def test_the_downloads_hide_small_counts_too(self, world, partner_rooms, client):
        log_in(client, "lead@pasvalys.example")
        response = client.get(f"/projects/{world.project.id}/usage/export.csv?year=2025")
        assert response.headers["Content-Disposition"] == 'attachment; filename="usage-InclusiveLibraries-2025.csv"'
        rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
        jelgava_march = next(row for row in rows if row["Partner"] == "PP2" and row["Month"] == "2025-03")
        assert (jelgava_march["Municipality"], jelgava_march["Sessions held"], jelgava_march["No-show rate (%)"]) == ("Jelgava Municipality", "<5", "")
        assert jelgava_march["Seniors 50+"] == "6" and jelgava_march["Carers"] == "<5"
        response = client.get(f"/projects/{world.project.id}/usage/export.xlsx?year=2025")
        sheet = load_workbook(io.BytesIO(response.get_data())).active
        header, *body = list(sheet.iter_rows(values_only=True))
        pasvalys_march = dict(zip(header, body[2], strict=True))
        assert pasvalys_march["Sessions held"] == 6 and pasvalys_march["Carers"] == "<5"
