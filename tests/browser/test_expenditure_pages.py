"""The expenditure pages in en, lv and lt have no axe-core WCAG 2.2 A/AA violation and load nothing from elsewhere:
the list with a credit note, an item, the form with its error summary, the lead's rejection, the deletion, the
settings, and every step of the import, the preview with bad rows included (uploaded by the progress script)."""
from dataclasses import replace
from datetime import date
from decimal import Decimal
import re

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Project, ReportingPeriod
from bibnet.tenants.expenditure import services
from bibnet.tenants.expenditure.models import FinanceSettings
from bibnet.tenants.expenditure.services import ExpenditureInput

from .conftest import LANGUAGES
from .test_keyboard import Keyboard

pytestmark = pytest.mark.browser

INVOICE = ExpenditureInput(
    period_number=1, category="equipment", invoice_date=date(2024, 9, 10), payment_date=date(2024, 9, 20), supplier="SIA Sensorika",
    invoice_number="SR-2024/118", description="Burbuļu kolonna", invoice_total=Decimal("1210.00"), vat=Decimal("210.00"), declared_amount=Decimal("1210.00"),
)
CSV = """Periods;Kategorija;Rēķina datums;Piegādātājs;Apraksts;Summa;Rēķina Nr.;PVN
1;equipment;10.09.2024;SIA Gaisma;Gaismas šķiedras;1 210,00;G-1;210,00
1;external;2024-10-02;SIA Pieejamība;Pieejamības audits;800,00;PA-7;900,00
1;catering;2024-10-03;SIA Kafija;Kafija;-10;K-1;
"""
MAPPING = {"period_number": "Periods", "category": "Kategorija", "invoice_date": "Rēķina datums", "supplier": "Piegādātājs", "description": "Apraksts", "invoice_total": "Summa", "invoice_number": "Rēķina Nr.", "vat": "PVN"}


@pytest.fixture
def items(browser_app, world) -> dict:
    """Jelgava's project with two periods, a remembered import mapping and three items: a draft, a credit note
    and a submitted invoice."""
    with browser_app.app_context():
        project = db.session.scalar(sa.select(Project))
        project.reporting_periods = [
            ReportingPeriod(number=1, starts_on=date(2024, 6, 1), ends_on=date(2024, 11, 30)),
            ReportingPeriod(number=2, starts_on=date(2024, 12, 1), ends_on=date(2026, 5, 31)),
        ]
        db.session.commit()
        with tenant_scope(world.jelgava_id):
            db.session.add(FinanceSettings(staff_may_draft=False, import_mapping=MAPPING))
            draft = services.create(INVOICE, project)
            services.create(replace(INVOICE, invoice_number="CN-3", description="Kredītrēķins", invoice_total=Decimal("-121.00"), vat=Decimal("-21.00"), declared_amount=Decimal("-121.00")), project)
            submitted = services.create(replace(INVOICE, invoice_number="SR-2024/120", currency="SEK", conversion_rate=Decimal("11.4615")), project)
            services.submit([submitted])
            db.session.commit()
            ids = {"project": project.id, "draft": draft.id, "submitted": submitted.id}
        db.session.remove()
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_coordinators_expenditure_pages(site, items, tmp_path, language):
    base = f"/t/jelgava/expenditure/{items['project']}"
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    site.goto(f"{base}/", 200)
    assert site.page.locator(".badge").count() == 1  # the credit note, in words
    site.scan(language, "the list")
    site.goto(f"{base}/{items['draft']}/", 200)
    site.scan(language, "a draft item")
    site.submit("main form[action$='/submit'] button", 200)
    site.scan(language, "the confirmation of a submission")
    site.goto(f"{base}/{items['draft']}/", 200)  # "No, go back": the item is still a draft
    site.goto(f"{base}/{items['submitted']}/", 200)
    site.scan(language, "a submitted item in SEK")
    site.goto(f"{base}/new", 200)
    site.page.locator("#supplier").fill("SIA Sensorika")
    site.page.locator("#invoice_total").fill("10,001")
    site.page.locator("#invoice_date").fill("2024-05-31")
    site.submit("main form button[type=submit]", 422)
    assert site.page.locator(".error-summary li").count() >= 4
    site.scan(language, "the item form with errors")
    site.goto(f"{base}/{items['draft']}/edit", 200)
    site.scan(language, "a draft item, edited")
    site.goto(f"{base}/{items['draft']}/delete", 200)
    site.scan(language, "the deletion")
    site.goto("/t/jelgava/expenditure/settings", 200)
    site.scan(language, "the settings")
    site.goto(f"{base}/import", 200)
    site.scan(language, "the import upload")
    export = tmp_path / "eksports.csv"
    export.write_text(CSV, encoding="utf-8")
    site.page.locator("#file").set_input_files(str(export))
    with site.page.expect_navigation(url="**/import/mapping?file=*"):
        site.page.locator("main form button[type=submit]").click()
    site.scan(language, "the column mapping")
    site.submit("main form[method=post] button[type=submit]", 422)
    assert site.page.locator("#problems-caption").count() == 1
    assert site.page.locator("tbody th[scope=row]").first.inner_text() == "3"
    site.scan(language, "the import preview with bad rows")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_leads_rejection_page(site, items, language):
    base = f"/t/jelgava/expenditure/{items['project']}"
    site.log_in("lead@pasvalys.example")
    site.switch_language(language)
    site.goto(f"{base}/{items['submitted']}/reject", 200)
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "the rejection with an error")
    site.page.locator("#comment").fill("Trūkst maksājuma apliecinājuma")
    site.submit("main form button[type=submit]", 200)
    site.scan(language, "a rejected item")
    site.check()


