"""Benchmark of the public programme pages on PostgreSQL: 50 libraries × 40 programmes with their sessions.

    .venv/bin/python bench/programmes_bench.py                  # starts a throwaway PostgreSQL cluster
    DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/programmes_bench.py   # an EMPTY database of yours

Measured: a library's public listing of its upcoming programmes (the issue's target: p95 < 50 ms), a programme's
page with its sessions, JSON-LD and registration form, and the library's iCal feed, one request at a time through
Flask's test client and through a real werkzeug HTTP server; then 50 visitors sending the public registration form
at the same moment, through a threaded HTTP server, for the last 10 places of a programme: exactly 10 must be
registered and 40 waitlisted. SQL statements are counted per request. This is a script, not a test: it prints a
Markdown table (see bench/README.md).

The data: 50 libraries, each with 40 programmes (clubs meeting weekly for a year, class series of 10, workshops
of 3, one-off events), half of their sessions past; 20 % not public, 5 % cancelled, and 10 % with every session
past (none of these is listed). Sessions are at an address (80 %), online (10 %) or in a care home (10 %), and
2 % of them cancelled; each programme has 10 registrations. Libraries are made through the models, the rest with
multi-row INSERTs.
"""
import argparse
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, time, timedelta
import gc
import http.client
from http.cookies import SimpleCookie
from pathlib import Path
import random
import re
import secrets
import sys
import threading
import time as clock
from urllib.parse import urlencode

from flask import current_app
from measuring import (
    Figure,
    ServerTransport,
    StatementCounter,
    TestClientTransport,
    add_run_arguments,
    bench_app,
    first_failures,
    machine_facts,
    measure,
    migrate_empty_database,
    on_database,
    report_head,
)
import sqlalchemy as sa
from werkzeug.serving import make_server

from bibnet.db import owner_engine
from bibnet.extensions import db
from bibnet.tenancy.context import raw_sql, tenant_scope
from bibnet.tenancy.models import Country, Tenant
from bibnet.tenants.programmes.models import Place, Programme, ProgrammeKind, ProgrammeSession, Registration, RegistrationStatus

TARGETS = (
    "Targets: the public programme listing p95 < 50 ms; 50 concurrent registrations for the last 10 places leave exactly "
    "10 registered and the rest waitlisted."
)
ZONE = "Europe/Riga"
TITLES = ("Seniors' club", "Computer literacy", "Craft workshop", "Reading circle", "Board games afternoon", "Tactile art", "Easy-read book club", "Smartphone class")
KINDS = [(ProgrammeKind.CLUB, 52), (ProgrammeKind.CLASS_SERIES, 10), (ProgrammeKind.WORKSHOP, 3), (ProgrammeKind.EVENT, 1)]
PLACES = [Place.ADDRESS] * 8 + [Place.ONLINE, Place.CARE_HOME]
REGISTRATIONS_PER_PROGRAMME = 10
CONCURRENT, LAST_PLACES = 50, 10


class Bench:
    def __init__(self):
        self.slugs: list[str] = []
        self.public_programmes: dict[str, list[int]] = {}  # slug → its listed programmes
        self.programmes = self.sessions = self.registrations = 0
        self.race_programme: tuple[str, int] | None = None


