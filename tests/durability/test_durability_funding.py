"""An item's funding link: its invoice, cost category, project, co-financing split to the cent with the budgets'
own rule, and durability; the form that links it to one of the tenant's invoices; the figures of equipment bought."""
from datetime import date
from decimal import Decimal
import io

from durability_items import PERIOD, invoice, item, kit
import pytest

from bibnet import figures
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.expenditure import services as expenditure
from bibnet.tenants.inventory.durability import services
from bibnet.tenants.inventory.durability.figures import ITEMS_BOUGHT, cost_key, count_key
from bibnet.tenants.inventory.models import Item, ItemKind

from conftest import log_in, post_form


def test_the_funding_shows_the_invoice_project_and_an_exact_split(world, in_jelgava):
    bought = invoice(world.project)
    funded = item(cost="999.99", expenditure_id=bought.id)
    funding = services.funding_of(funded)
    assert (funding.expenditure.id, funding.project.id, funding.fund_name) == (bought.id, world.project.id, "ERDF")
    # 80 % rounded down to the cent; the contribution takes the remainder, so the parts add up exactly.
    assert (funding.split.fund, funding.split.sources) == (Decimal("799.99"), (Decimal("200.00"),))
    assert funding.split.fund + sum(funding.split.sources) == Decimal("999.99")


def test_an_item_without_a_cost_shows_no_split_and_a_deleted_invoice_funds_nothing(world, in_jelgava):
    bought = invoice(world.project)
    funded = item(cost=None, expenditure_id=bought.id)
    assert services.funding_of(funded).split is None
    expenditure.delete(bought)
    assert services.funding_of(funded) is None
    assert services.durability_of_item(funded) is None


def test_the_durability_follows_the_projects_final_payment(world, in_jelgava):
    world.project.final_payment_on, world.project.durability_years = date(2026, 9, 15), 7
    funded = item(expenditure_id=invoice(world.project).id)
    assert services.funding_of(funded).durability.ends_on == date(2033, 9, 15)


def test_the_coordinator_links_and_unlinks_an_item_on_a_page(world, client):
    with tenant_scope(world.jelgava):
        first = invoice(world.project)
        second = invoice(world.project, supplier="SIA Rotaļu pasaule", number="RP-7")
        unlinked = item()
        db.session.commit()
        ids = (first.id, second.id, unlinked.id)
    log_in(client, "coordinator@jelgava.example")
    url = f"/t/jelgava/equipment/funding/items/{ids[2]}/invoice"
    found = client.get(url + "?q=rota").get_data(as_text=True)
    assert "RP-7" in found and "SR-2024/118" not in found
    assert post_form(client, url, {"expenditure": str(ids[1])}).status_code == 302
    with tenant_scope(world.jelgava):
        assert db.session.get(Item, ids[2]).expenditure_id == ids[1]
    refused = post_form(client, url + "/unlink", {}, page=url)
    assert refused.status_code == 422 and "durability period has not ended" in refused.get_data(as_text=True)
    with tenant_scope(world.jelgava):
        assert db.session.get(Item, ids[2]).expenditure_id == ids[1]
        world.project.final_payment_on = date(2019, 1, 31)  # its five years have passed
        db.session.add(world.project)
        db.session.commit()
    assert post_form(client, url + "/unlink", {}, page=url).status_code == 302
    with tenant_scope(world.jelgava):
        assert db.session.get(Item, ids[2]).expenditure_id is None


def test_while_the_durability_runs_a_funded_item_moves_only_to_another_invoice_of_its_project(world, make_project, in_jelgava):
    other_project = make_project([world.jelgava], acronym="OtherProject")
    funded = item(expenditure_id=invoice(world.project).id)
    with pytest.raises(Refused):
        services.link(funded, invoice(other_project, number="OP-1"))
    with pytest.raises(Refused):
        services.unlink(funded)
    services.link(funded, invoice(world.project, number="SR-2"))  # a correction within the project
    assert services.funding_of(funded).project.id == world.project.id


def test_another_tenants_invoice_cannot_be_linked(world, client):
    with tenant_scope(world.pasvalys):
        theirs = invoice(world.project).id
        db.session.commit()
    with tenant_scope(world.jelgava):
        mine = item()
        db.session.commit()
        mine_id = mine.id
    log_in(client, "coordinator@jelgava.example")
    url = f"/t/jelgava/equipment/funding/items/{mine_id}/invoice"
    assert post_form(client, url, {"expenditure": str(theirs)}).status_code == 404
    with tenant_scope(world.jelgava):
        assert db.session.get(Item, mine_id).expenditure_id is None


