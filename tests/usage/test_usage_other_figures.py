"""The usage pages also show the figures other features register (bibnet.figures): equipment bought, lending,
services at home, training; exact for one library, with counts from 1 to 4 hidden across a project's partners."""
from datetime import date
from decimal import Decimal
import re

from inventory_items import make_item

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

from conftest import log_in


def _row(page: str, label: str) -> str:
    table = page.split('id="other-figures-caption"')[1].split("</table>")[0]
    rows = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in table.split("<tr>")[1:]]
    return next(row for row in rows if row.startswith(label))


def _buy_two_players(world) -> int:
    """Two players bought this year and one the year before; the year shown."""
    year = world.jelgava.today().year
    with tenant_scope(world.jelgava):
        make_item("DAISY player 1", purchase_date=date(year, 1, 1), cost=Decimal("289.00"))
        make_item("DAISY player 2", purchase_date=date(year, 1, 1), cost=Decimal("289.00"))
        make_item("Bought the year before", purchase_date=date(year - 1, 12, 31))
        db.session.commit()
    return year


def test_the_library_page_shows_its_equipment_bought_in_the_year_exactly(world, client):
    year = _buy_two_players(world)
    log_in(client, "coordinator@jelgava.example")
    page = client.get(f"/t/jelgava/usage/?year={year}").get_data(as_text=True)
    assert _row(page, "Equipment items bought (items)").endswith(" 2")
    assert _row(page, "Cost of equipment bought (EUR): Reading aids").endswith("578.00")


def test_the_project_page_shows_each_partner_with_small_counts_hidden(world, client):
    year = _buy_two_players(world)
    log_in(client, "lead@pasvalys.example")
    page = client.get(f"/projects/{world.project.id}/usage?year={year}").get_data(as_text=True)
    assert _row(page, "Equipment items bought (items)").endswith("0 &lt;5 &lt;5")  # LP1 Pasvalys, PP2 Jelgava, all