def build(tenants: int, programmes_per_tenant: int, now: datetime, seed: int = 13) -> Bench:
    """Libraries, their programmes, sessions and registrations. Needs an app context."""
    rng = random.Random(seed)
    bench = Bench()
    programmes, sessions, registrations = [], [], []
    next_programme, next_session, next_registration = 1, 1, 1
    today = now.date()
    for t in range(tenants):
        slug = f"bench-{t + 1:02d}"
        tenant = Tenant(slug=slug, name=f"Bench library {t + 1}", country=Country.LV, default_locale="lv", timezone=ZONE)
        db.session.add(tenant)
        db.session.flush()
        bench.slugs.append(slug)
        listed = []
        for number in range(programmes_per_tenant):
            kind, count = rng.choice(KINDS)
            public, cancelled, all_past = rng.random() >= 0.20, rng.random() < 0.05, rng.random() < 0.10
            title = f"{rng.choice(TITLES)} {number + 1}"
            programmes.append({
                "id": next_programme, "tenant_id": tenant.id, "kind": kind, "title": {"lv": title, "en": title, "lt": title},
                "description": {"en": f"About {title}: what we do and whom it is for.", "lv": f"Par {title}."}, "target_groups": ["seniors", "visual"],
                "capacity": rng.choice([None, 12, 20, 40]), "public": public, "registration_open": True, "cross_border": False,
                "cancelled_at": now if cancelled else None, "created_at": now, "updated_at": now,
            })
            # A club meets weekly for a year around today; a series or a workshop is a run of weeks; an event is one day.
            first = today - timedelta(weeks=count // 2 if not all_past else count + 2) + timedelta(days=rng.randrange(7))
            clock_time = time(rng.choice([9, 10, 13, 15, 17]), rng.choice([0, 30]))
            for week in range(count):
                starts = datetime.combine(first + timedelta(weeks=week), clock_time, tzinfo=UTC)
                place = rng.choice(PLACES)
                sessions.append({
                    "id": next_session, "tenant_id": tenant.id, "programme_id": next_programme, "starts_at": starts, "ends_at": starts + timedelta(minutes=90),
                    "place": place, "occurrence_id": None, "address": "" if place is Place.ONLINE else "Pasta iela 37, Jelgava",
                    "organisation_id": None, "online_url": "https://meet.example/room" if place is Place.ONLINE else "",
                    "cancelled_at": now if rng.random() < 0.02 else None, "created_at": now, "updated_at": now,
                })
                next_session += 1
            for person in range(REGISTRATIONS_PER_PROGRAMME):
                registrations.append(_registration(next_registration, tenant.id, next_programme, f"Participant {person + 1}", RegistrationStatus.REGISTERED, now))
                next_registration += 1
            if public and not cancelled and not all_past:
                listed.append(next_programme)
            next_programme += 1
        bench.public_programmes[slug] = listed
    db.session.commit()
    with raw_sql(reason="benchmark data: programmes, sessions and registrations inserted in bulk"):
        for table, rows in ((Programme.__table__, programmes), (ProgrammeSession.__table__, sessions), (Registration.__table__, registrations)):
            for start in range(0, len(rows), 5000):
                db.session.execute(sa.insert(table), rows[start:start + 5000])
            db.session.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT max(id) FROM {table.name}))"))
    db.session.commit()
    bench.programmes, bench.sessions, bench.registrations = len(programmes), len(sessions), len(registrations)
    with owner_engine(current_app).connect() as connection:  # VACUUM skips the tables a role does not own
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
    return bench


def _registration(registration_id, tenant_id, programme_id, name, status, now) -> dict:
    return {
        "id": registration_id, "tenant_id": tenant_id, "programme_id": programme_id, "status": status, "is_group": False, "name": name,
        "phone": "+371 20000000", "email": "", "group_size": 1, "companions": 0, "places": 1, "locale": "lv", "referred_by_id": None,
        "token": secrets.token_urlsafe(18), "promoted_at": None, "cancelled_at": None, "erased_at": None, "created_at": now, "updated_at": now,
    }


# --- Measurements -------------------------------------------------------------------------------------------

def _get(transport, path_of, expected=200, starts=b""):
    def call(i):
        status, body = transport.request("GET", path_of(i))
        return None if status == expected and body.startswith(starts) else f"status {status}: {body[:300]!r}"
    return call


