"""Benchmark of the equipment inventory and lending on PostgreSQL: 100,000 items across 50 libraries.

    .venv/bin/python bench/inventory_bench.py                  # starts a throwaway PostgreSQL cluster
    DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/inventory_bench.py   # an EMPTY database of yours

Measured: the coordinator's item list filtered by status, category and a search text (the page and the API's
JSON), a stock-take scan of a typed tag, 500 labels as one PDF, and 30 concurrent loan requests for one item
(exactly one open loan must remain). Pages and the API go through Flask's test client (the application's own
time: routing, log-in, queries, template or JSON; no HTTP), one request at a time; SQL statements are counted
per request. This is a script, not a test: it prints a Markdown table (see bench/README.md).

The data: 50 libraries, each with a coordinator, the six shared categories and two of its own, a branch with
a sensory room and two cupboards, and 2,000 items (100,000 in all; 10 % quantity items, 5 % kits with four
parts) in every status. Libraries, users, categories and locations are made through the models; items are
loaded with COPY.
"""
import argparse
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
import gc
import json
from pathlib import Path
import random
import secrets
import sys
import threading
import time as clock

from flask import current_app
from measuring import (
    Figure,
    StatementCounter,
    TestClientTransport,
    add_run_arguments,
    bench_app,
    first_failures,
    log_in,
    machine_facts,
    measure,
    migrate_empty_database,
    on_database,
    report_head,
)
import sqlalchemy as sa

from bibnet.accounts import services as account_services
from bibnet.accounts.models import Membership, Role, User
from bibnet.accounts.passwords import hash_password
from bibnet.db import owner_engine
from bibnet.extensions import db
from bibnet.tenancy.context import raw_sql, tenant_scope
from bibnet.tenancy.models import Country, Tenant
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.models import Category, Condition, Item, ItemKind, ItemStatus, Location, LocationKind
from bibnet.tenants.inventory.services import format_tag

TARGETS = (
    "Targets: filtered item list p95 < 100 ms with a bounded number of statements; a stock-take scan p95 < 50 ms; "
    "500 labels as one PDF < 10 s; 30 concurrent loan requests for one item leave exactly one open loan."
)
PASSWORD = "bench-password"
ZONE = "Europe/Riga"
NAMES = ("DAISY player", "Magnifier", "Weighted blanket", "Bubble tube", "Fibre-optic lights", "Projector", "Tablet", "Headphones", "Board game", "Large-print book")
STATUSES = [ItemStatus.AVAILABLE] * 14 + [ItemStatus.ON_LOAN] * 3 + [ItemStatus.MAINTENANCE, ItemStatus.CLEANING, ItemStatus.RETIRED]
ITEM_COLUMNS = (
    "id", "tenant_id", "tag_number", "tag", "name", "category_id", "kind", "quantity", "serial", "manufacturer", "model",
    "supplier", "purchase_date", "cost", "location_id", "status", "condition", "notes", "attributes", "kit_id",
    "public_note", "public_token", "created_at",
)


class Bench:
    def __init__(self):
        self.slugs: list[str] = []
        self.coordinator_emails: list[str] = []
        self.coordinator_tokens: list[str] = []
        self.category_ids: dict[str, list[int]] = {}  # slug → its categories
        self.location_ids: dict[str, list[int]] = {}  # slug → its locations
        self.tags: dict[str, list[str]] = {}  # slug → a sample of its tags
        self.items = 0


