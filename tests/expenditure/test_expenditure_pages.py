"""The expenditure pages: what each role may do, every bad input refused with its message and nothing written,
statuses, soft delete, credit notes, attachments, and a partner never seeing another partner's items."""
from datetime import date
from decimal import Decimal
import io

from expenditure_items import FORM, allow_staff, count_items, make_item
import pytest
import sqlalchemy as sa

from bibnet.audit.models import AuditEntry
from bibnet.extensions import db
from bibnet.storage.models import StoredFile
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenants.expenditure.models import Expenditure, ExpenditureAttachment, ExpenditureStatus

from conftest import csrf_token, log_in, post_form

pytest_plugins = ["expenditure_items"]  # the fixture `project`

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 20


def logged_in(app, email):
    """A browser of its own for each user."""
    client = app.test_client()
    log_in(client, email)
    return client


def url(project, rest=""):
    return f"/t/jelgava/expenditure/{project.id}/{rest}"


def item_of(item_id) -> Expenditure:
    with all_tenants("test: reading an item"):
        return db.session.scalar(sa.select(Expenditure).where(Expenditure.id == item_id))


# --- Entering items -------------------------------------------------------------------------------------

def test_a_coordinator_enters_an_invoice_and_finds_it_in_the_list(world, project, client):
    log_in(client, "coordinator@jelgava.example")
    response = post_form(client, url(project, "new"), FORM)
    assert response.status_code == 302
    item = item_of(int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert (item.status, item.invoice_total, item.tenant_id) == (ExpenditureStatus.DRAFT, 1210, world.jelgava.id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "SIA Sensorika" in page and "Bubble tube with a safety base" in page and "Draft" in page
    listing = client.get(url(project)).get_data(as_text=True)
    assert "SR-2024/118" in listing and "€1,210.00" in listing


def test_the_menu_entry_leads_to_the_only_project(world, project, client):
    log_in(client, "coordinator@jelgava.example")
    assert 'href="/t/jelgava/expenditure/"' in client.get("/t/jelgava/").get_data(as_text=True)
    response = client.get("/t/jelgava/expenditure/")
    assert response.status_code == 302 and response.headers["Location"].endswith(url(project))


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"invoice_total": "10,001"}, "invoice_total", "at most two decimals"),
        ({"vat": "1300.00"}, "vat", "The VAT cannot be more than the invoice total"),
        ({"declared_amount": "1210.01"}, "declared_amount", "The declared amount cannot be more than the invoice total"),
        ({"invoice_date": "2024-05-31"}, "invoice_date", "The date must be within the project"),
        ({"payment_date": "2026-06-01"}, "payment_date", "The date must be within the project"),
        ({"category": "catering"}, "category", "Choose one of the six cost categories"),
        ({"currency": "XYZ"}, "currency", "three-letter ISO code"),
        ({"currency": "SEK"}, "conversion_rate", "Enter the rate to the euro"),
        ({"invoice_number": "X" * 31}, "invoice_number", "at most 30 characters"),
        ({"supplier": ""}, "supplier", "Enter the supplier"),
    ],
)
def test_bad_input_on_the_form_is_refused_with_its_message_and_nothing_is_written(world, project, client, changes, field, message):
    log_in(client, "coordinator@jelgava.example")
    response = post_form(client, url(project, "new"), {**FORM, **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in page and f'href="#{field}"' in page and message in page
    assert count_items() == 0


def test_a_duplicate_invoice_of_the_same_supplier_is_refused_on_the_form(world, project, client):
    make_item(world.jelgava, project)
    log_in(client, "coordinator@jelgava.example")
    response = post_form(client, url(project, "new"), {**FORM, "supplier": "sia  SENSORIKA"})
    assert response.status_code == 422
    assert "invoice with this number is already in the list." in response.get_data(as_text=True)
    assert count_items() == 1


def test_another_currency_is_declared_in_euro_half_up(world, project, client):
    log_in(client, "coordinator@jelgava.example")
    form = {**FORM, "currency": "sek", "conversion_rate": "11,4615", "invoice_total": "1000", "vat": "", "declared_amount": ""}
    response = post_form(client, url(project, "new"), form)
    assert response.status_code == 302
    item = item_of(int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert (item.currency, item.declared_amount, str(item.declared_eur)) == ("SEK", 1000, "87.25")


def test_a_credit_note_is_shown_as_a_credit_note_in_words(world, project, client):
    make_item(world.jelgava, project, invoice_number="CN-7", invoice_total=Decimal("-121.00"), vat=Decimal("-21.00"), declared_amount=Decimal("-121.00"))
    make_item(world.jelgava, project)
    log_in(client, "coordinator@jelgava.example")
    listing = client.get(url(project)).get_data(as_text=True)
    assert listing.count("Credit note") == 1
    assert "This includes credit notes of -€121.00." in listing
    assert "€1,089.00" in listing  # the total of both


# --- Who may do what --------------------------------------------------------------------------------------

def test_staff_may_draft_only_when_the_coordinator_allows_it(world, project, client):
    log_in(client, "staff@jelgava.example")
    assert client.get(url(project)).status_code == 403
    assert client.get(url(project, "new")).status_code == 403
    allow_staff(world.jelgava)
    response = post_form(client, url(project, "new"), FORM)
    assert response.status_code == 302
    item_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    token = csrf_token(client.get(url(project)).get_data(as_text=True))
    assert client.post(url(project, f"{item_id}/submit"), data={"csrf_token": token}).status_code == 403  # only coordinators submit
    assert item_of(item_id).status is ExpenditureStatus.DRAFT


def test_the_coordinator_allows_staff_on_the_settings_page(world, project, app):
    staff = logged_in(app, "staff@jelgava.example")
    assert staff.get(url(project, "new")).status_code == 403
    coordinator = logged_in(app, "coordinator@jelgava.example")
    assert post_form(coordinator, "/t/jelgava/expenditure/settings", {"staff_may_draft": "y"}).status_code == 302
    assert staff.get(url(project, "new")).status_code == 200
    assert staff.get("/t/jelgava/expenditure/settings").status_code == 403


def test_the_coordinator_submits_and_the_lead_verifies(world, project, app):
    item_id = make_item(world.jelgava, project)
    coordinator, lead = logged_in(app, "coordinator@jelgava.example"), logged_in(app, "lead@pasvalys.example")
    show = url(project, f"{item_id}/")
    assert post_form(lead, url(project, f"{item_id}/verify"), {}, page=show).status_code == 409  # a draft is not the lead's yet
    assert post_form(coordinator, url(project, f"{item_id}/submit"), {"confirmed": "yes"}, page=show).status_code == 302
    assert post_form(coordinator, url(project, f"{item_id}/verify"), {}, page=show).status_code == 403
    assert lead.get(url(project, "new")).status_code == 403  # the lead reads and decides, never drafts
    assert post_form(lead, url(project, f"{item_id}/verify"), {}, page=show).status_code == 302
    assert item_of(item_id).status is ExpenditureStatus.VERIFIED


def test_the_lead_rejects_with_a_comment_the_partner_reads(world, project, app):
    item_id = make_item(world.jelgava, project, status="submitted")
    lead = logged_in(app, "lead@pasvalys.example")
    reject = url(project, f"{item_id}/reject")
    assert post_form(lead, reject, {"comment": " "}).status_code == 422
    assert item_of(item_id).status is ExpenditureStatus.SUBMITTED
    assert post_form(lead, reject, {"comment": "The payment proof is missing"}).status_code == 302
    page = logged_in(app, "coordinator@jelgava.example").get(url(project, f"{item_id}/")).get_data(as_text=True)
    assert "Rejected" in page and "The payment proof is missing" in page


def test_editing_after_submission_is_refused_with_a_clear_message(world, project, client):
    item_id = make_item(world.jelgava, project, status="submitted")
    log_in(client, "coordinator@jelgava.example")
    for response in (client.get(url(project, f"{item_id}/edit")), post_form(client, url(project, f"{item_id}/edit"), {**FORM, "description": "Changed"}, page=url(project, f"{item_id}/"))):
        assert response.status_code == 409
        assert "A submitted item cannot be edited." in response.get_data(as_text=True)
    assert item_of(item_id).description == "Bubble tube with a safety base"


def test_a_rejected_item_is_corrected_and_becomes_a_draft_again(world, project, client):
    item_id = make_item(world.jelgava, project, status="rejected")
    log_in(client, "coordinator@jelgava.example")
    assert post_form(client, url(project, f"{item_id}/edit"), {**FORM, "comment": "Proof attached"}).status_code == 302
    assert (item_of(item_id).status, item_of(item_id).comment) == (ExpenditureStatus.DRAFT, "Proof attached")


def test_the_coordinator_submits_all_drafts_of_a_period(world, project, client):
    first = make_item(world.jelgava, project)
    second = make_item(world.jelgava, project, invoice_number="SR-2024/119")
    later = make_item(world.jelgava, project, invoice_number="SR-2025/001", period_number=2, invoice_date=date(2025, 1, 5), payment_date=None)
    log_in(client, "coordinator@jelgava.example")
    response = post_form(client, url(project, "submit"), {"period": "1", "confirmed": "yes"}, page=url(project))
    assert response.status_code == 302
    assert [item_of(i).status for i in (first, second, later)] == [ExpenditureStatus.SUBMITTED, ExpenditureStatus.SUBMITTED, ExpenditureStatus.DRAFT]
    again = post_form(client, url(project, "submit"), {"period": "1"}, page=url(project))
    assert again.status_code == 422 and "Period 1 has no drafts to submit." in again.get_data(as_text=True)


class TestSubmittingAsksForConfirmationFirst:
    def test_the_drafts_of_a_period_are_counted_and_totalled_and_nothing_changes_before_yes(self, world, project, client):
        items = [make_item(world.jelgava, project), make_item(world.jelgava, project, invoice_number="SR-2024/119")]
        log_in(client, "coordinator@jelgava.example")
        asked = post_form(client, url(project, "submit"), {"period": "1"}, page=url(project))
        page = asked.get_data(as_text=True)
        assert asked.status_code == 200
        assert "Submit 2 items totalling €2,420.00 to the project lead?" in page and "can no longer be edited" in page
        assert 'name="confirmed" value="yes"' in page and 'name="period" value="1"' in page
        assert [item_of(i).status for i in items] == [ExpenditureStatus.DRAFT] * 2
        assert post_form(client, url(project, "submit"), {"period": "1", "confirmed": "yes"}, page=url(project)).status_code == 302
        assert [item_of(i).status for i in items] == [ExpenditureStatus.SUBMITTED] * 2

    def test_one_item_too(self, world, project, client):
        item_id = make_item(world.jelgava, project)
        log_in(client, "coordinator@jelgava.example")
        asked = post_form(client, url(project, f"{item_id}/submit"), {}, page=url(project, f"{item_id}/"))
        assert asked.status_code == 200 and "Submit 1 item totalling €1,210.00 to the project lead?" in asked.get_data(as_text=True)
        assert item_of(item_id).status is ExpenditureStatus.DRAFT


# --- Deleting ---------------------------------------------------------------------------------------------

def test_deleting_asks_first_then_keeps_the_row_and_writes_the_audit_log(world, project, client):
    item_id = make_item(world.jelgava, project)
    log_in(client, "coordinator@jelgava.example")
    confirm = client.get(url(project, f"{item_id}/delete"))
    assert confirm.status_code == 200 and "Delete the item" in confirm.get_data(as_text=True)
    assert post_form(client, url(project, f"{item_id}/delete"), {}).status_code == 302
    item = item_of(item_id)
    assert item.deleted_at is not None and item.deleted_by_id == world.coordinator.id and count_items() == 1
    updates = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.object_type == "Expenditure", AuditEntry.object_id == item_id, AuditEntry.action == "update"))
    assert [entry.actor_id for entry in updates if "deleted_at" in entry.changes] == [world.coordinator.id]
    assert "SR-2024/118" not in client.get(url(project)).get_data(as_text=True)
    assert client.get(url(project, f"{item_id}/")).status_code == 404


def test_a_submitted_item_cannot_be_deleted(world, project, client):
    item_id = make_item(world.jelgava, project, status="submitted")
    log_in(client, "coordinator@jelgava.example")
    response = post_form(client, url(project, f"{item_id}/delete"), {}, page=url(project, f"{item_id}/"))
    assert response.status_code == 409 and "A submitted item cannot be deleted." in response.get_data(as_text=True)
    assert item_of(item_id).deleted_at is None


# --- Partners apart ---------------------------------------------------------------------------------------

def test_a_partner_never_sees_another_partners_expenditure(world, project, client):
    theirs = make_item(world.pasvalys, project, supplier="UAB Sensorinė erdvė", invoice_number="SE-1")
    make_item(world.jelgava, project)
    log_in(client, "coordinator@jelgava.example")
    listing = client.get(url(project)).get_data(as_text=True)
    assert "SIA Sensorika" in listing and "UAB Sensorinė erdvė" not in listing and "1 item" in listing
    for rest in (f"{theirs}/", f"{theirs}/edit", f"{theirs}/delete"):
        assert client.get(url(project, rest)).status_code == 404, rest
    token = csrf_token(client.get(url(project)).get_data(as_text=True))
    for rest in (f"{theirs}/submit", f"{theirs}/delete", f"{theirs}/attachments"):
        assert client.post(url(project, rest), data={"csrf_token": token}).status_code == 404, rest
    assert client.get(f"/t/pasvalys/expenditure/{project.id}/{theirs}/").status_code == 404
    with tenant_scope(world.pasvalys):
        assert db.session.scalar(sa.select(Expenditure.status).where(Expenditure.id == theirs)) is ExpenditureStatus.DRAFT


def test_the_lead_sees_each_partner_under_its_own_address(world, project, client):
    make_item(world.pasvalys, project, supplier="UAB Sensorinė erdvė")
    make_item(world.jelgava, project)
    log_in(client, "lead@pasvalys.example")
    assert "UAB Sensorinė erdvė" in client.get(f"/t/pasvalys/expenditure/{project.id}/").get_data(as_text=True)
    jelgava = client.get(url(project)).get_data(as_text=True)
    assert "SIA Sensorika" in jelgava and "UAB Sensorinė erdvė" not in jelgava


# --- The list ---------------------------------------------------------------------------------------------

def test_the_list_filters_by_period_status_and_category_with_totals_of_what_it_shows(world, project, client):
    make_item(world.jelgava, project, status="submitted")
    make_item(world.jelgava, project, invoice_number="T-1", category="travel", invoice_total=Decimal("100.00"), vat=None, declared_amount=Decimal("100.00"))
    make_item(world.jelgava, project, invoice_number="L-2", period_number=2, invoice_date=date(2025, 1, 5), payment_date=None, invoice_total=Decimal("50.00"), vat=None, declared_amount=Decimal("50.00"))
    log_in(client, "coordinator@jelgava.example")
    for query, total, shown in (("", "€1,360.00", "3 items"), ("?period=2", "€50.00", "1 item"), ("?status=submitted", "€1,210.00", "1 item"), ("?category=travel&period=1", "€100.00", "1 item")):
        page = client.get(url(project) + query).get_data(as_text=True)
        assert f"all items matching the filters: {total}" in page and shown in page, query


def test_the_list_page_runs_the_same_number_of_queries_for_5_or_60_items(world, project, client, count_queries):
    from dataclasses import replace

    from expenditure_items import INVOICE

    from bibnet.tenants.expenditure import services

    def items(n, start):
        with tenant_scope(world.jelgava):
            for number in range(start, start + n):
                services.create(replace(INVOICE, invoice_number=f"N-{number}"), project)
            db.session.commit()

    log_in(client, "coordinator@jelgava.example")
    items(5, 0)
    with count_queries() as few:
        assert client.get(url(project) + "?per_page=100").status_code == 200
    items(55, 5)
    with count_queries() as many:
        assert client.get(url(project) + "?per_page=100").status_code == 200
    assert many.n == few.n <= 12


# --- Attachments (local storage) --------------------------------------------------------------------------

def attach(client, project, item_id, *files):
    token = csrf_token(client.get(url(project, f"{item_id}/")).get_data(as_text=True))
    return client.post(url(project, f"{item_id}/attachments"), data={"csrf_token": token, "files": [(io.BytesIO(data), name) for data, name in files]}, content_type="multipart/form-data")


def test_files_are_attached_downloaded_and_removed_while_the_item_is_a_draft(world, project, client):
    item_id = make_item(world.jelgava, project)
    log_in(client, "coordinator@jelgava.example")
    assert attach(client, project, item_id, (PDF, "rēķins.pdf"), (PNG, "maksājums.png")).status_code == 302
    with tenant_scope(world.jelgava):
        attached = db.session.scalars(sa.select(ExpenditureAttachment).order_by(ExpenditureAttachment.id)).all()
        file_ids = [attachment.file_id for attachment in attached]
        first_id = attached[0].id
    assert len(file_ids) == 2
    page = client.get(url(project, f"{item_id}/")).get_data(as_text=True)
    assert "rēķins.pdf" in page and f"/t/jelgava/files/{file_ids[0]}" in page
    download = client.get(f"/t/jelgava/files/{file_ids[0]}")
    assert download.status_code == 200 and download.data == PDF
    assert post_form(client, url(project, f"{item_id}/attachments/{first_id}/delete"), {}, page=url(project, f"{item_id}/")).status_code == 302
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 1


def test_a_file_of_another_type_is_refused_and_none_of_the_batch_is_stored(world, project, client):
    item_id = make_item(world.jelgava, project)
    log_in(client, "coordinator@jelgava.example")
    response = attach(client, project, item_id, (PDF, "rēķins.pdf"), (b"<html><script>alert(1)</script></html>", "page.pdf"))
    assert response.status_code == 422
    assert "“page.pdf” is not a PDF, an image or an office document." in response.get_data(as_text=True)
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0


def test_an_office_document_is_accepted(world, project, client):
    from openpyxl import Workbook

    book, data = Workbook(), io.BytesIO()
    book.save(data)
    item_id = make_item(world.jelgava, project)
    log_in(client, "coordinator@jelgava.example")
    assert attach(client, project, item_id, (data.getvalue(), "tāme.xlsx")).status_code == 302


def test_no_file_is_attached_to_a_submitted_item(world, project, client):
    item_id = make_item(world.jelgava, project, status="submitted")
    log_in(client, "coordinator@jelgava.example")
    assert "Attach the files" not in client.get(url(project, f"{item_id}/")).get_data(as_text=True)
    response = attach(client, project, item_id, (PDF, "late.pdf"))
    assert response.status_code == 409 and "only while the item is a draft or rejected" in response.get_data(as_text=True)