def test_equipment_bought_counts_kit_parts_and_units_and_sums_costs_exactly(world):
    with tenant_scope(world.jelgava):
        item("Bubble tube", cost="0.10", purchase_date=date(2025, 1, 10))
        item("Fibre-optic lights", cost="0.20", purchase_date=date(2025, 2, 10))
        item("Board games", "games", cost="240.00", kind=ItemKind.QUANTITY, quantity=12, purchase_date=date(2025, 3, 1))
        kit(purchase_date=date(2025, 4, 1))  # two parts of 100.00; the kit itself counts nothing
        item("Bought before", cost="5.00", purchase_date=date(2024, 12, 31))
        db.session.commit()
    table = figures.of_project(world.project, None, date(2025, 1, 1), date(2025, 12, 31))
    assert table.value(world.jelgava.id, ITEMS_BOUGHT) == 16  # 2 + 12 units + 2 kit parts
    assert [table.value(world.jelgava.id, count_key(key)) for key in ("sensory_equipment", "games", "reading_aids", None)] == [2, 12, 2, 0]
    assert table.value(world.jelgava.id, cost_key("sensory_equipment")) == Decimal("0.30")  # not 0.30000000000000004
    assert table.value(world.jelgava.id, cost_key("games")) == Decimal("240.00")
    assert table.value(world.jelgava.id, cost_key("reading_aids")) == Decimal("200.00")
    assert table.value(world.pasvalys.id, ITEMS_BOUGHT) == 0
    assert figures.figure(ITEMS_BOUGHT).shown(3, across_tenants=True) == "<5"
    assert figures.figure(cost_key("games")).shown(Decimal("3.00"), across_tenants=True) == Decimal("3.00")  # money is no count of people


def test_the_funding_report_shows_the_equipment_bought_per_category(world, client):
    with tenant_scope(world.jelgava):
        item("Board games", "games", cost="240.00", kind=ItemKind.QUANTITY, quantity=12, purchase_date=PERIOD[0])
        db.session.commit()
    log_in(client, "coordinator@jelgava.example")
    with tenant_scope(world.jelgava):
        invoice(world.project)  # the report needs the project's period
        db.session.commit()
    response = client.get(f"/t/jelgava/funding/{world.project.id}/report.csv?period=1")
    text = response.get_data(as_text=True)
    assert response.status_code == 200, text[:500]
    assert "Equipment items bought,12" in text
    assert "Cost of equipment bought (EUR): Games and toys,240.00" in text


def test_the_xlsx_report_keeps_the_cost_of_equipment_a_number_in_euro(world, client):
    from openpyxl import load_workbook

    with tenant_scope(world.jelgava):
        item("Board games", "games", cost="240.10", kind=ItemKind.QUANTITY, quantity=12, purchase_date=PERIOD[0])
        invoice(world.project)
        db.session.commit()
    log_in(client, "coordinator@jelgava.example")
    response = client.get(f"/t/jelgava/funding/{world.project.id}/report.xlsx?period=1")
    sheet = load_workbook(io.BytesIO(response.data))["Indicators"]
    row = next(row for row in sheet.iter_rows() if row[0].value == "Cost of equipment bought (EUR): Games and toys")
    assert Decimal(str(row[1].value)) == Decimal("240.10") and "0.00" in row[1].number_format


def render_item_sections(app, tenant, user, role, item_id) -> str:
    """The item page's sections as the register's item page includes them (`page_sections("inventory.item", item)`)."""
    from flask import g, render_template_string
    from flask_login import login_user

    with app.test_request_context("/"), tenant_scope(tenant):
        g.tenant, g.tenant_role, g.tenant_standing = tenant, role, (role,)
        login_user(user)
        shown = db.session.get(Item, item_id)
        return render_template_string('{% for section in page_sections("inventory.item", item) %}{% include section.template %}{% endfor %}', item=shown)


def test_the_item_page_section_shows_the_funding_to_the_coordinator_and_nothing_to_staff(app, world):
    from bibnet.access import TenantRole

    with tenant_scope(world.jelgava):
        funded = item(cost="999.99", expenditure_id=invoice(world.project).id)
        db.session.commit()
        item_id = funded.id
    html = render_item_sections(app, world.jelgava, world.coordinator, TenantRole.COORDINATOR, item_id)
    assert "Funding and durability" in html and "SR-2024/118" in html and "799.99" in html
    assert "Ask the project lead to approve disposing of it" in html and "evidence.zip" in html
    assert "Funding and durability" not in render_item_sections(app, world.jelgava, world.staff, TenantRole.STAFF, item_id)