def build(tenants: int, items_per_tenant: int, now: datetime, seed: int = 12) -> Bench:
    """Libraries, coordinators, categories, locations and items. Needs an app context."""
    rng = random.Random(seed)
    bench = Bench()
    password_hash = hash_password(PASSWORD)
    rows, next_id = [], 1
    for t in range(tenants):
        slug = f"bench-{t + 1:02d}"
        tenant = Tenant(slug=slug, name=f"Bench library {t + 1}", country=Country.LV, default_locale="lv", timezone=ZONE)
        coordinator = User(email=f"coordinator@{slug}.example", name=f"Coordinator {t + 1}", password_hash=password_hash, locale="en")
        db.session.add_all([tenant, coordinator])
        db.session.flush()
        with tenant_scope(tenant):
            db.session.add(Membership(user_id=coordinator.id, role=Role.COORDINATOR))
            ensure_shared_categories()
            db.session.add_all([Category(name="Tactile panels"), Category(name="Music instruments")])
            branch = Location(name="Central library", kind=LocationKind.BRANCH)
            db.session.add(branch)
            db.session.flush()
            places = [branch] + [Location(name=name, kind=kind, parent_id=branch.id) for name, kind in (("Sensory room", LocationKind.ROOM), ("Cupboard A", LocationKind.STORAGE), ("Cupboard B", LocationKind.STORAGE))]
            db.session.add_all(places[1:])
            db.session.flush()
            categories = list(db.session.scalars(sa.select(Category.id).order_by(Category.id)))
        bench.slugs.append(slug)
        bench.coordinator_emails.append(coordinator.email)
        bench.coordinator_tokens.append(account_services.issue_api_token(coordinator, "benchmark"))
        bench.category_ids[slug] = categories
        bench.location_ids[slug] = [place.id for place in places]
        tags = []
        number = 0
        while number < items_per_tenant:
            number += 1
            kind = ItemKind.QUANTITY if rng.random() < 0.10 else ItemKind.KIT if rng.random() < 0.05 else ItemKind.SERIALISED
            kit_id, item_id = None, next_id
            rows.append(_item_row(item_id, tenant.id, number, kind, None, categories, places, rng, now))
            next_id += 1
            if kind is ItemKind.KIT:
                kit_id = item_id
                for _part in range(4):
                    if number >= items_per_tenant:
                        break
                    number += 1
                    rows.append(_item_row(next_id, tenant.id, number, ItemKind.SERIALISED, kit_id, categories, places, rng, now))
                    next_id += 1
            if rng.random() < 0.02:
                tags.append(format_tag(number))
        bench.tags[slug] = tags
    db.session.commit()
    with raw_sql(reason="benchmark data: items loaded with COPY"):
        connection = db.session.connection().connection.dbapi_connection
        with connection.cursor() as cursor, cursor.copy(f"COPY inventory_item ({', '.join(ITEM_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        db.session.execute(sa.text("SELECT setval(pg_get_serial_sequence('inventory_item', 'id'), (SELECT max(id) FROM inventory_item))"))
    db.session.commit()
    bench.items = len(rows)
    with owner_engine(current_app).connect() as connection:  # VACUUM skips the tables a role does not own
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
    return bench


def _item_row(item_id, tenant_id, number, kind, kit_id, categories, places, rng, now) -> tuple:
    name = rng.choice(NAMES)
    status = ItemStatus.AVAILABLE if kit_id else rng.choice(STATUSES)
    return (
        item_id, tenant_id, number, format_tag(number), f"{name} {number}", rng.choice(categories), kind.value,
        rng.randrange(2, 20) if kind is ItemKind.QUANTITY else 1, f"SN{rng.randrange(10**8):08d}", "Maker", "Model X",
        "SIA Piegādātājs", date(2025, 1, 1) + timedelta(days=rng.randrange(600)), Decimal(rng.randrange(500, 300_000)) / 100,
        rng.choice(places).id, status.value, Condition.GOOD.value, "", json.dumps({}), kit_id, "", secrets.token_urlsafe(12), now,
    )


# --- Measurements -------------------------------------------------------------------------------------------

def _get(transport, path_of, headers=None):
    def call(i):
        status, body = transport.request("GET", path_of(i), headers=headers)
        return None if status == 200 else f"status {status}: {body[:300]!r}"
    return call


def bench_item_list(app, bench: Bench, n: int, repeats: int, counter) -> list[Figure]:
    """The first library's coordinator filters the register by status, category, location and a search text in
    turn (20 items a page), the page and the API's JSON."""
    transport = TestClientTransport(app)
    slug = bench.slugs[0]
    log_in(transport, bench.coordinator_emails[0], PASSWORD)
    categories, locations = bench.category_ids[slug], bench.location_ids[slug]
    filters = [
        lambda i: f"status=available&category={categories[i % len(categories)]}",
        lambda i: f"location={locations[i % len(locations)]}&status=on_loan",
        lambda i: f"q={NAMES[i % len(NAMES)].split()[0].lower()}&kind=serialised",
        lambda i: f"page={1 + i % 50}",
    ]
    query = lambda i: filters[i % len(filters)](i)  # noqa: E731
    page = _get(transport, lambda i: f"/t/{slug}/equipment/?{query(i)}")
    api = _get(transport, lambda i: f"/api/v1/tenants/{slug}/equipment/items?{query(i)}", {"Authorization": f"Bearer {bench.coordinator_tokens[0]}"})
    return [
        measure("Item list page, filtered (2,000 items of the library)", transport.how, page, n, repeats, counter),
        measure("Item list, API JSON, filtered", transport.how, api, n, repeats, counter),
    ]


def bench_scan(app, bench: Bench, n: int, repeats: int, counter) -> Figure:
    """A stock-take of the first library's branch (every item under it expected), scanned by typed tags through the API."""
    transport = TestClientTransport(app)
    slug = bench.slugs[0]
    headers = {"Authorization": f"Bearer {bench.coordinator_tokens[0]}", "Content-Type": "application/json"}
    status, body = transport.request("POST", f"/api/v1/tenants/{slug}/equipment/stocktakes", json.dumps({"location_id": bench.location_ids[slug][0]}).encode(), headers)
    if status != 201:
        raise SystemExit(f"Starting the stock-take failed: {status} {body[:300]!r}")
    stocktake_id = json.loads(body)["id"]
    tags = [format_tag(number) for number in range(1, 2001)]

    def call(i):
        status, body = transport.request("POST", f"/api/v1/tenants/{slug}/equipment/stocktakes/{stocktake_id}/scans", json.dumps({"code": tags[i % len(tags)]}).encode(), headers)
        return None if status in (200, 201) else f"status {status}: {body[:300]!r}"

    return measure("Stock-take scan of a typed tag, API", transport.how, call, n, repeats, counter)


def bench_labels(app, bench: Bench, repeats: int, counter) -> Figure:
    """500 labels (Avery L7163) as one PDF through the API: the first 500 items of the first library."""
    transport = TestClientTransport(app)
    slug = bench.slugs[0]
    with app.app_context(), tenant_scope(db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))):
        ids = list(db.session.scalars(sa.select(Item.id).order_by(Item.tag_number).limit(500)))
    query = "&".join(f"item={item_id}" for item_id in ids)

    def call(i):
        status, body = transport.request("GET", f"/api/v1/tenants/{slug}/equipment/labels.pdf?{query}", headers={"Authorization": f"Bearer {bench.coordinator_tokens[0]}"})
        return None if status == 200 and body.startswith(b"%PDF") else f"status {status}: {body[:300]!r}"

    figure = Figure("500 labels as one PDF (L7163), API", transport.how)
    times = []
    for _ in range(max(2, repeats)):  # no warm-up: the first PDF is the one a coordinator waits for; one run of them all
        counter.start()
        started = clock.perf_counter()
        failure = call(0)
        times.append((clock.perf_counter() - started) * 1000)
        figure.statements.append(counter.stop())
        if failure:
            figure.failures.append(failure)
    figure.runs.append(times)
    return figure


