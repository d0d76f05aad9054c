"""The usage downloads carry the other registered figures (services at home and remote among them) after the
rooms' rows: a library's own as they are, a project's per partner with counts of 1 to 4 masked as "<5"."""
import csv
import io

from openpyxl import load_workbook

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.outreach import services
from bibnet.tenants.outreach.models import ServiceKind

from conftest import log_in

TOTAL = "Services at home and remote in all, home visits held included"


def _log(world, tenant, staff, number):
    with tenant_scope(tenant):
        for _ in range(number):
            services.log_service(services.ServiceInput(kind=ServiceKind.PHONE, given_on=tenant.today(), staff_id=staff.id, served={"seniors": 1}))
        db.session.commit()


def _other_rows(rows):
    """The rows after the blank row that ends the rooms' figures, by (library or partner, figure)."""
    start = rows.index([""] * len(rows[0])) + 2
    return {(row[0], row[1]): row[3] for row in rows[start:]}


def test_a_librarys_csv_carries_its_other_figures(world, client):
    _log(world, world.jelgava, world.staff, 3)
    log_in(client, "coordinator@jelgava.example")
    year = world.jelgava.today().year
    rows = list(csv.reader(io.StringIO(client.get(f"/t/jelgava/usage/export.csv?year={year}").get_data().decode("utf-8-sig"))))
    heading = rows[rows.index([""] * len(rows[0])) + 1]
    assert heading[:4] == ["Library", "Figure", "Unit", "Value"]
    assert _other_rows(rows)[("Jelgava Municipality", TOTAL)] == "3"  # one library's own figures are not masked


def test_a_projects_xlsx_masks_small_counts_per_partner(world, client):
    _log(world, world.jelgava, world.staff, 3)
    _log(world, world.pasvalys, world.other_staff, 6)
    log_in(client, "lead@pasvalys.example")
    year = world.jelgava.today().year
    sheet = load_workbook(io.BytesIO(client.get(f"/projects/{world.project.id}/usage/export.xlsx?year={year}").get_data())).active
    rows = [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]
    others = _other_rows(rows)
    assert others[("LP1", TOTAL)] == 6 and others[("PP2", TOTAL)] == "<5"
