"""The funding reports read their indicators from the core's figures registry (`bibnet.figures`): a figure a
feature registers appears in the reports, an unknown figure is named at once, a figure's computation sees the
scope's tenants only, and figures can name the programme indicators they are a source of."""
import csv
from datetime import date
from decimal import Decimal
import io
from pathlib import Path
import re
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
import pytest
import sqlalchemy as sa

from bibnet import demo, figures
from bibnet.extensions import db
from bibnet.figures import HOURS, IN_PERSON, ONLINE, Figure, FigureSource, UnknownFigure
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.funding_reports import indicators
from bibnet.tenants.rooms.models import Room

from conftest import log_in

pytest_plugins = ["report_demo"]

YEAR = SimpleNamespace(starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))  # what the indicators read of a reporting period


@pytest.fixture
def registry(monkeypatch):
    """The registry as the app filled it; what a test registers is gone after it."""
    monkeypatch.setattr(figures, "_sources", dict(figures._sources))
    monkeypatch.setattr(figures, "_figures", dict(figures._figures))


def rooms_per_tenant(tenants, first, last) -> dict[int, dict[str, int]]:
    """A test figure: the rooms each tenant has, in one grouped query, read through the tenant guard."""
    rows = db.session.execute(sa.select(Room.tenant_id, sa.func.count()).group_by(Room.tenant_id))
    return {tenant_id: {"test.rooms": count} for tenant_id, count in rows}


def without_the_inventory_figures() -> None:
    """Take the inventory's equipment figures out of the (test's copy of the) registry."""
    source = figures._sources.pop("inventory.equipment_bought")
    for figure in source.figures:
        figures._figures.pop(figure.key)


ROOMS = FigureSource("test.rooms", (Figure("test.rooms", _l("Sensory rooms"), _l("rooms"), order=20, indicators=("RCO116",)),), rooms_per_tenant)


def test_a_registered_figure_appears_in_the_partners_and_the_projects_indicators(registry, world, make_room):
    for number in range(5):
        make_room(world.jelgava, f"Room {number}")
    make_room(world.pasvalys)
    figures.register(ROOMS)
    with tenant_scope(world.jelgava):
        partner = dict(indicators.of_partner(world.jelgava, YEAR).rows)
    assert partner["Sensory rooms (RCO116)"] == [5]
    project = indicators.of_project(world.project, YEAR)
    assert project.columns == ["LP1", "PP2", "Project"]
    assert dict(project.rows)["Sensory rooms (RCO116)"] == ["<5", 5, 6]  # Pasvalys (LP) first, its single room hidden as "<5"
    labels = [label for label, _values in project.rows]
    assert labels.index("Visitors in all target groups") < labels.index("Sensory rooms (RCO116)") < labels.index("Staff who completed a course")


def test_a_figure_registered_under_an_expected_key_replaces_the_placeholder_and_its_note(registry, world):
    bought = FigureSource(
        "test.inventory",
        (Figure("inventory.items_bought", _l("Equipment items bought"), _l("items"), order=60, indicators=("RCO84",)),),
        lambda tenants, first, last: {tenant.id: {"inventory.items_bought": 7} for tenant in tenants},
    )
    without_the_inventory_figures()
    figures.register(bought)
    with tenant_scope(world.jelgava):
        report = indicators.of_partner(world.jelgava, YEAR)
    rows = dict(report.rows)
    assert rows["Equipment items bought (RCO84)"] == [7] and "Equipment items bought (*)" not in rows
    assert report.notes == []  # e-learning registers the staff trained, so no row waits any more
    assert [figure.key for figure in figures.sources_of_indicator("RCO84")] == ["inventory.items_bought"]


def test_without_the_equipment_figure_the_report_says_so_as_before(registry, world):
    without_the_inventory_figures()
    with tenant_scope(world.jelgava):
        report = indicators.of_partner(world.jelgava, YEAR)
    assert [label for label, _values in report.rows][-2:] == ["Staff who completed a shared course of the project (RCR81)", "Equipment items bought (*)"]
    assert dict(report.rows)["Sessions held in the sensory rooms"] == [0]
    assert report.notes == ["(*) Not recorded in BibNet: shown as 0 until the module that records it is in use."]


def test_an_unknown_figure_or_indicator_is_named(registry, world):
    with pytest.raises(UnknownFigure, match=r"no figure 'inventory\.nothing'"):
        figures.compute(["inventory.nothing"], [world.jelgava], YEAR.starts_on, YEAR.ends_on)
    with pytest.raises(UnknownFigure, match="RCO999"):
        figures.sources_of_indicator("RCO999")
    with pytest.raises(UnknownFigure, match="RCO999"):
        Figure("test.wrong", _l("Wrong"), _l("things"), indicators=("RCO999",))


