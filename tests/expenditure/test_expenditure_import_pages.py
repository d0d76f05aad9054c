"""Importing on the import pages and with `bibnet expenditure import`: a file with one bad row is refused whole
with the row named, the mapping is remembered, and nothing is written until every row is good."""
import io
import re

from expenditure_items import count_items, make_item
import pytest
import sqlalchemy as sa

from bibnet.audit.models import AuditEntry
from bibnet.extensions import db
from bibnet.storage.models import StoredFile
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.expenditure.models import Expenditure, ExpenditureStatus, FinanceSettings

from conftest import csrf_token, log_in

pytest_plugins = ["expenditure_items"]  # the fixture `project`

HEADER = "Periods;Kategorija;Rēķina datums;Piegādātājs;Apraksts;Summa;Rēķina Nr.;PVN\n"
GOOD = HEADER + """1;equipment;10.09.2024;SIA Sensorika;Burbuļu kolonna;1 210,00;SR-118;210,00
1;external;2024-10-02;SIA Pieejamība;Pieejamības audits;800,00;PA-7;
2;equipment;05.12.2024;SIA Sensorika;Kredītrēķins;-121,00;CN-3;-21,00
"""
BAD = GOOD.replace("800,00;PA-7;", "800,00;PA-7;900,00")
MAPPING = {
    "period_number": "Periods", "category": "Kategorija", "invoice_date": "Rēķina datums", "supplier": "Piegādātājs",
    "description": "Apraksts", "invoice_total": "Summa", "invoice_number": "Rēķina Nr.", "vat": "PVN",
}


def url(project, rest=""):
    return f"/t/jelgava/expenditure/{project.id}/import{rest}"


def upload(client, project, text, name="export.csv"):
    token = csrf_token(client.get(url(project)).get_data(as_text=True))
    return client.post(url(project), data={"csrf_token": token, "file": (io.BytesIO(text.encode("utf-8-sig")), name)}, content_type="multipart/form-data")


def mapping_page(client, response) -> tuple[str, str]:
    """The mapping page the upload leads to, and the id of the waiting file in its hidden field."""
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return page, re.search(r'name="file_id" type="hidden" value="(\d+)"', page).group(1)


def send(client, project, step, file_id, mapping=MAPPING):
    token = csrf_token(client.get(url(project)).get_data(as_text=True))
    return client.post(url(project, f"/{step}"), data={"csrf_token": token, "file_id": file_id, **mapping})


def test_a_good_file_is_mapped_previewed_and_imported_as_drafts(world, project, client):
    log_in(client, "coordinator@jelgava.example")
    page, file_id = mapping_page(client, upload(client, project, GOOD))
    assert re.search(r"<th scope=\"row\">Periods</th><td[^>]*><ul[^>]*><li[^>]*><samp>1</samp>.*<th scope=\"row\">Kategorija</th>", page, re.S)
    preview = send(client, project, "preview", file_id)
    assert preview.status_code == 200 and "3 rows are good." in preview.get_data(as_text=True)
    assert count_items() == 0  # a preview writes nothing
    done = send(client, project, "confirm", file_id)
    assert done.status_code == 302
    with tenant_scope(world.jelgava):
        items = db.session.scalars(sa.select(Expenditure).order_by(Expenditure.id)).all()
        assert [(item.invoice_number, item.status, item.created_by_id) for item in items] == [("SR-118", ExpenditureStatus.DRAFT, world.coordinator.id), ("PA-7", ExpenditureStatus.DRAFT, world.coordinator.id), ("CN-3", ExpenditureStatus.DRAFT, world.coordinator.id)]
        assert items[2].is_credit_note
        assert db.session.scalar(sa.select(StoredFile.id)) is None  # the waiting file is gone
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "import"))
    assert entry.changes["rows"] == 3 and entry.actor_id == world.coordinator.id


def test_a_file_with_one_bad_row_is_refused_whole_with_the_row_named_and_the_mapping_is_remembered(world, project, client):
    log_in(client, "coordinator@jelgava.example")
    _, file_id = mapping_page(client, upload(client, project, BAD))
    preview = send(client, project, "preview", file_id)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 422
    assert "1 row cannot be imported. Nothing was saved" in page
    assert re.search(r'<th scope="row" class="number">3</th><td>PVN</td><td>The VAT cannot be more than the invoice total.</td>', page)
    assert "Import 2 items" not in page and "2 rows are good." in page
    assert send(client, project, "confirm", file_id).status_code == 422  # confirming anyway changes nothing
    assert count_items() == 0
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(FinanceSettings.import_mapping)) == MAPPING
    page, _ = mapping_page(client, upload(client, project, GOOD, "next.csv"))
    assert '<option selected value="PVN">PVN</option>' in page  # pre-filled from the last import


def test_a_mapping_without_a_required_column_is_refused_on_the_mapping_page(world, project, client):
    log_in(client, "coordinator@jelgava.example")
    _, file_id = mapping_page(client, upload(client, project, GOOD))
    response = send(client, project, "preview", file_id, {**MAPPING, "supplier": ""})
    assert response.status_code == 422 and "Choose the column that holds this." in response.get_data(as_text=True)