def bench_concurrent_loans(app, bench: Bench, clients: int = 30) -> tuple[dict, str]:
    """`clients` threads ask, at the same moment and each for a different borrower, to lend one available item of
    the second library through the API of a threaded HTTP server: exactly one loan must be open afterwards."""
    from werkzeug.serving import make_server

    from bibnet.tenants.lending.models import Borrower, Loan

    slug = bench.slugs[1]
    with app.app_context():
        tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
        with tenant_scope(tenant):
            item_id = db.session.scalar(sa.select(Item.id).where(Item.status == ItemStatus.AVAILABLE, Item.kind == ItemKind.SERIALISED, Item.kit_id.is_(None)).order_by(Item.id).limit(1))
            borrowers = [Borrower(name=f"Borrower {number}", phone="+371 20000000", consent_on=date.today()) for number in range(clients)]
            db.session.add_all(borrowers)
            db.session.commit()
            borrower_ids = [borrower.id for borrower in borrowers]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    barrier = threading.Barrier(clients)
    today = date.today()

    def ask(number: int) -> int:
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=120)
        body = {"item_id": item_id, "borrower_id": borrower_ids[number], "due_on": (today + timedelta(days=14)).isoformat(), "target_group": "seniors", "acceptance_signed_on": today.isoformat()}
        barrier.wait()
        connection.request("POST", f"/api/v1/tenants/{slug}/loans", body=json.dumps(body), headers={"Authorization": f"Bearer {bench.coordinator_tokens[1]}", "Content-Type": "application/json"})
        status = connection.getresponse().status
        connection.close()
        return status

    started = clock.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        statuses = list(pool.map(ask, range(clients)))
    elapsed = clock.perf_counter() - started
    server.shutdown()
    with app.app_context(), tenant_scope(db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))):
        open_loans = db.session.scalar(sa.select(sa.func.count()).select_from(Loan).where(Loan.item_id == item_id, Loan.returned_on.is_(None)))
    answers = {status: statuses.count(status) for status in sorted(set(statuses))}
    verdict = "met" if open_loans == 1 and answers == {201: 1, 409: clients - 1} else "NOT MET"
    return answers, f"{clients} concurrent loan requests for one item in {elapsed:.2f} s: answers {answers}, open loans afterwards {open_loans} ({verdict})"


