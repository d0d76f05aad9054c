"""The durability register per project (the lead sees every partner, a coordinator their own tenant), its CSV,
the evidence pack per item, the project's durability fields on the admin page, and the demo."""
import csv
from datetime import date
import io
import zipfile

from durability_items import invoice, item
import pytest
import sqlalchemy as sa

from bibnet import demo
from bibnet.extensions import db
from bibnet.storage.uploads import store_bytes
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenancy.models import Project, Tenant
from bibnet.tenants import budgets, expenditure, inventory
from bibnet.tenants.expenditure.models import ExpenditureAttachment
from bibnet.tenants.inventory.durability.models import DisposalRequest
from bibnet.tenants.inventory.models import Item, ItemDocument

from conftest import log_in, post_form


def funded_items(tenant, project, count: int, prefix: str) -> None:
    with tenant_scope(tenant):
        bought = invoice(project, supplier=f"{prefix} supplier")
        for number in range(count):
            item(f"{prefix} item {number}", expenditure_id=bought.id, last_stocktake_on=date(2026, 3, 1))
        item(f"{prefix} own money")  # not funded: not on the register
        db.session.commit()


def test_the_lead_sees_every_partners_funded_items(world, client):
    funded_items(world.jelgava, world.project, 2, "Jelgava")
    funded_items(world.pasvalys, world.project, 1, "Pasvalys")
    log_in(client, "lead@pasvalys.example")
    page = client.get(f"/projects/{world.project.id}/durability/").get_data(as_text=True)
    assert "Jelgava item 1" in page and "Pasvalys item 0" in page and "own money" not in page
    assert "3 funded items" in page
    assert "Not started: the final payment is not received yet" in page


def test_a_coordinator_sees_their_own_tenants_funded_items_only(world, client):
    funded_items(world.jelgava, world.project, 2, "Jelgava")
    funded_items(world.pasvalys, world.project, 1, "Pasvalys")
    log_in(client, "coordinator@jelgava.example")
    page = client.get(f"/t/jelgava/equipment/funding/{world.project.id}/").get_data(as_text=True)
    assert "Jelgava item 0" in page and "Pasvalys" not in page
    assert client.get(f"/projects/{world.project.id}/durability/").status_code == 404


def test_the_register_page_runs_the_same_statements_for_few_items_or_many(world, client, count_queries):
    funded_items(world.jelgava, world.project, 2, "Few")
    log_in(client, "lead@pasvalys.example")
    url = f"/projects/{world.project.id}/durability/?per_page=100"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    funded_items(world.pasvalys, world.project, 40, "Many")
    with count_queries() as many:
        assert "42 funded items" in client.get(url).get_data(as_text=True)
    assert many.n == few.n <= 12, many.statements


def test_the_register_streams_as_csv(world, client):
    funded_items(world.jelgava, world.project, 3, "Jelgava")
    funded_items(world.pasvalys, world.project, 2, "Pasvalys")
    world.project.final_payment_on = date(2028, 2, 29)
    db.session.commit()
    log_in(client, "lead@pasvalys.example")
    response = client.get(f"/projects/{world.project.id}/durability/register.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert response.mimetype == "text/csv" and len(rows) == 6
    assert rows[1][2] == "Jelgava Municipality" and rows[1][6] == "1210.00" and rows[1][10] == "2033-02-28"


def test_the_evidence_zip_holds_the_pdf_the_invoice_and_the_items_documents(world, client):
    with tenant_scope(world.jelgava):
        bought = invoice(world.project)
        scan = store_bytes(b"%PDF-1.4 invoice scan", "invoice.pdf", "expenditure", "application/pdf")
        db.session.add(ExpenditureAttachment(expenditure_id=bought.id, file_id=scan.id))
        funded = item(expenditure_id=bought.id)
        manual = store_bytes(b"%PDF-1.4 manual", "manual.pdf", "inventory", "application/pdf")
        db.session.add(ItemDocument(item_id=funded.id, file_id=manual.id, title="Manual"))
        db.session.commit()
        item_id, tag = funded.id, funded.tag
    log_in(client, "coordinator@jelgava.example")
    pdf = client.get(f"/t/jelgava/equipment/funding/items/{item_id}/evidence.pdf")
    if pdf.status_code == 503:
        pytest.skip("PDFs need Pango")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    response = client.get(f"/t/jelgava/equipment/funding/items/{item_id}/evidence.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == sorted([f"evidence-{tag}.pdf", "invoice/invoice.pdf", "documents/manual.pdf"])
    assert archive.read("invoice/invoice.pdf") == b"%PDF-1.4 invoice scan"


def test_the_admin_sets_the_final_payment_and_the_durability_period(world, client):
    log_in(client, "admin@bibnet.example")
    url = f"/admin/projects/{world.project.id}"
    fields = {
        "project-programme": "Interreg", "project-acronym": world.project.acronym, "project-title": "Inclusive libraries",
        "project-starts_on": "2024-06-01", "project-ends_on": "2026-05-31", "project-final_payment_on": "2026-09-15",
    }
    refused = post_form(client, url, fields | {"project-durability_years": "11"})
    assert refused.status_code == 422 and "Enter a durability period of 1 to 10 years." in refused.get_data(as_text=True)
    assert post_form(client, url, fields | {"project-durability_years": "7"}).status_code == 302
    project = db.session.get(Project, world.project.id)
    db.session.refresh(project)
    assert (project.final_payment_on, project.durability_years) == (date(2026, 9, 15), 7)


def load_everything():
    demo.load()
    db.session.commit()
    budgets.load_demo()
    expenditure.load_demo()
    inventory.load_demo()


def test_the_demo_links_equipment_to_invoices_and_asks_to_dispose_of_the_projector_once(app_context):
    load_everything()
    inventory.load_demo()  # again: nothing is created or linked twice
    project = db.session.scalar(sa.select(Project))
    assert project.final_payment_on is not None
    with all_tenants("test: the demo's equipment"):
        items = db.session.scalars(sa.select(Item)).all()
        linked = [item for item in items if item.expenditure_id is not None]
        requests = db.session.scalar(sa.select(sa.func.count()).select_from(DisposalRequest))
    assert {item.tenant_id for item in linked} == {tenant.id for tenant in db.session.scalars(sa.select(Tenant).where(Tenant.slug.in_(["pasvalys", "jelgava"])))}
    assert len(items) == len({(item.tenant_id, item.name) for item in items})  # the fallback items are made once
    assert requests == (1 if any(item.name == "Projector" for item in linked) else 0)