def bench_pages(transport, bench: Bench, n: int, repeats: int, counter) -> list[Figure]:
    """Round the 50 libraries: the listing (its first and second page), a listed programme's page, the feed."""
    slugs = bench.slugs

    def listing(i):
        slug = slugs[i % len(slugs)]
        return f"/p/{slug}/programmes" + ("?page=2" if i % 4 == 3 else "")

    def programme(i):
        slug = slugs[i % len(slugs)]
        listed = bench.public_programmes[slug]
        return f"/p/{slug}/programmes/{listed[(i // len(slugs)) % len(listed)]}"

    return [
        measure("Public listing of a library's upcoming programmes", transport.how, _get(transport, listing), n, repeats, counter),
        measure("Public programme page (sessions, JSON-LD, form)", transport.how, _get(transport, programme), n, repeats, counter),
        measure("iCal feed of a library's programmes", transport.how, _get(transport, lambda i: f"/p/{slugs[i % len(slugs)]}/programmes.ics", starts=b"BEGIN:VCALENDAR"), max(20, n // 4), repeats, counter),
    ]


def prepare_race(app, bench: Bench) -> tuple[str, int]:
    """A public programme of the last library with 30 places of which 20 are taken: 10 are left."""
    slug = bench.slugs[-1]
    programme_id = bench.public_programmes[slug][0]
    with app.app_context():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        with tenant_scope(tenant):
            programme = db.session.get(Programme, programme_id)
            programme.capacity = 30
            programme.registration_open = True
            now = datetime.now(UTC)
            with raw_sql(reason="benchmark data: the race's registrations"):
                first = db.session.execute(sa.text("SELECT max(id) FROM programme_registration")).scalar() + 1
                db.session.execute(sa.insert(Registration.__table__), [
                    _registration(first + number, tenant.id, programme_id, f"Early {number}", RegistrationStatus.REGISTERED, now) for number in range(30 - LAST_PLACES - REGISTRATIONS_PER_PROGRAMME)
                ])
                db.session.execute(sa.text("SELECT setval(pg_get_serial_sequence('programme_registration', 'id'), (SELECT max(id) FROM programme_registration))"))
            db.session.commit()
    return slug, programme_id


def bench_concurrent_registrations(app, bench: Bench) -> str:
    """`CONCURRENT` visitors open the programme's page (each with their own session cookie), then all send the
    public registration form at the same moment to a threaded HTTP server."""
    slug, programme_id = prepare_race(app, bench)
    path = f"/p/{slug}/programmes/{programme_id}"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    barrier = threading.Barrier(CONCURRENT)

    def visitor(number: int) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=120)
        connection.request("GET", path)
        response = connection.getresponse()
        page = response.read()
        cookies = "; ".join(f"{name}={morsel.value}" for header in response.headers.get_all("Set-Cookie") or [] for name, morsel in SimpleCookie(header).items())
        form = {
            "csrf_token": re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode(),
            "started": re.search(rb'name="started" type="hidden" value="([^"]+)"', page).group(1).decode(),
            "name": f"Visitor {number}", "phone": "+371 20000000", "companions": "0", "consent": "y", "website": "",
        }
        connection.close()
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=120)
        barrier.wait()
        connection.request("POST", path, body=urlencode(form), headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies})
        status = connection.getresponse().status
        connection.close()
        return status

    started = clock.perf_counter()
    with ThreadPoolExecutor(CONCURRENT) as pool:
        statuses = list(pool.map(visitor, range(CONCURRENT)))
    elapsed = clock.perf_counter() - started
    server.shutdown()
    with app.app_context(), tenant_scope(db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))):
        outcome = dict(db.session.execute(
            sa.select(Registration.status, sa.func.count()).where(Registration.programme_id == programme_id, Registration.name.like("Visitor %")).group_by(Registration.status)
        ).all())
        taken = db.session.scalar(sa.select(sa.func.sum(Registration.places)).where(Registration.programme_id == programme_id, Registration.status == RegistrationStatus.REGISTERED))
    answers = {status: statuses.count(status) for status in sorted(set(statuses))}
    registered, waitlisted = outcome.get(RegistrationStatus.REGISTERED, 0), outcome.get(RegistrationStatus.WAITLISTED, 0)
    verdict = "met" if (registered, waitlisted, taken, answers) == (LAST_PLACES, CONCURRENT - LAST_PLACES, 30, {303: CONCURRENT}) else "NOT MET"
    return (
        f"{CONCURRENT} visitors sending the public form at once for the last {LAST_PLACES} places, in {elapsed:.2f} s (opening the page included): "
        f"answers {answers}; {registered} registered, {waitlisted} waitlisted; places taken {taken} of 30 ({verdict})"
    )


# --- Report -------------------------------------------------------------------------------------------------

def report(results: list[Figure], facts: dict, data: dict, race: str) -> str:
    lines = [
        *report_head(facts, data),
        "| Work | Measured through | Requests | p50 ms | p95 ms | SQL statements per request | Failures |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in results:
        lines.append(f"| {f.name} | {f.how} | {f.requests} | {f.p50:.1f} | {f.p95:.1f} | {f.statements_text()} | {len(f.failures)} |")
    lines += ["", race]
    lines += first_failures(results)
    return "\n".join(lines)


def measure_all(database_url: str, instance: Path, args) -> int:
    app = bench_app(
        database_url, instance,
        # 50 visitors from one address at once: the per-address limit would refuse most of them, and the bot guard's
        # minimum time would make every one of them wait; both are measured by the tests, not here.
        RATELIMIT_ENABLED=False, PUBLIC_FORM_MIN_SECONDS=0, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 20, "max_overflow": 40},
    )
    with app.app_context():
        migrate_empty_database()
        started = clock.perf_counter()
        bench = build(args.tenants, args.programmes, datetime.now(UTC))
        generated = clock.perf_counter() - started
        print(f"Generated {bench.programmes} programmes, {bench.sessions} sessions in {generated:.1f} s", file=sys.stderr)
        counter = StatementCounter(db.engine)
    listed = sum(len(ids) for ids in bench.public_programmes.values())
    data = {
        "libraries": args.tenants, "programmes": bench.programmes, "listed (public, upcoming)": listed, "sessions": bench.sessions,
        "registrations": bench.registrations, "generated in": f"{generated:.0f} s",
    }
    facts = machine_facts(app)
    gc.collect()  # as bibnet.wsgi does at start: the long-lived objects are left out of full garbage collections
    gc.freeze()
    results = bench_pages(TestClientTransport(app), bench, args.requests, args.repeats, counter)
    server = ServerTransport(app)
    results += bench_pages(server, bench, args.requests, args.repeats, counter)
    server.close()
    race = bench_concurrent_registrations(app, bench)
    print(report(results, facts, data, race))
    print("\n" + TARGETS)
    with app.app_context():
        db.engine.dispose()
    return 1 if any(f.failures for f in results) or "NOT MET" in race else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_run_arguments(parser)
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--programmes", type=int, default=40, help="programmes per library (default 40)")
    args = parser.parse_args()
    return on_database(args, lambda database_url, instance: measure_all(database_url, instance, args))


if __name__ == "__main__":
    sys.exit(main())