def test_a_duplicate_of_an_item_in_the_list_is_a_bad_row(world, project, client):
    make_item(world.jelgava, project, invoice_number="SR-118")
    log_in(client, "coordinator@jelgava.example")
    _, file_id = mapping_page(client, upload(client, project, GOOD))
    page = send(client, project, "preview", file_id).get_data(as_text=True)
    assert '<th scope="row" class="number">2</th><td>Rēķina Nr.</td>' in page and "already in the list" in page


@pytest.mark.parametrize(("data", "name", "message"), [("garbage", "export.xlsx", "cannot be read as an XLSX"), ("", "export.csv", "no header row")])
def test_an_unreadable_file_is_refused_at_once(world, project, client, data, name, message):
    log_in(client, "coordinator@jelgava.example")
    response = upload(client, project, data, name)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_only_coordinators_import_and_never_into_another_partners_file(world, project, client):
    with tenant_scope(world.pasvalys):
        from bibnet.imports.files import keep_import_file
        from bibnet.tenants.expenditure.attachments import IMPORT_AREA

        theirs = keep_import_file(GOOD.encode(), "theirs.csv", IMPORT_AREA)
        db.session.commit()
        theirs_id = theirs.id
    log_in(client, "coordinator@jelgava.example")
    assert client.get(url(project, f"/mapping?file={theirs_id}")).status_code == 404
    assert send(client, project, "confirm", str(theirs_id)).status_code == 404
    assert count_items() == 0
    staff = client.application.test_client()
    log_in(staff, "staff@jelgava.example")
    assert staff.get(url(project)).status_code == 403


# --- The command line ------------------------------------------------------------------------------------

def run_import(app, tmp_path, text, *options):
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["expenditure", "import", "--tenant", "jelgava", "--project", "InclusiveLibraries", *options, str(path)])


def mapped(mapping=MAPPING):
    return [argument for name, header in mapping.items() for argument in ("--map", f"{name}={header}")]


def test_the_command_imports_with_the_given_mapping(world, project, app, tmp_path):
    result = run_import(app, tmp_path, GOOD, *mapped())
    assert result.exit_code == 0, result.output + result.stderr
    assert "Imported 3 item(s) as drafts" in result.output
    assert count_items() == 3


def test_the_command_prints_every_bad_row_and_writes_nothing(world, project, app, tmp_path):
    result = run_import(app, tmp_path, BAD.replace("05.12.2024", "31.02.2025"), *mapped())
    assert result.exit_code == 1
    assert "row 3, column PVN: The VAT cannot be more than the invoice total." in result.stderr
    assert "row 4, column Rēķina datums:" in result.stderr
    assert "2 of 3 rows cannot be imported: nothing was imported" in result.stderr
    assert count_items() == 0


def test_the_command_uses_the_remembered_mapping(world, project, app, tmp_path):
    with tenant_scope(world.jelgava):
        db.session.add(FinanceSettings(staff_may_draft=False, import_mapping=MAPPING))
        db.session.commit()
    result = run_import(app, tmp_path, GOOD)
    assert result.exit_code == 0, result.stderr
    assert count_items() == 3


def test_the_command_refuses_an_incomplete_mapping(world, project, app, tmp_path):
    result = run_import(app, tmp_path, GOOD, "--map", "supplier=Piegādātājs")
    assert result.exit_code == 1 and "--map period_number: Choose the column that holds this, or set one value for every row below." in result.stderr


def upload_bytes(client, project, data: bytes, name="export.csv"):
    token = csrf_token(client.get(url(project)).get_data(as_text=True))
    return client.post(url(project), data={"csrf_token": token, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


@pytest.mark.parametrize("delimiter", ["|", ",", "\t"])
def test_a_file_with_another_delimiter_is_read_on_the_page_too(world, project, client, delimiter):
    """A `|`-separated file answered 500: csv.Sniffer could not tell its delimiter."""
    log_in(client, "coordinator@jelgava.example")
    text = GOOD.replace(";", delimiter).replace(",00", ".00").replace("1 210", "1210") if delimiter != ";" else GOOD
    page, file_id = mapping_page(client, upload_bytes(client, project, text.encode()))
    assert re.search(r"<th scope=\"row\">Periods</th><td[^>]*><ul[^>]*><li[^>]*><samp>1</samp>.*<th scope=\"row\">Kategorija</th>", page, re.S)
    assert "3 rows are good." in send(client, project, "preview", file_id).get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Periods;Supplier\n1;Caf\x81\n", "Row 2 holds a character that none of UTF-8, UTF-16, Windows-1257 and Windows-1252 can read."),
        (GOOD.replace("Summa", "Sum\x00ma").encode(), "The header of column 6 holds an invisible control character"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_on_the_upload_page_and_nothing_is_kept(world, project, client, data, message):
    log_in(client, "coordinator@jelgava.example")
    response = upload_bytes(client, project, data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(StoredFile.id)) is None
    assert count_items() == 0


def test_a_nul_character_in_a_cell_is_a_row_problem_in_the_preview_and_the_confirm_writes_nothing(world, project, client):
    """The preview said every row was good, and the confirm answered 500 on PostgreSQL."""
    log_in(client, "coordinator@jelgava.example")
    _page, file_id = mapping_page(client, upload_bytes(client, project, GOOD.replace("SIA Pieejamība", "SIA Pieejam\x00ība").encode()))
    preview = send(client, project, "preview", file_id)
    assert preview.status_code == 422 and "Remove the invisible control character" in preview.get_data(as_text=True)
    assert send(client, project, "confirm", file_id).status_code == 422
    assert count_items() == 0
