"""The equipment import on its pages and in the API: upload → mapping (remembered) → every row checked →
all registered or none, for those who manage the inventory only, and never with another tenant's file."""
import io
import re

from openapi_spec_validator import validate
import pytest
import sqlalchemy as sa

from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.imports.files import keep_import_file
from bibnet.storage.models import StoredFile
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.importing.models import ItemImportSettings
from bibnet.tenants.inventory.importing.views import IMPORT_AREA
from bibnet.tenants.inventory.models import Item

from conftest import csrf_token, log_in

URL = "/t/jelgava/equipment/import/"
HEADER = "Nosaukums;Kategorija;Sērijas nr.;Cena\n"
GOOD = HEADER + "Burbuļu kolonna;sensory_equipment;BT-118;1 210,00\nDAISY atskaņotājs;reading_aids;DP-1;289,00\n"
BAD = GOOD + "Projektors;Nav tādas;PJ-9;549,00\n"
MAPPING = {"name": "Nosaukums", "category": "Kategorija", "serial": "Sērijas nr.", "cost": "Cena"}


@pytest.fixture
def jelgava_categories(world):
    with tenant_scope(world.jelgava):
        ensure_shared_categories()
        db.session.commit()


def items_in(tenant) -> list[str]:
    with tenant_scope(tenant):
        return db.session.scalars(sa.select(Item.tag).order_by(Item.tag_number)).all()


def upload(client, text: str, name="equipment.csv"):
    token = csrf_token(client.get(URL).get_data(as_text=True))
    return client.post(URL, data={"csrf_token": token, "file": (io.BytesIO(text.encode("utf-8")), name)}, content_type="multipart/form-data")


def mapping_page(client, response) -> tuple[str, str]:
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return page, re.search(r'name="file_id" type="hidden" value="(\d+)"', page).group(1)


def send(client, step: str, file_id: str, mapping=MAPPING):
    token = csrf_token(client.get(URL).get_data(as_text=True))
    return client.post(f"{URL}{step}", data={"csrf_token": token, "file_id": file_id, **mapping})


def test_a_good_file_is_mapped_checked_and_registered_with_tags(world, client, jelgava_categories):
    log_in(client, "coordinator@jelgava.example")
    page, file_id = mapping_page(client, upload(client, GOOD))
    assert '<th scope="row">Kategorija</th>' in page and "<samp>sensory_equipment</samp>" in page
    preview = send(client, "preview", file_id)
    assert preview.status_code == 200 and "2 rows are good." in preview.get_data(as_text=True)
    assert items_in(world.jelgava) == []  # a check registers nothing
    done = send(client, "confirm", file_id)
    assert done.status_code == 302
    assert items_in(world.jelgava) == ["BN-00001", "BN-00002"]
    assert "2 items are in the register, tagged BN-00001 to BN-00002." in client.get(done.headers["Location"]).get_data(as_text=True)
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0  # the waiting file is gone


def test_a_file_with_a_bad_row_names_it_and_registers_nothing(world, client, jelgava_categories):
    log_in(client, "coordinator@jelgava.example")
    _page, file_id = mapping_page(client, upload(client, BAD))
    preview = send(client, "preview", file_id)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 422 and "1 row cannot be imported. Nothing was saved" in page
    assert '<th scope="row" class="number">4</th><td>Kategorija</td>' in page
    assert "Register 2 items" not in page
    assert send(client, "confirm", file_id).status_code == 422  # a forged confirmation is checked again
    assert items_in(world.jelgava) == []


def test_the_mapping_is_remembered_for_the_next_file(world, client, jelgava_categories):
    log_in(client, "coordinator@jelgava.example")
    _page, file_id = mapping_page(client, upload(client, GOOD.replace("Nosaukums", "Kas")))
    send(client, "preview", file_id, {**MAPPING, "name": "Kas"})
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(ItemImportSettings.mapping))["name"] == "Kas"
    page, _file_id = mapping_page(client, upload(client, GOOD.replace("Nosaukums", "Kas")))
    assert re.search(r'<option selected value="Kas">Kas</option>|<option value="Kas" selected>Kas</option>', page)


@pytest.mark.parametrize(("data", "name", "message"), [(b"%PDF-1.7 an invoice", "list.csv", "This is a PDF"), (b"", "list.csv", "no header row")])
def test_a_file_that_is_no_table_is_refused_at_once(world, client, data, name, message):
    log_in(client, "coordinator@jelgava.example")
    token = csrf_token(client.get(URL).get_data(as_text=True))
    response = client.post(URL, data={"csrf_token": token, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_only_managers_import_and_never_with_another_tenants_file(world, client, jelgava_categories):
    with tenant_scope(world.pasvalys):
        theirs = keep_import_file(GOOD.encode(), "theirs.csv", IMPORT_AREA)
        db.session.commit()
        theirs_id = theirs.id
    log_in(client, "coordinator@jelgava.example")
    assert client.get(f"{URL}mapping?file={theirs_id}").status_code == 404
    assert send(client, "confirm", str(theirs_id)).status_code == 404
    assert items_in(world.jelgava) == [] and items_in(world.pasvalys) == []
    staff = client.application.test_client()
    log_in(staff, "staff@jelgava.example")
    assert staff.get(URL).status_code == 403


def test_the_home_shows_the_way_to_the_import_to_managers_only(world, client):
    log_in(client, "coordinator@jelgava.example")
    assert 'href="/t/jelgava/equipment/import/"' in client.get("/t/jelgava/").get_data(as_text=True)
    staff = client.application.test_client()
    log_in(staff, "staff@jelgava.example")
    assert "/equipment/import/" not in staff.get("/t/jelgava/").get_data(as_text=True)


# --- API -------------------------------------------------------------------------------------------------------

API = "/api/v1/tenants/jelgava/equipment/import"


def api_post(client, secret, text: str, mapping=MAPPING, name="equipment.csv"):
    data = {"file": (io.BytesIO(text.encode("utf-8")), name), **mapping}
    return client.post(API, data=data, content_type="multipart/form-data", headers={"Authorization": f"Bearer {secret}"})


def test_the_api_registers_a_good_file_in_one_request(world, client, jelgava_categories):
    secret = issue_api_token(world.coordinator, "import")
    db.session.commit()
    response = api_post(client, secret, GOOD)
    assert response.status_code == 201, response.json
    assert response.json == {"created": 2, "tags": ["BN-00001", "BN-00002"]}
    assert items_in(world.jelgava) == ["BN-00001", "BN-00002"]


def test_the_api_refuses_a_file_with_a_bad_row_naming_each_problem(world, client, jelgava_categories):
    secret = issue_api_token(world.coordinator, "import")
    db.session.commit()
    response = api_post(client, secret, BAD)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    [problem] = response.json["problems"]
    assert (problem["row"], problem["column"]) == (4, "Kategorija") and "No category" in problem["message"]
    assert items_in(world.jelgava) == []


def test_the_api_refuses_staff_and_a_missing_mapping(world, client, jelgava_categories):
    staff = issue_api_token(world.staff, "import")
    coordinator = issue_api_token(world.coordinator, "import")
    db.session.commit()
    assert api_post(client, staff, GOOD).status_code == 403
    missing = api_post(client, coordinator, GOOD, mapping={"name": "Nosaukums"})
    assert missing.status_code == 422 and "category" in missing.json["errors"]["files"]
    assert items_in(world.jelgava) == []


def test_the_openapi_document_lists_the_import(client):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    operation = document["paths"]["/api/v1/tenants/{tenant_slug}/equipment/import"]["post"]
    assert {"201", "422", "403"} <= set(operation["responses"])
