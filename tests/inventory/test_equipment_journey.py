"""Issue 12, done when: on the demo, a coordinator lends a DAISY kit to a person at home, sees it overdue, takes it
back through cleaning and the check, prints its label, and finds it in a stock-take; the project's lead sees the
equipment bought per partner in the funding report and the funded items in the durability register."""
from datetime import timedelta
import io

from click.testing import CliRunner
from flask.cli import ScriptInfo
from openpyxl import load_workbook
from pypdf import PdfReader
import sqlalchemy as sa

from bibnet import demo
from bibnet.cli import main
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, ReportingPeriod, Tenant
from bibnet.tenants.inventory.models import Item, ItemStatus
from bibnet.tenants.lending.models import Borrower, BorrowerKind, Loan

from conftest import csrf_token, log_in

BASE = "/t/pasvalys"
COORDINATOR = "coordinator@pasvalys.example"


def load_demo(app):
    result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output


def _post(client, url: str, data: dict, form_page: str | None = None):
    token = csrf_token(client.get(form_page or url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def test_a_coordinator_lends_a_kit_gets_it_back_labels_it_and_counts_it_and_the_lead_reports_it(app, app_context, client):
    load_demo(app)
    pasvalys = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "pasvalys"))
    today = pasvalys.today()
    with tenant_scope(pasvalys):
        kit = db.session.scalar(sa.select(Item).where(Item.name == "DAISY lending kit 4"))
        person = db.session.scalar(sa.select(Borrower).where(Borrower.kind == BorrowerKind.PERSON, Borrower.address != "").order_by(Borrower.id).limit(1))
        kit_id, tag, location_id, person_id = kit.id, kit.tag, kit.location_id, person.id
    log_in(client, COORDINATOR, demo.PASSWORD)

    lent = _post(client, f"{BASE}/lending/lend", {
        "tag": tag, "borrower": str(person_id), "due_on": (today + timedelta(days=28)).isoformat(), "target_group": "visual",
        "delivery": "staff", "acceptance_on_paper": "y", "acceptance_signed_on": today.isoformat(),
    })
    assert lent.status_code == 302, lent.get_data(as_text=True)[:2000]
    with tenant_scope(pasvalys):
        loan = db.session.scalar(sa.select(Loan).where(Loan.item_id == kit_id, Loan.returned_on.is_(None)))
        assert db.session.get(Item, kit_id).status is ItemStatus.ON_LOAN
        loan.lent_on, loan.due_on = today - timedelta(days=35), today - timedelta(days=7)  # five weeks later
        db.session.commit()
        loan_id = loan.id

    overdue = client.get(f"{BASE}/lending/?show=overdue").get_data(as_text=True)
    assert tag in overdue

    back = _post(client, f"{BASE}/lending/return", {"tag": tag})
    assert back.status_code == 302, back.get_data(as_text=True)[:2000]
    with tenant_scope(pasvalys):
        assert db.session.get(Item, kit_id).status is ItemStatus.CLEANING
        parts = [part.id for part in db.session.get(Item, kit_id).parts]
    checked = client.post(f"{BASE}/lending/loans/{loan_id}/check", data={
        "present": [str(part) for part in parts], "csrf_token": csrf_token(client.get(f"{BASE}/lending/loans/{loan_id}/check").get_data(as_text=True)),
    })
    assert checked.status_code == 302
    with tenant_scope(pasvalys):
        assert db.session.get(Item, kit_id).status is ItemStatus.AVAILABLE

    label = client.get(f"{BASE}/equipment/labels/sheet.pdf?item={kit_id}&geometry=L7163&start=1")
    assert label.status_code == 200 and label.mimetype == "application/pdf"
    assert tag in PdfReader(io.BytesIO(label.get_data())).pages[0].extract_text()

    started = _post(client, f"{BASE}/equipment/stocktakes/", {"location_id": str(location_id)})
    assert started.status_code == 302, started.get_data(as_text=True)[:2000]
    stocktake = started.headers["Location"].rstrip("/")
    assert _post(client, f"{stocktake}/scan", {"code": tag.lower()}, f"{stocktake}/").status_code == 302
    assert _post(client, f"{stocktake}/finish", {}, f"{stocktake}/").status_code == 302
    result = client.get(f"{stocktake}/result").get_data(as_text=True)
    assert tag in result.split("Missing")[0]  # among the items found
    with tenant_scope(pasvalys):
        assert db.session.get(Item, kit_id).last_stocktake_on == today

    lead = app.test_client()
    log_in(lead, "lead@pasvalys.example", demo.PASSWORD)
    project = db.session.scalar(sa.select(Project))
    last_period = max(db.session.scalars(sa.select(ReportingPeriod.number).where(ReportingPeriod.project_id == project.id)))
    periods = range(1, last_period + 1)
    bought = {}
    for period in periods:
        workbook = load_workbook(io.BytesIO(lead.get(f"/projects/{project.id}/funding/report.xlsx?period={period}").get_data()))
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                if row and isinstance(row[0], str) and row[0].startswith("Equipment items bought") and ":" not in row[0]:  # the total, not per category
                    bought[period] = row[1:]
    pasvalys_bought, jelgava_bought = ([values[partner] for values in bought.values()] for partner in (0, 1))  # LP1, PP2
    assert any(pasvalys_bought) and any(jelgava_bought), bought
    register = lead.get(f"/projects/{project.id}/durability/").get_data(as_text=True)
    assert "Bubble tube" in register and "DAISY lending kit 4" in register
