"""Every page, in every language and in its states (empty, error summary, filled), has no axe-core WCAG 2.2 A/AA
violation, carries the right `<html lang>` and loads nothing from outside the server."""
import pytest

from bibnet.accounts import links

from .conftest import LANGUAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages(site, world, browser_app, language):
    site.goto("/login", 200)
    site.switch_language(language)  # before log-in the choice lives in the session
    site.scan(language)
    site.submit("main form button[type=submit]", 422)  # empty: the error summary and the field errors
    site.scan(language, "/login with errors")
    for path in ("/accessibility", "/privacy", "/password/forgot"):
        site.goto(path, 200)
        site.scan(language)
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/password/forgot with errors")
    site.goto("/nope", 404)
    site.scan(language)
    site.goto("/password/reset/garbage", 404)
    site.scan(language)

    site.goto(world.link(browser_app, world.staff_user_id, links.RESET), 200)
    site.scan(language, "/password/reset/<token>")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/password/reset/<token> with errors")
    site.goto(world.link(browser_app, world.invited_user_id, links.INVITATION), 200)
    site.scan(language, "/invitation/<token>")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_coordinator_pages(site, world, language):
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)  # remembered in the profile from now on
    site.scan(language, "/ (coordinator)")
    site.goto("/t/jelgava/", 200)
    site.scan(language)
    site.goto("/t/jelgava/users/", 200)
    site.scan(language)
    site.goto("/t/jelgava/users/invite", 200)
    site.scan(language)
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/t/jelgava/users/invite with errors")
    site.goto(f"/t/jelgava/users/{world.staff_membership_id}", 200)
    site.scan(language, "/t/jelgava/users/<id>")
    site.submit("main form button[value=deactivate]", 200)
    site.scan(language, "/t/jelgava/users/<id>: confirm the deactivation")
    site.goto("/t/unknown/", 404)
    site.scan(language)

    site.goto("/profile", 200)
    site.scan(language)
    site.submit("form[action$='/profile/password'] button[type=submit]", 422)
    site.scan(language, "/profile with errors")
    site.page.locator("form[action$='/profile/tokens'] input[name=name]").fill("Spreadsheet import")
    site.submit("form[action$='/profile/tokens'] button[type=submit]", 201)
    site.scan(language, "/profile with a new token")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_pages(site, world, language):
    site.log_in("admin@bibnet.example")
    site.switch_language(language)
    for path in ("/admin/", "/admin/tenants/", "/admin/users/", "/admin/users/?q=jelgava"):
        site.goto(path, 200)
        site.scan(language)
    for path in ("/admin/tenants/new", "/admin/users/new", "/admin/projects/new"):
        site.goto(path, 200)
        site.scan(language)
        site.submit("main form button[type=submit]", 422)  # empty: the error summary and the field errors
        site.scan(language, f"{path} with errors")
    site.goto(f"/admin/tenants/{world.jelgava_id}", 200)
    site.scan(language, "/admin/tenants/<id>")
    site.goto(f"/admin/users/{world.staff_user_id}", 200)
    site.scan(language, "/admin/users/<id>")
    site.goto("/admin/projects/", 200)
    site.scan(language)
    project_id = site.page.locator("main table a").first.get_attribute("href").rsplit("/", 1)[1]
    site.goto(f"/admin/projects/{project_id}", 200)
    site.scan(language, "/admin/projects/<id>")
    site.submit("form[action$='/leads'] button[type=submit]", 422)  # no address: the lead form's error
    site.scan(language, "/admin/projects/<id> with errors")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("email", ["lead@pasvalys.example", "admin@bibnet.example"], ids=["lead", "admin"])
def test_dashboards(site, language, email):
    site.log_in(email)
    site.switch_language(language)
    site.scan(language, f"/ ({email})")
    site.check()


@pytest.mark.parametrize("email", ["admin@bibnet.example", "coordinator@jelgava.example"], ids=["admin", "coordinator"])
def test_pages_reflow_at_320_css_pixels(site, world, email):
    """WCAG 1.4.10: at 320 CSS px (1280 px zoomed to 400 %) nothing but a wide table's own box scrolls sideways."""
    site.page.set_viewport_size({"width": 320, "height": 640})
    site.goto("/login")
    site.switch_language("lt")
    site.expect_no_sideways_scrolling()
    site.scan("lt", "/login at 320 px")
    site.log_in(email)
    site.switch_language("lv")
    pages = ["/", "/profile"] + (["/t/jelgava/users/", f"/t/jelgava/users/{world.staff_membership_id}"] if "jelgava" in email else [])
    for path in pages:
        site.goto(path, 200)
        site.expect_no_sideways_scrolling()
        site.scan("lv", f"{path} at 320 px")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_audit_log_pages(site, world, language):
    """The audit log of a library (its coordinator), of a project (its lead) and of the platform (an admin),
    filled (the world's own creation is logged), filtered and with errors in its filters."""
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    site.goto("/t/jelgava/audit/", 200)
    site.scan(language)
    site.goto("/t/jelgava/audit/?since=31.02.2026&object_id=abc", 422)
    site.scan(language, "/t/jelgava/audit/ with errors")
    site.page.context.clear_cookies()  # log out
    site.log_in("lead@pasvalys.example")
    site.switch_language(language)
    project_link = site.page.locator("main a[href$='/audit/']").first.get_attribute("href")
    site.goto(project_link, 200)
    site.scan(language, "/projects/<id>/audit/")
    site.page.context.clear_cookies()
    site.log_in("admin@bibnet.example")
    site.switch_language(language)
    site.goto("/admin/audit/", 200)
    site.scan(language)
    site.goto(f"/admin/audit/?tenant={world.jelgava_id}&object_type=Membership&per_page=1", 200)
    site.scan(language, "/admin/audit/ filtered, one entry a page")
    site.goto("/admin/audit/?tenant=x&until=01/02/2027", 422)
    site.scan(language, "/admin/audit/ with errors")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_help_pages(site, world, language):
    site.goto("/help/", 200)
    site.switch_language(language)
    site.scan(language)
    for area in ("booking", "budget", "import", "reports"):
        site.goto(f"/help/{area}", 200)
        site.scan(language)
    site.goto("/help/nothing-here", 404)
    site.check()
