"""Fixtures for the whole suite.

Every test that uses `app` runs twice: on SQLite and on a throwaway PostgreSQL cluster that the tests
start themselves. Both databases are built by the migrations, not by `create_all`. Rows are deleted
after each test, so tests may commit freely, and pages served to the browser see the same data.

`make test` spreads the tests over the CPU cores with pytest-xdist; each worker is its own pytest session
with its own SQLite file, PostgreSQL cluster (on a free port), live server and moto server.
"""
import atexit
from contextlib import contextmanager
import contextvars
import os
from pathlib import Path
import re
import shutil
import signal
import socket
import subprocess
import threading

from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from flask import has_app_context
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
import psycopg
import pytest
import sqlalchemy as sa

from bibnet.accounts import passwords
from bibnet.accounts.models import Membership, Role, User
from bibnet.accounts.passwords import hash_password
from bibnet.app import create_app
from bibnet.db import owner_engine
from bibnet.extensions import db
from bibnet.tenancy import rls
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Country, Partner, PartnerRole, Project, ProjectLead, Tenant

FULL_TESTS = os.environ.get("BIBNET_FULL_TESTS") == "1"
PG_CTL_WRAPPER = str(Path(__file__).with_name("pg_ctl_as_postgres"))
PASSWORD = "correct horse battery"
# The app's role on PostgreSQL: it owns no table and is no superuser, so row-level security applies to it.
APP_ROLE = "bibnet_app"
PRODUCTION_PASSWORD_HASHER = passwords._hasher


@pytest.hookimpl(trylast=True)  # after pytest has grouped the tests by database
def pytest_collection_modifyitems(items):
    """Build the wheel first: it takes half a minute, and as one of the last tests it kept one xdist worker busy
    while the others had finished."""
    items.sort(key=lambda item: item.get_closest_marker("slow_install") is None)


def missing(what: str):
    """Skip, or fail when BIBNET_FULL_TESTS=1 (CI), because a real part is not installed."""
    if FULL_TESTS:
        pytest.fail(f"{what} is needed (BIBNET_FULL_TESTS=1)")
    pytest.skip(f"{what} is not installed")


def postgresql_available() -> bool:
    return any(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'bibnet.sqlite3'}"
    if not postgresql_available():
        missing("PostgreSQL")
    port = request.getfixturevalue("postgresql_server")
    with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True) as connection:
        # pytest builds this fixture again if a worker gets a SQLite test after PostgreSQL ones: start afresh.
        connection.execute("DROP DATABASE IF EXISTS bibnet_tests WITH (FORCE)")
        connection.execute("CREATE DATABASE bibnet_tests")
        if connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (APP_ROLE,)).fetchone() is None:
            connection.execute(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS")
    with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="bibnet_tests", autocommit=True) as connection:
        # The tables the migrations (as postgres, the owner) create are the app role's to read and write.
        connection.execute(f"ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE}")
        connection.execute(f"ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT USAGE, SELECT ON SEQUENCES TO {APP_ROLE}")
    return f"postgresql+psycopg://{APP_ROLE}@127.0.0.1:{port}/bibnet_tests"


def as_owner(database_url: str) -> str:
    """The URL of the tables' owner (migrations, cleaning up between tests): PostgreSQL's superuser."""
    return database_url.replace(f"//{APP_ROLE}@", "//postgres@")


@pytest.fixture(scope="session")
def postgresql_server(tmp_path_factory):
    """A throwaway PostgreSQL cluster for this test session (initdb, start, and stop at the end)."""
    folder = tmp_path_factory.mktemp("postgresql")
    datadir, log = folder / "data", folder / "server.log"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subprocess.run([PG_CTL_WRAPPER, "initdb", "-D", str(datadir), "-o", "--auth=trust --username=postgres --encoding=UTF8 --locale=C.UTF-8"], check=True, capture_output=True)
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    subprocess.run([PG_CTL_WRAPPER, "start", "-D", str(datadir), "-w", "-l", str(log), "-o", options], check=True, capture_output=True)

    def stop(mode: str = "immediate") -> None:
        subprocess.run([PG_CTL_WRAPPER, "stop", "-D", str(datadir), "-m", mode, "-w"], capture_output=True)

    # A run that ends without its teardown (a worker whose controller went away, a `timeout` sending SIGTERM)
    # must not leave the cluster running: stopped at the interpreter's exit, and on SIGTERM.
    atexit.register(stop)
    stop_on_sigterm(stop)
    yield port
    stop("fast")
    atexit.unregister(stop)


def stop_on_sigterm(stop) -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.getsignal(signal.SIGTERM)

    def stopped(signum, frame):
        stop()
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)  # then end as the signal would have

    signal.signal(signal.SIGTERM, stopped)


def without_disk_syncs(engine: sa.Engine) -> None:
    """A throwaway SQLite database need not survive a power cut: no fsync at each commit (about 10 ms each,
    a few dozen commits per test). The PostgreSQL cluster runs with fsync=off for the same reason."""
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", lambda connection, _record: connection.execute("PRAGMA synchronous = OFF"))