def test_enter_an_invoice_with_the_keyboard_only(page, base_url, world, items):
    """From the library's menu to a saved draft invoice by Tab, arrow keys, typing and Enter only."""
    page.set_default_timeout(10_000)
    keys = Keyboard(page)

    keys.log_in("coordinator@jelgava.example", base_url)
    page.goto(f"{base_url}/t/jelgava/")

    keys.tab_to(lambda focus: focus["inNav"] and focus["href"].endswith("/t/jelgava/expenditure/"), "The Expenditure link of the library menu")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/t/jelgava/expenditure/{items['project']}/$"))
    keys.skip_to_main()
    keys.tab_to(lambda focus: f"/expenditure/{items['project']}/new" in focus["href"], "The Add an item link")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/new(\?.*)?$"))

    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["id"] == "period_number", "The reporting period")
    page.keyboard.press("ArrowDown")  # the first period
    assert keys.press("Tab")["id"] == "category"
    for _ in range(5):  # staff, office, travel, external, equipment
        page.keyboard.press("ArrowDown")
    keys.tab_to(lambda focus: focus["id"] == "supplier", "The supplier")
    page.keyboard.type("SIA Skaņu darbnīca")
    assert keys.press("Tab")["id"] == "invoice_number"
    page.keyboard.type("SD-77")
    assert keys.press("Tab")["id"] == "invoice_date"
    # A native date input takes digits in the order of the browser's own locale (day or month first): 10 October
    # reads the same either way.
    page.keyboard.type("10102024")
    keys.tab_to(lambda focus: focus["id"] == "description", "The description")
    page.keyboard.type("Skaņas panelis")
    keys.tab_to(lambda focus: focus["id"] == "invoice_total", "The invoice total")
    page.keyboard.type("450,00")
    page.keyboard.press("Enter")  # sends the form, as Enter in a text field does
    page.wait_for_url(re.compile(r".*/expenditure/\d+/\d+/(#main)?$"))
    assert "SIA Skaņu darbnīca" in page.locator("main").inner_text()
    keys.check()


WINDOWS_1257_WITHOUT_PERIOD_AND_CATEGORY = """Rēķina datums;Piegādātājs;Apraksts;Summa;Rēķina Nr.
10.09.2024;UAB „Testas“;Šviestuvai;1 210,00;T-1
11.09.2024;UAB Testas;Ąžuolinis stalas;800,00;T-1
"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_import_of_a_baltic_export_with_values_for_every_row(site, items, tmp_path, language):
    """Issue 10's import pages: an .xls named for what it is, the first values and the encoding on the mapping
    page, period and category set once, and the duplicate supplier written two ways."""
    base = f"/t/jelgava/expenditure/{items['project']}"
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    site.goto(f"{base}/import", 200)
    old_excel = tmp_path / "eksports.xls"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    site.page.locator("#file").set_input_files(str(old_excel))
    site.page.locator("main form button[type=submit]").click()  # uploaded by the progress script: the refusal replaces the page
    site.page.locator(".error-summary", has_text=".xls").wait_for()
    site.scan(language, "the import upload refusing an .xls")
    export = tmp_path / "eksports.csv"
    export.write_bytes(WINDOWS_1257_WITHOUT_PERIOD_AND_CATEGORY.encode("cp1257"))
    site.page.locator("#file").set_input_files(str(export))
    with site.page.expect_navigation(url="**/import/mapping?file=*"):
        site.page.locator("main form button[type=submit]").click()
    assert site.page.locator("samp", has_text="UAB „Testas“").count() == 1
    site.page.locator("#encoding").select_option("cp1252")  # a wrong choice shows wrong letters…
    site.submit("main form[method=get] button[type=submit]", 200)
    assert site.page.locator("samp", has_text="Ðviestuvai").count() == 1
    site.scan(language, "the column mapping read in another encoding")
    site.page.locator("#encoding").select_option("cp1257")  # …and the right one puts them back
    site.submit("main form[method=get] button[type=submit]", 200)
    site.submit("main form[method=post] button[type=submit]", 422)  # neither a period column nor a period for every row
    site.scan(language, "the column mapping with errors")
    site.page.locator("#default_period_number").select_option("1")
    site.page.locator("#default_category").select_option("equipment")
    site.submit("main form[method=post] button[type=submit]", 422)
    assert site.page.locator("tbody th[scope=row]").first.inner_text() == "3"  # the same invoice as row 2
    site.scan(language, "the import preview with a duplicate supplier")
    site.check()