def test_a_key_or_source_name_is_registered_once(registry):
    figures.register(ROOMS)
    figures.register(ROOMS)  # the same source again: several apps in one process
    with pytest.raises(ValueError, match=r"test\.rooms"):
        figures.register(FigureSource("test.other", ROOMS.figures, rooms_per_tenant))
    with pytest.raises(ValueError, match=r"test\.rooms"):
        figures.register(FigureSource("test.rooms", (), rooms_per_tenant))


def test_a_figure_sees_the_partners_of_the_project_only_and_a_partners_report_its_own_tenant(registry, world, make_tenant, make_room):
    outsider = make_tenant("riga", "Riga")
    for number, tenant in enumerate((world.jelgava, world.pasvalys, outsider, outsider)):
        make_room(tenant, f"Room {number}")
    figures.register(ROOMS)
    table = figures.of_project(world.project, ["test.rooms"], YEAR.starts_on, YEAR.ends_on)
    assert table.total("test.rooms") == 2 and table.value(outsider.id, "test.rooms") == 0
    with tenant_scope(world.jelgava):  # asked for more tenants than its own, the guard shows it its own rows only
        table = figures.compute(["test.rooms"], [world.jelgava, world.pasvalys], YEAR.starts_on, YEAR.ends_on)
    assert (table.value(world.jelgava.id, "test.rooms"), table.value(world.pasvalys.id, "test.rooms")) == (1, 0)


def test_a_source_computes_for_all_partners_at_once_with_modes_and_hours(registry, world):
    calls = []

    def training(tenants, first, last):
        calls.append([tenant.id for tenant in tenants])
        return {tenant.id: {"test.online": 2, "test.in_person": 3, "test.hours": Decimal("12.5")} for tenant in tenants}

    figures.register(FigureSource("test.training", (
        Figure("test.online", _l("Trained online"), _l("participants"), mode=ONLINE),
        Figure("test.in_person", _l("Trained in person"), _l("participants"), mode=IN_PERSON),
        Figure("test.hours", _l("Hours of training"), _l("hours"), kind=HOURS),
    ), training))
    rows = dict(indicators.of_project(world.project, YEAR).rows)
    assert calls == [[world.pasvalys.id, world.jelgava.id]]  # one call for every partner and figure of the source
    assert rows["Trained online"] == ["<5", "<5", "<5"] and rows["Trained in person"] == ["<5", "<5", 6]
    assert rows["Hours of training"] == [Decimal("12.5"), Decimal("12.5"), Decimal("25.0")]  # hours are not suppressed


def test_a_test_figure_is_in_the_downloaded_project_report(registry, demo_project, client):
    figures.register(FigureSource("test.constant", (Figure("test.constant", _l("Registered test figure"), _l("things"), order=20),), lambda tenants, first, last: {tenant.id: {"test.constant": 10} for tenant in tenants}))
    log_in(client, "lead@pasvalys.example", demo.PASSWORD)
    response = client.get(f"/projects/{demo_project.id}/funding/report.csv?period=4")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True)[1:])))
    registered = next(row for row in rows if row and row[0] == "Registered test figure")
    assert registered[-1] == str(10 * len(demo_project.partners))


def test_the_indicators_import_no_feature():
    source = (Path(__file__).resolve().parents[2] / "tenants/funding_reports/indicators.py").read_text()
    imported = re.findall(r"^\s*(?:from|import) (bibnet\.\S+)", source, re.MULTILINE)
    assert imported and [name for name in imported if name.startswith(("bibnet.tenants", "bibnet.elearning"))] == []


def test_the_projects_indicators_run_the_same_statements_for_two_partners_or_six(world, make_tenant, make_project, make_room, count_queries):
    make_room(world.jelgava)
    with count_queries() as two:
        indicators.of_project(world.project, YEAR)
    tenants = [make_tenant(f"library{number}") for number in range(6)]
    for tenant in tenants:
        make_room(tenant)
    six = make_project(tenants, acronym="Wider")
    db.session.expire_all()
    with count_queries() as many:
        indicators.of_project(six, YEAR)
    assert many.n == two.n <= 16, "\n\n".join(many.statements)  # the rooms' figures, e-learning's two grouped queries, one each of equipment, lending, home visits, programmes, organisations cooperating, and two each of services at home and remote (home visits included) and surveys
