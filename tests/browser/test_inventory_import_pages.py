"""The equipment import's pages in en, lv and lt have no axe-core WCAG 2.2 A/AA violation and load nothing from
elsewhere: the upload, the column mapping (with the first values and the encoding), the preview with a bad row
named, the preview of a good file, and the home panel that leads there."""
import pytest

from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory.categories import ensure_shared_categories

from .conftest import LANGUAGES

pytestmark = pytest.mark.browser

CSV = """Nosaukums;Kategorija;Sērijas nr.;Cena
Burbuļu kolonna;sensory_equipment;BT-118;1 210,00
Projektors;Nav tādas;PJ-9;549,00
"""
MAPPING = {"name": "Nosaukums", "category": "Kategorija", "serial": "Sērijas nr.", "cost": "Cena"}


@pytest.fixture
def categories(browser_app, world):
    with browser_app.app_context():
        with tenant_scope(world.jelgava_id):
            ensure_shared_categories()
            db.session.commit()
        db.session.remove()


def _upload(site, tmp_path, text):
    site.goto("/t/jelgava/equipment/import/", 200)
    listing = tmp_path / "aprikojums.csv"
    listing.write_text(text, encoding="cp1257")
    site.page.locator("#file").set_input_files(str(listing))
    with site.page.expect_navigation(url="**/equipment/import/mapping?file=*"):
        site.page.locator("main form button[type=submit]").click()
    for field, column in MAPPING.items():
        site.page.locator(f"#{field}").select_option(column)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_equipment_import_pages(site, categories, tmp_path, language):
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    site.goto("/t/jelgava/", 200)
    assert site.page.locator("a[href='/t/jelgava/equipment/import/']").count() == 1
    site.scan(language, "the home with the import panel")
    site.goto("/t/jelgava/equipment/import/", 200)
    site.scan(language, "the equipment upload")
    _upload(site, tmp_path, CSV)
    assert site.page.locator("#encoding").input_value() == "cp1257"
    site.scan(language, "the equipment column mapping")
    site.submit("main form[method=post] button[type=submit]", 422)
    assert site.page.locator("tbody th[scope=row]").first.inner_text() == "3"
    site.scan(language, "the equipment preview with a bad row")
    _upload(site, tmp_path, CSV.replace("Nav tādas", "computers"))
    site.submit("main form[method=post] button[type=submit]", 200)
    site.scan(language, "the equipment preview of a good file")
    site.check()