# --- Report -------------------------------------------------------------------------------------------------

def report(results: list[Figure], facts: dict, data: dict, loans: str) -> str:
    lines = [
        *report_head(facts, data),
        "| Work | Measured through | Requests | p50 ms | p95 ms | SQL statements per request | Failures |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in results:
        lines.append(f"| {f.name} | {f.how} | {f.requests} | {f.p50:.1f} | {f.p95:.1f} | {f.statements_text()} | {len(f.failures)} |")
    lines += ["", loans]
    lines += first_failures(results)
    return "\n".join(lines)


def measure_all(database_url: str, instance: Path, args) -> int:
    app = bench_app(database_url, instance, RATELIMIT_ENABLED=False)
    with app.app_context():
        migrate_empty_database()
        started = clock.perf_counter()
        bench = build(args.tenants, args.items, datetime.now(UTC))
        generated = clock.perf_counter() - started
        print(f"Generated {bench.items} items in {generated:.1f} s", file=sys.stderr)
        counter = StatementCounter(db.engine)
    data = {"libraries": args.tenants, "items": bench.items, "generated in": f"{generated:.0f} s"}
    facts = machine_facts(app)
    gc.collect()  # as bibnet.wsgi does at start: the long-lived objects are left out of full garbage collections
    gc.freeze()
    results = [
        *bench_item_list(app, bench, args.requests, args.repeats, counter),
        bench_scan(app, bench, args.requests, args.repeats, counter),
        bench_labels(app, bench, args.repeats, counter),
    ]
    _answers, loans = bench_concurrent_loans(app, bench)
    print(report(results, facts, data, loans))
    print("\n" + TARGETS)
    with app.app_context():
        db.engine.dispose()
    return 1 if any(f.failures for f in results) or "NOT MET" in loans else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_run_arguments(parser)
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--items", type=int, default=2000, help="items per library (default 2,000)")
    args = parser.parse_args()
    return on_database(args, lambda database_url, instance: measure_all(database_url, instance, args))


if __name__ == "__main__":
    sys.exit(main())
