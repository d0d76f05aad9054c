"""The results pages, their downloads and the API: who sees what, what a download holds (nothing personal, never
the stored hash), a bounded number of queries, and the surveys' figures in the core registry."""
import csv
from datetime import date
import io
import re

from openpyxl import load_workbook
import pytest
from survey_result_rows import answered, make_run

from bibnet import figures
from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.surveys.models import Channel, Phase

from conftest import log_in


def text(response) -> str:
    return response.get_data(as_text=True)


def without_tags(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def table_rows(page: str, table_id: str) -> list[str]:
    table = page.split(f'id="{table_id}">')[1].split("</table>")[0]
    return [without_tags(row) for row in table.split("<tr>")[1:]]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text(response).lstrip("\ufeff"))))


@pytest.fixture
def before_and_after(world, room):
    """Jelgava's matched wellbeing survey: 6 before, 6 after, 5 of them pairs; one paper response after."""
    before = make_run(world.jelgava, room, title="Club before", phase=Phase.BEFORE, matched=True)
    after = make_run(world.jelgava, room, title="Club after", phase=Phase.AFTER, before=before, matched=True)
    answered(world.jelgava, before, [{"wellbeing.calm": v, "wellbeing.welcome": 3, "_key": f"secret-hash-{i}"} for i, v in enumerate([2, 2, 3, 4, 1, 5])])
    answered(world.jelgava, after, [{"wellbeing.calm": v, "wellbeing.welcome": 4, "_key": f"secret-hash-{i}"} for i, v in enumerate([4, 5, 4, 4, 3])])
    answered(world.jelgava, after, [{"wellbeing.calm": None, "wellbeing.welcome": 5, "_channel": Channel.PAPER}], received_on=date(2026, 11, 20))
    return before, after


class TestTheRunPage:
    def test_shows_areas_items_and_the_change_with_n(self, world, before_and_after, client):
        _before, after = before_and_after
        log_in(client, "staff@jelgava.example")
        page = text(client.get(f"/t/jelgava/surveys/results/runs/{after.id}"))
        assert '<caption id="outcomes-caption">' in page and '<th scope="col" class="number">n</th>' in page
        rows = table_rows(page, "outcomes")
        # after: calm 4 of 5 agree, welcome 6 of 6: 10 of 11 = 90.9 %, 6 responses
        assert rows[1] == "Wellbeing 6 90.9 %"
        assert rows[2] == "wellbeing.calm 5 80.0 %" and rows[3] == "wellbeing.welcome 6 100.0 %"
        change = table_rows(page, "change-table")
        # before: calm 2 of 6 and welcome 0 of 6 = 2 of 12 (16.7 %); change 90.9 - 16.7 = 74.2; pairs 0..4: calm +2 +3 +1 0 +2
        # and welcome +1 each, so each score rises by (Δcalm + 1) / 2: mean of 1.5 2 1 0.5 1.5 = 1.30
        assert change[1] == "Wellbeing 6 16.7 % 6 90.9 % +74.2 5 +1.30"
        assert "secret-hash" not in page

    def test_staff_get_no_answers_download_link_and_no_answers(self, world, before_and_after, client):
        _before, after = before_and_after
        log_in(client, "staff@jelgava.example")
        assert "answers.csv" not in text(client.get(f"/t/jelgava/surveys/results/runs/{after.id}"))
        assert client.get(f"/t/jelgava/surveys/results/runs/{after.id}/answers.csv").status_code == 403

    def test_runs_the_same_number_of_statements_for_few_or_many_responses(self, world, room, client, count_queries):
        run = make_run(world.jelgava, room)
        answered(world.jelgava, run, [{"wellbeing.calm": 4}] * 5)
        log_in(client, "staff@jelgava.example")
        client.get(f"/t/jelgava/surveys/results/runs/{run.id}")
        with count_queries() as few:
            assert client.get(f"/t/jelgava/surveys/results/runs/{run.id}").status_code == 200
        answered(world.jelgava, run, [{"wellbeing.calm": 4, "knowledge.new": 2, "confidence.try": 5}] * 60)
        with count_queries() as many:
            assert client.get(f"/t/jelgava/surveys/results/runs/{run.id}").status_code == 200
        assert many.n == few.n <= 12


class TestTheLibraryAndSubjectPages:
    def test_the_library_lists_its_runs_with_small_ones_hidden(self, world, before_and_after, room, client):
        small = make_run(world.jelgava, room, title="Small workshop")
        answered(world.jelgava, small, [{"knowledge.new": 5}] * 2)
        log_in(client, "coordinator@jelgava.example")
        page = text(client.get("/t/jelgava/surveys/results/"))
        rows = table_rows(page, "runs-table")
        assert rows[1:] == [
            "Club before Before hidden (fewer than 5 responses, or would reveal such a number)",
            "Club after After 6",
            "Small workshop Single hidden (fewer than 5 responses, or would reveal such a number)",
            "All runs 14",
        ]
        subject = text(client.get(f"/t/jelgava/surveys/results/room/{room.id}"))
        assert "Club after" in subject
        assert client.get("/t/jelgava/surveys/results/programme/999").status_code == 404


