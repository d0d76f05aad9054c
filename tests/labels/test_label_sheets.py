"""Label sheets as PDF: one page per sheet, labels from the chosen start position, a QR code at least 20 mm wide
holding the item's public address, the EU co-funding line only on funded items; absurd runs are refused."""
from datetime import date
from decimal import Decimal
import io
import math

from inventory_items import make_item
from pypdf import PdfReader
import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import ReportingPeriod
from bibnet.tenants.expenditure import services as expenditure
from bibnet.tenants.inventory.label_printing import sheets
from bibnet.tenants.inventory.models import Item

from conftest import log_in

LABELS = "/t/jelgava/equipment/labels"
POINTS_PER_MM = 72 / 25.4


def image_widths_mm(page) -> list[float]:
    """The width of every image drawn on `page`, following the graphics state's transformation matrices."""
    stack, matrix, widths = [], [1, 0, 0, 1, 0, 0], []
    for operands, operator in page.get_contents().operations:
        if operator == b"q":
            stack.append(matrix)
        elif operator == b"Q":
            matrix = stack.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(value) for value in operands)
            m = matrix
            matrix = [a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2], c * m[1] + d * m[3], e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5]]
        elif operator == b"Do":
            widths.append(math.hypot(matrix[0], matrix[1]) / POINTS_PER_MM)
    return widths


def pdf_of(items, geometry="L7163", start=1) -> PdfReader:
    with sheets.render(items, sheets.GEOMETRIES[geometry], start) as file:
        return PdfReader(io.BytesIO(file.read()))


@pytest.fixture
def app_request(app, world):
    with app.test_request_context("/"), tenant_scope(world.jelgava):
        yield


@pytest.mark.parametrize(("count", "geometry", "start", "pages"), [(14, "L7163", 1, 1), (15, "L7163", 1, 2), (2, "L7163", 14, 2), (21, "L7160", 1, 1), (22, "L7160", 1, 2)])
def test_one_page_per_sheet_from_the_chosen_start(app_request, count, geometry, start, pages):
    items = [make_item(f"Board game {number}") for number in range(count)]
    assert len(pdf_of(items, geometry, start).pages) == pages


@pytest.mark.parametrize("geometry", ["L7163", "L7160"])
def test_each_label_has_a_qr_code_at_least_20_mm_wide(app_request, geometry):
    reader = pdf_of([make_item("Bubble tube"), make_item("Magnifier")], geometry)
    widths = image_widths_mm(reader.pages[0])
    assert len(widths) == 2
    assert all(width >= 20 for width in widths), widths


def test_a_label_shows_the_tag_and_name_and_the_qr_holds_the_public_address(app_request):
    item = make_item("Bubble tube")
    text = pdf_of([item]).pages[0].extract_text()
    assert "BN-00001" in text and "Bubble tube" in text
    assert sheets.public_url(item).endswith(f"/i/{item.public_token}")


def test_only_funded_items_say_co_funded_by_the_european_union(app_request, world):
    db.session.add(ReportingPeriod(project_id=world.project.id, number=1, starts_on=world.project.starts_on, ends_on=world.project.ends_on))
    invoice = expenditure.create(expenditure.ExpenditureInput(
        period_number=1, category="equipment", invoice_date=date(2025, 3, 3), supplier="SIA Sensory", description="Bubble tube",
        invoice_total=Decimal("2400.00"), declared_amount=Decimal("2400.00"), invoice_number="S-1",
    ), world.project)
    funded, own = make_item("Bubble tube", expenditure_id=invoice.id), make_item("Old chair")
    reader = pdf_of([funded, own], "L7163")
    text = reader.pages[0].extract_text()
    assert text.count("Co-funded by the European Union") == 1


def test_an_absurd_run_is_refused_with_a_clear_message(app_request, monkeypatch):
    monkeypatch.setattr(sheets, "MAX_LABELS", 3)
    with pytest.raises(Refused) as refused:
        sheets.render([make_item() for _ in range(4)], sheets.GEOMETRIES["L7163"])
    assert "4 labels are too many for one PDF: print at most 3 at a time" in refused.value.summary()


def test_a_start_beyond_the_sheet_is_refused(app_request):
    with pytest.raises(Refused):
        sheets.render([make_item()], sheets.GEOMETRIES["L7163"], start=15)


def test_the_page_streams_a_pdf_of_a_filtered_selection(world, client):
    with tenant_scope(world.jelgava):
        for number in range(3):
            make_item(f"Board game {number}")
        db.session.commit()
    log_in(client, "staff@jelgava.example")
    response = client.get(f"{LABELS}/sheet.pdf?geometry=L7160&start=1&location_id=0&category_id=0&status=available")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.get_data())).pages) == 1


def test_the_page_refuses_too_many_labels_before_loading_them(world, client, monkeypatch):
    monkeypatch.setattr(sheets, "MAX_LABELS", 2)
    with tenant_scope(world.jelgava):
        for number in range(3):
            make_item(f"Board game {number}")
        db.session.commit()
    log_in(client, "staff@jelgava.example")
    response = client.get(f"{LABELS}/sheet.pdf?geometry=L7163&start=1&location_id=0&category_id=0&status=")
    assert response.status_code == 422
    assert "3 labels are too many for one PDF" in response.get_data(as_text=True)


def test_another_tenants_item_ids_print_nothing(world, client):
    with tenant_scope(world.pasvalys):
        theirs = make_item("Pasvalys bubble tube")
        db.session.commit()
    log_in(client, "staff@jelgava.example")
    response = client.get(f"{LABELS}/sheet.pdf?item={theirs.id}&geometry=L7163&start=1")
    assert response.status_code == 422
    assert "Pasvalys" not in response.get_data(as_text=True)


def test_the_item_page_section_links_to_its_label(app, world, client):
    with tenant_scope(world.jelgava):
        item = make_item()
        db.session.commit()
        item_id = item.id
    log_in(client, "staff@jelgava.example")
    body = client.get(f"{LABELS}/?item={item_id}").get_data(as_text=True)
    assert "BN-00001 DAISY player" in body and f'name="item" value="{item_id}"' in body
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Item)) == 1
