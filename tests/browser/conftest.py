"""Fixtures for the browser tests: the app on SQLite only, served by a live werkzeug thread, and Debian's Chromium.

The browser tests do not use the `app` fixture, so they run once (not once per database) and never start PostgreSQL.
Before each test the tables are emptied and the same small world is loaded again (two tenants of one project and
their users); after it they are emptied, so the tests are independent of each other and of their order. The world
is the same every time, user ids and session tokens included, so a session cookie from the first log-in of a user
stays valid for the whole run: later tests reuse it instead of logging in again, which keeps the run short.
"""
from dataclasses import dataclass
from datetime import date
import os
from pathlib import Path
import threading

from flask_migrate import upgrade
import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from bibnet.accounts import links
from bibnet.accounts.models import Membership, Role, User
from bibnet.accounts.passwords import hash_password
from bibnet.app import create_app
from bibnet.extensions import db, limiter
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Country, Partner, PartnerRole, Project, ProjectLead, Tenant

from conftest import PASSWORD, delete_all_rows, missing, without_disk_syncs

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LANGUAGES = ("en", "lv", "lt")
# The WCAG 2.2 A and AA rules of axe-core (A2 and 1.4 of the accessibility reference).
# Only violations are reported in full: that makes a scan about three times faster.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="session")
def browser_app(tmp_path_factory):
    """The app on a migrated SQLite database, built like tests/conftest.py's `app` but for this session only."""
    instance = tmp_path_factory.mktemp("browser-instance")
    os.environ["BIBNET_INSTANCE_PATH"] = str(instance)
    os.environ["BIBNET_ENV"] = "testing"
    application = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'bibnet.sqlite3'}",
            "SQLALCHEMY_ENGINE_OPTIONS": {},
            "SERVER_NAME": None,
            "MAIL_OUTBOX": str(instance / "outbox"),
            "STORAGE_LOCAL_ROOT": str(instance / "files"),
        }
    )
    with application.app_context():
        without_disk_syncs(db.engine)
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


class _QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        pass  # one line per request drowns the report of a failing test; errors are still logged