class TestDownloads:
    def test_the_anonymous_answers_carry_pair_numbers_the_month_and_no_hash(self, world, before_and_after, client):
        before, after = before_and_after
        log_in(client, "coordinator@jelgava.example")
        rows = csv_rows(client.get(f"/t/jelgava/surveys/results/runs/{after.id}/answers.csv"))
        assert rows[0] == ["Response number", "Run code", "Phase", "Channel", "Month received", "Pair number", "Outcome area", "Item", "Value (1-5, empty: don't know)"]
        assert rows[1] == ["1", before.code, "before", "online", "2026-11", "1", "wellbeing", "wellbeing.calm", "2"]
        paper = [row for row in rows if row[3] == "paper"]
        assert paper == [["12", after.code, "after", "paper", "2026-11", "", "wellbeing", "wellbeing.calm", ""], ["12", after.code, "after", "paper", "2026-11", "", "wellbeing", "wellbeing.welcome", "5"]]
        pairs = {(row[2], row[5]) for row in rows[1:] if row[5]}
        assert len(pairs) == 11  # keys 0..5 before, 0..4 after, numbered in this file
        body = text(client.get(f"/t/jelgava/surveys/results/runs/{after.id}/answers.csv"))
        assert "secret-hash" not in body and "2026-11-05" not in body and "2026-11-20" not in body

    def test_a_run_under_five_responses_gives_no_answers(self, world, room, client):
        run = make_run(world.jelgava, room)
        answered(world.jelgava, run, [{"wellbeing.calm": 1}] * 4)
        log_in(client, "coordinator@jelgava.example")
        rows = csv_rows(client.get(f"/t/jelgava/surveys/results/runs/{run.id}/answers.csv"))
        assert rows[1:] == [["", run.code, "", "", "", "", "", "", "Fewer than 5 responses: not exported."]]

    def test_the_results_as_xlsx_hold_the_suppressed_figures(self, world, before_and_after, client):
        _before, after = before_and_after
        log_in(client, "staff@jelgava.example")
        response = client.get(f"/t/jelgava/surveys/results/runs/{after.id}/results.xlsx")
        sheet = load_workbook(io.BytesIO(response.get_data())).active
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert values[1][:4] == [after.code, None, None, 6]
        assert values[2][:8] == [after.code, "wellbeing", None, 6, 90.9, 74.2, 5, 1.3]


class TestTheProjectLead:
    def test_sees_the_partners_suppressed_and_no_tenant_page(self, world, before_and_after, make_room, client):
        pasvalys_run = make_run(world.pasvalys, make_room(world.pasvalys))
        answered(world.pasvalys, pasvalys_run, [{"wellbeing.calm": 5}] * 3)
        log_in(client, "lead@pasvalys.example")
        page = text(client.get(f"/projects/{world.project.id}/surveys"))
        rows = table_rows(page, "partners-table")
        hidden = "hidden (fewer than 5 responses, or would reveal such a number)"
        assert rows[2] == f"LP1 Pasvalys District Municipality {hidden} {hidden} {hidden}"
        assert rows[3] == f"PP2 Jelgava Municipality {hidden} {hidden} {hidden}"  # 6 would give the 3 away
        assert rows[4].startswith("All partners 9 9 ")
        assert client.get("/t/jelgava/surveys/results/").status_code in (403, 404)
        assert client.get(f"/t/jelgava/surveys/results/runs/{before_and_after[1].id}/answers.csv").status_code in (403, 404)
        rows = csv_rows(client.get(f"/projects/{world.project.id}/surveys/results.csv"))
        assert rows[1][:3] == ["LP1", "Pasvalys District Municipality", "suppressed"]


class TestTheApi:
    def test_gives_a_runs_results_suppressed(self, world, before_and_after, client):
        before, after = before_and_after
        secret = issue_api_token(world.staff, "test")
        db.session.commit()
        answer = client.get(f"/api/v1/tenants/jelgava/surveys/runs/{after.id}/results", headers={"Authorization": f"Bearer {secret}"}).get_json()
        assert answer["responses"] == 6
        assert answer["outcomes"][0] == {
            "outcome": "wellbeing", "n": 6, "percent_agreeing": "90.9",
            "items": [{"key": "wellbeing.calm", "n": 5, "percent_agreeing": "80.0"}, {"key": "wellbeing.welcome", "n": 6, "percent_agreeing": "100.0"}],
        }
        assert answer["comparisons"][0]["change"] == "74.2" and answer["comparisons"][0]["matched_change"] == "1.30"
        other = client.get(f"/api/v1/tenants/pasvalys/surveys/runs/{before.id}/results", headers={"Authorization": f"Bearer {secret}"})
        assert other.status_code == 404


def test_the_registry_counts_responses_per_tenant_and_area_in_the_period(world, before_and_after):
    with tenant_scope(world.jelgava):
        table = figures.compute(["surveys.responses", "surveys.responses.wellbeing", "surveys.responses.knowledge"], [world.jelgava], date(2026, 11, 1), date(2026, 11, 10))
    assert table.value(world.jelgava.id, "surveys.responses") == 11  # the paper response came on the 20th
    assert table.value(world.jelgava.id, "surveys.responses.wellbeing") == 11
    assert table.value(world.jelgava.id, "surveys.responses.knowledge") == 0