class FreshContextClient(FlaskClient):
    """Each request gets its own application context (its own `g` and database session), as in production,
    even while the test holds one open to prepare data."""

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()  # end the test's transaction: SQLite would otherwise lock out the request

        def in_fresh_context():
            _cv_app.set(None)
            return FlaskClient.open(self, *args, **kwargs)

        response = contextvars.copy_context().run(in_fresh_context)
        if has_app_context():
            db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    os.environ["BIBNET_INSTANCE_PATH"] = str(instance)
    os.environ["BIBNET_ENV"] = "testing"
    application = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MIGRATIONS_DATABASE_URL": as_owner(database_url),
            "SQLALCHEMY_ENGINE_OPTIONS": {},
            "SERVER_NAME": None,
            "MAIL_OUTBOX": str(instance / "outbox"),
            "STORAGE_LOCAL_ROOT": str(instance / "files"),
        }
    )
    application.test_client_class = FreshContextClient
    with application.app_context():
        without_disk_syncs(db.engine)
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()
        owner_engine(application).dispose()


def delete_all_rows(connection) -> None:
    """Empty every table that has rows. Asking first is cheaper than deleting from all of them: a test fills a
    few tables of the many, and on SQLite a transaction that wrote nothing needs no sync to disk."""
    tables = list(reversed(db.metadata.sorted_tables))
    filled = connection.execute(sa.select(*(sa.exists().select_from(table) for table in tables))).one()
    for table, has_rows in zip(tables, filled, strict=True):
        if has_rows:
            connection.execute(table.delete())


@pytest.fixture(autouse=True)
def _empty_tables(request):
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        db.session.rollback()
        with owner_engine(application).begin() as connection:  # row-level security would hide rows from the app
            delete_all_rows(connection)
        db.session.remove()
        outbox = Path(application.config["MAIL_OUTBOX"])
        shutil.rmtree(outbox, ignore_errors=True)


@pytest.fixture(autouse=True)
def budget_day(monkeypatch):
    """The day budget modifications are made on. The test project ran from June 2024 to May 2026, so on the real
    day every one of its periods has ended and no modification could re-plan anything: budget tests stand on the
    project's first day, and a test of closed periods sets `budget_day.day` to a later one."""
    from datetime import date

    from bibnet.tenants.budgets import periods

    class Day:
        day = date(2024, 6, 1)

    monkeypatch.setattr(periods, "partner_today", lambda: Day.day)
    return Day


@pytest.fixture(autouse=True)
def _reset_rate_limits(request):
    if "app" in request.fixturenames:
        from bibnet.extensions import limiter

        limiter.reset()
    yield


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_tenant(app_context):
    def make(slug="jelgava", name=None, country=Country.LV, locale="lv", timezone="Europe/Riga"):
        tenant = Tenant(slug=slug, name=name or slug.capitalize(), country=country, default_locale=locale, timezone=timezone)
        db.session.add(tenant)
        db.session.commit()
        return tenant

    return make


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    """argon2id with its cheapest parameters. The production ones cost a tenth of a second or more on purpose,
    for each log-in and each new password: a third of the suite's time. `production_password_hashing` brings
    them back for the tests of the hashing itself."""
    passwords._hasher = PasswordHasher.from_parameters(CHEAPEST)
    yield
    passwords._hasher = PRODUCTION_PASSWORD_HASHER


@pytest.fixture
def production_password_hashing(monkeypatch):
    monkeypatch.setattr(passwords, "_hasher", PRODUCTION_PASSWORD_HASHER)


@pytest.fixture
def make_user(app_context):
    def make(email="someone@example.lv", name="Some One", tenant=None, role=Role.STAFF, is_admin=False, locale="en", password=PASSWORD):
        hashed = hash_password(password) if password else None
        user = User(email=email, name=name, is_admin=is_admin, locale=locale, password_hash=hashed)
        db.session.add(user)
        db.session.flush()
        if tenant is not None:
            with tenant_scope(tenant):
                db.session.add(Membership(user_id=user.id, role=role))
                db.session.flush()
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_project(app_context):
    def make(tenants, lead_user=None, acronym="InclusiveLibraries"):
        from datetime import date

        project = Project(programme="Interreg VI-A Latvia–Lithuania", acronym=acronym, title="Inclusive libraries", starts_on=date(2024, 6, 1), ends_on=date(2026, 5, 31))
        db.session.add(project)
        for number, tenant in enumerate(tenants, start=1):
            db.session.add(Partner(project=project, tenant_id=tenant.id, number=number, role=PartnerRole.LEAD if number == 1 else PartnerRole.PARTNER))
        if lead_user is not None:
            db.session.add(ProjectLead(project=project, user_id=lead_user.id))
        db.session.commit()
        return project

    return make