@pytest.fixture(scope="session")
def live_server(browser_app):
    server = make_server("127.0.0.1", 0, browser_app, threaded=True, request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="bibnet-live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def base_url(live_server):
    """pytest-playwright's base URL: `page.goto("/login")` opens the live server."""
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a browser downloaded by `playwright install`."""
    if not Path(CHROMIUM).exists():
        missing("Chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # English from the browser until a page switches; a fixed window so that layouts are the same on every machine;
    # reduced motion turns off Bootstrap's smooth scrolling, which Playwright would wait for before each click.
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1280, "height": 800}, "reduced_motion": "reduce"}


@dataclass
class World:
    jelgava_id: int
    pasvalys_id: int
    staff_user_id: int  # staff@jelgava.example
    staff_membership_id: int  # their membership in Jelgava
    invited_user_id: int  # invited to Jelgava, no password yet

    def link(self, app, user_id: int, purpose: str) -> str:
        """A password-reset or invitation path for the user, as the e-mail would carry it."""
        with app.app_context():
            token = links.make_token(db.session.get(User, user_id), purpose)
        return {links.RESET: "/password/reset/", links.INVITATION: "/invitation/"}[purpose] + token


def _empty(app) -> None:
    with app.app_context():
        db.session.rollback()
        with db.engine.begin() as connection:
            delete_all_rows(connection)
        db.session.remove()


def _seed(app) -> World:
    """The world of tests/conftest.py: Jelgava (lv) and Pasvalys (lt) in one project, with a lead and an admin."""
    with app.app_context():
        jelgava = Tenant(slug="jelgava", name="Jelgava Municipality", country=Country.LV, default_locale="lv", timezone="Europe/Riga")
        pasvalys = Tenant(slug="pasvalys", name="Pasvalys District Municipality", country=Country.LT, default_locale="lt", timezone="Europe/Vilnius")
        db.session.add_all([jelgava, pasvalys])
        db.session.flush()
        users = []
        password_hash = hash_password(PASSWORD)

        def user(email, name, tenant=None, role=Role.STAFF, is_admin=False, password=True):
            number = len(users) + 1
            person = User(
                id=number,
                email=email,
                name=name,
                is_admin=is_admin,
                password_hash=password_hash if password else None,
                session_token=f"browser-test-session-{number}",
            )
            users.append(person)
            db.session.add(person)
            db.session.flush()
            membership = None
            if tenant is not None:
                with tenant_scope(tenant):
                    membership = Membership(user_id=person.id, role=role)
                    db.session.add(membership)
                    db.session.flush()
            return person, membership

        user("coordinator@jelgava.example", "Ilze Coordinator", jelgava, Role.COORDINATOR)
        staff, staff_membership = user("staff@jelgava.example", "Jānis Staff", jelgava, Role.STAFF)
        invited, _ = user("invited@jelgava.example", "Līga Invited", jelgava, Role.STAFF, password=False)
        user("coordinator@pasvalys.example", "Rūta Coordinator", pasvalys, Role.COORDINATOR)
        user("staff@pasvalys.example", "Tomas Staff", pasvalys, Role.STAFF)
        lead, _ = user("lead@pasvalys.example", "Rasa Lead")
        user("admin@bibnet.example", "Admin", is_admin=True)

        project = Project(programme="Interreg VI-A Latvia–Lithuania", acronym="InclusiveLibraries", title="Inclusive libraries", starts_on=date(2024, 6, 1), ends_on=date(2026, 5, 31))
        db.session.add(project)
        db.session.add(Partner(project=project, tenant_id=pasvalys.id, number=1, role=PartnerRole.LEAD))
        db.session.add(Partner(project=project, tenant_id=jelgava.id, number=2, role=PartnerRole.PARTNER))
        db.session.add(ProjectLead(project=project, user_id=lead.id))
        db.session.commit()
        world = World(jelgava_id=jelgava.id, pasvalys_id=pasvalys.id, staff_user_id=staff.id, staff_membership_id=staff_membership.id, invited_user_id=invited.id)
        db.session.remove()
    return world


@pytest.fixture(scope="session")
def _login_cookies():
    """E-mail → the cookies right after that user's first log-in in this run."""
    return {}


@pytest.fixture(autouse=True)
def world(browser_app):
    """A fresh world for every browser test, removed again afterwards."""
    _empty(browser_app)
    limiter.reset()
    yield _seed(browser_app)
    _empty(browser_app)


class Site:
    """One browser tab on the live server that scans pages with axe and notes every request it sees."""

    def __init__(self, page, base_url: str, login_cookies: dict):
        self.page = page
        self.login_cookies = login_cookies
        self.base_url = base_url
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.scanned = 0
        page.set_default_timeout(10_000)
        page.context.on("request", lambda request: self.requests.append(request.url))

    def goto(self, path: str, status: int | None = None):
        response = self.page.goto(path)
        if status is not None:
            assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
        return response

    def submit(self, button_selector: str, status: int | None = None):
        """Press a submit button and wait for the page it leads to."""
        with self.page.expect_navigation() as navigation:
            self.page.locator(button_selector).click()
        response = navigation.value
        if status is not None:
            assert response.status == status, f"{button_selector}: HTTP {response.status}, expected {status}"
        return response

    def log_in(self, email: str) -> None:
        """Log in with the form and land on the dashboard; from the second time on, with the first session's cookie."""
        if email in self.login_cookies:
            self.page.context.add_cookies(self.login_cookies[email])
            self.goto("/", 200)
            assert self.page.url == f"{self.base_url}/", f"the saved session of {email} no longer works: {self.page.url}"
            return
        self.goto("/login")
        self.page.locator("#email").fill(email)
        self.page.locator("#password").fill(PASSWORD)
        self.submit("main form button[type=submit]")
        assert self.page.url == f"{self.base_url}/", f"log-in as {email} failed: {self.page.url}"
        self.login_cookies[email] = self.page.context.cookies()

    def switch_language(self, language: str) -> None:
        """Press the language button in the header (on a narrow screen, in the menu that the Menu button opens); the
        same page comes back in that language."""
        toggler = self.page.locator("header .navbar-toggler")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") == "false":
            toggler.click()
        self.submit(f'header form.language-switcher button[value="{language}"]')
        self.expect_language(language)

    def expect_language(self, language: str) -> None:
        actual = self.page.locator("html").get_attribute("lang")
        assert actual == language, f"{self.page.url}: <html lang={actual!r}>, expected {language!r}"

    def expect_no_sideways_scrolling(self) -> None:
        overflow = self.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            self.problems.append(f"{self.page.url.removeprefix(self.base_url)}: the page scrolls sideways by {overflow} px (WCAG 1.4.10)")

    def scan(self, language: str, what: str = "") -> None:
        """Check `<html lang>` and run axe on the page as it is now; violations are collected, see `check`."""
        from axe_playwright_python.sync_playwright import Axe

        self.expect_language(language)
        results = Axe().run(self.page, options=AXE_OPTIONS)
        self.scanned += 1
        for violation in results.response["violations"]:
            targets = "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
            more = len(violation["nodes"]) - 5
            self.problems.append(
                f"[{language}] {what or self.page.url.removeprefix(self.base_url)}: {violation['id']} ({violation['impact']})"
                f" {violation['help']}\n      at {targets}{f' (+{more} more)' if more > 0 else ''}"
                f"\n      {' '.join(violation['nodes'][0].get('failureSummary', '').split())[:300]}"
            )

    def check(self) -> None:
        """No axe violation on any scanned page, and no request left the live server."""
        assert self.scanned, "no page was scanned"
        foreign = sorted({url for url in self.requests if not url.startswith((self.base_url + "/", "data:", "about:"))})
        report = []
        if self.problems:
            report.append(f"{len(self.problems)} accessibility violation(s):\n  " + "\n  ".join(self.problems))
        if foreign:
            report.append("requests that left 127.0.0.1:\n  " + "\n  ".join(foreign))
        assert not report, "\n".join(report)


@pytest.fixture
def site(page, base_url, _login_cookies):
    return Site(page, base_url, _login_cookies)