@pytest.fixture
def world(make_tenant, make_user, make_project):
    """Two partner tenants of one project, with a coordinator and staff each, a project lead and an admin."""

    class World:
        pass

    w = World()
    w.jelgava = make_tenant("jelgava", "Jelgava Municipality")
    w.pasvalys = make_tenant("pasvalys", "Pasvalys District Municipality", Country.LT, "lt", "Europe/Vilnius")
    w.coordinator = make_user("coordinator@jelgava.example", "Ilze Coordinator", w.jelgava, Role.COORDINATOR)
    w.staff = make_user("staff@jelgava.example", "Jānis Staff", w.jelgava, Role.STAFF)
    w.other_coordinator = make_user("coordinator@pasvalys.example", "Rūta Coordinator", w.pasvalys, Role.COORDINATOR)
    w.other_staff = make_user("staff@pasvalys.example", "Tomas Staff", w.pasvalys, Role.STAFF)
    w.lead = make_user("lead@pasvalys.example", "Rasa Lead")
    w.admin = make_user("admin@bibnet.example", "Admin", is_admin=True)
    w.project = make_project([w.pasvalys, w.jelgava], lead_user=w.lead)
    return w


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def log_in(client, email: str, password: str = PASSWORD):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def post_form(client, url: str, data: dict, page: str | None = None):
    """POST a form the way a browser does: with the CSRF token of the page that shows it."""
    token = csrf_token(client.get(page or url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counted: ...` then `counted.n` is the number of SQL statements run."""

    @contextmanager
    def counting():
        class Counted:
            n = 0
            statements: list = []

        counted = Counted()
        counted.statements = []

        def before(conn, cursor, statement, parameters, context, executemany):
            if statement == rls.SET_SCOPE_SQL:
                return  # row-level security settings come with a change of scope, not with the data read
            counted.n += 1
            counted.statements.append(statement)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield counted
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def make_room(app_context):
    """A sensory room open Monday to Friday 09:00–18:00 (Saturday 10:00–14:00), 15 minutes' cleaning buffer."""
    from datetime import time

    from bibnet.tenants.rooms.models import OpeningHours, Room

    def make(tenant, name="Sensory room", capacity=8, needs_approval=False, buffer_minutes=15, **settings):
        with tenant_scope(tenant):
            room = Room(library=f"{tenant.name} central library", name=name, capacity=capacity, needs_approval=needs_approval, buffer_minutes=buffer_minutes, max_advance_days=settings.pop("max_advance_days", 366), **settings)
            room.opening_hours = [OpeningHours(weekday=day, opens=time(9), closes=time(18)) for day in range(5)]
            room.opening_hours.append(OpeningHours(weekday=5, opens=time(10), closes=time(14)))
            db.session.add(room)
            db.session.commit()
        return room

    return make


def booking_input(room, responsible, day, start, end, **fields):
    """A BookingInput for `room` with sensible defaults: a sensory session for 3 seniors and a carer."""
    from bibnet.tenants.bookings.models import Activity
    from bibnet.tenants.bookings.rules import BookingInput

    fields.setdefault("expected", {"seniors": 3, "carers": 1})
    return BookingInput(room_id=room.id, activity=fields.pop("activity", Activity.SENSORY_SESSION), title=fields.pop("title", "Sensory session"), responsible_id=responsible.id, first_date=day, start_time=start, end_time=end, **fields)


def monday_in(weeks: int):
    """The Monday `weeks` weeks after this week's Monday (in UTC)."""
    from datetime import date, timedelta

    today = date.today()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


@pytest.fixture
def room(world, make_room):
    """Jelgava's sensory room (see `make_room`)."""
    return make_room(world.jelgava)


@pytest.fixture
def in_jelgava(world):
    """Run the test as Jelgava: its reads and writes are scoped like a request to /t/jelgava/."""
    with tenant_scope(world.jelgava):
        yield


def deliver_queued_mail(app) -> int:
    """Deliver the mail outbox as `bibnet jobs run` does: in a session of its own, which sees committed mail only."""
    from bibnet import mail

    with app.app_context():
        return mail.deliver_queued()


def take_delivered_mail(app) -> list:
    """Deliver the outbox, then take the delivered mail out of the outbox folder, oldest first, as parsed messages:
    each call returns what was delivered since the last one."""
    import email
    from email import policy

    deliver_queued_mail(app)
    folder = Path(app.config["MAIL_OUTBOX"])
    files = sorted(folder.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns) if folder.exists() else []
    mails = [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]
    for path in files:
        path.unlink()
    return mails


def structure_tags(node, found=None) -> set[str]:
    """The structure types (/S) of a tagged PDF's structure tree under `node`: what a screen reader is given."""
    found = set() if found is None else found
    node = node.get_object()
    if "/S" in node:
        found.add(node["/S"])
    kids = node.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict):
            structure_tags(kid, found)
    return found
