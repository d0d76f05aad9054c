"""Benchmark of the sensory rooms on PostgreSQL: the calendar pages and creating a booking, at 100,000 sessions.

    .venv/bin/python bench/rooms_bench.py                  # starts a throwaway PostgreSQL cluster
    DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/rooms_bench.py   # an EMPTY database of yours
    .venv/bin/python bench/rooms_bench.py --only day-all-rooms --transport test-client --requests 30 --repeats 1 \
        --profile /tmp/day.prof                            # a quick look at one page, with a cProfile of it

The database is migrated with the app (flask_migrate.upgrade) and filled by `bench_data`. Every figure is
measured twice: through Flask's test client (the application's own time: routing, log-in, queries, template;
no HTTP) and through a real werkzeug HTTP server on 127.0.0.1 with one keep-alive connection (what a browser
waits for, minus the network). SQL statements are counted per request with a `before_cursor_execute` listener.
This is a script, not a test: it prints a Markdown table (see bench/README.md for the figures and their meaning).
"""
import argparse
import cProfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
import gc
import http.client
from http.cookies import SimpleCookie
import itertools
import json
import logging
import os
from pathlib import Path
import platform
import pstats
import re
import statistics
import sys
import tempfile
import threading
import time as clock
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import bench_data
from flask_migrate import upgrade
import sqlalchemy as sa
import throwaway_postgresql
from werkzeug.serving import WSGIRequestHandler, make_server

from bibnet.accounts.models import User
from bibnet.app import create_app
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.bookings import services
from bibnet.tenants.bookings.models import OCCUPYING, Activity, Occurrence, Status
from bibnet.tenants.bookings.rules import BookingInput

# The issues' targets, printed under the figures.
TARGETS = """Targets: week view at most 10 SQL statements and p95 < 100 ms; creating a booking p95 < 30 ms.
Issue 14: every calendar page (one-room week, all-rooms week, all-rooms day) at most 0.5x MRBS 1.12.2's p50 on the
same data, measured side by side in one run by bench/mrbs_compare.py (MRBS on 2026-12-02, same machine and data:
all-rooms day p50 99 ms, so the all-rooms day here should be about 50 ms or less)."""
WARM_UP = 10
# What --only can choose; by default everything is measured.
WORK = ("week-one-room", "week-all-rooms", "day-all-rooms", "create")


# --- Measuring ----------------------------------------------------------------------------------------------

class StatementCounter:
    """Counts the SQL statements sent to the database between `start()` and `stop()`."""

    def __init__(self, engine):
        self.n = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.n += 1

    def start(self):
        self.n = 0

    def stop(self) -> int:
        return self.n


@dataclass
class Figure:
    """One kind of request, measured in `repeats` runs; p50 and p95 are the medians over the runs."""

    name: str
    how: str
    runs: list[list[float]] = field(default_factory=list)  # milliseconds per request, one list per run
    # CPU milliseconds this process spent per request (the app's, and for the HTTP server also the client's; not
    # PostgreSQL's): on a shared machine it moves less with the load than the wall-clock times do.
    cpu: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(run) for run in self.runs)

    @property
    def p50(self) -> float:
        return statistics.median(statistics.median(run) for run in self.runs)

    @property
    def p95(self) -> float:
        return statistics.median(statistics.quantiles(run, n=20, method="inclusive")[-1] for run in self.runs)

    @property
    def cpu_p50(self) -> float:
        return statistics.median(self.cpu)

    def statements_text(self) -> str:
        low, high = min(self.statements), max(self.statements)
        return str(low) if low == high else f"{low}–{high}"


def measure(name: str, how: str, call, n: int, repeats: int, counter: StatementCounter, profiler: cProfile.Profile | None = None) -> Figure:
    """Run `call(i)` WARM_UP times unmeasured, then `repeats` runs of n; `call` returns None or a failure text.
    A profiler, when given, records the measured calls only (and makes them slower)."""
    print(f"Measuring: {name} ({how})", file=sys.stderr)
    figure = Figure(name, how)
    numbers = itertools.count()
    for _ in range(WARM_UP):
        call(next(numbers))
    for _ in range(repeats):
        times = []
        for _ in range(n):
            i = next(numbers)
            counter.start()
            started, cpu_started = clock.perf_counter(), clock.process_time()
            if profiler is not None:
                profiler.enable()
            failure = call(i)
            if profiler is not None:
                profiler.disable()
            times.append((clock.perf_counter() - started) * 1000)
            figure.cpu.append((clock.process_time() - cpu_started) * 1000)
            figure.statements.append(counter.stop())
            if failure:
                figure.failures.append(failure)
        figure.runs.append(times)
    return figure


# --- Two ways to send a request -------------------------------------------------------------------------

class TestClientTransport:
    """Flask's test client: no socket, no HTTP parsing; a fresh application context per request."""

    how = "test client"

    def __init__(self, app):
        self.client = app.test_client()

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
        response = self.client.open(path, method=method, data=body, headers=headers or {})
        return response.status_code, response.get_data()


class KeepAliveHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"


class ServerTransport:
    """A real werkzeug HTTP server in a thread, and one keep-alive connection to it, cookies kept by hand."""

    how = "HTTP server"

    def __init__(self, app):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.server = make_server("127.0.0.1", 0, app, threaded=False, request_handler=KeepAliveHandler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.connection = http.client.HTTPConnection("127.0.0.1", self.server.server_port)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, data

    def close(self):
        self.connection.close()
        self.server.shutdown()


def log_in(transport, email: str, password: str) -> None:
    status, page = transport.request("GET", "/login")
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
    form = urlencode({"email": email, "password": password, "csrf_token": token}).encode()
    status, page = transport.request("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 302:
        raise SystemExit(f"log-in failed with {status}: {page[:500]!r}")


# --- The scenario -------------------------------------------------------------------------------------------

class FreeSlots:
    """Room and day pairs whose 20:00–20:45 is free: each measured booking takes a new one."""

    def __init__(self, room_ids: list[int], today: date):
        self.pairs = itertools.product((today + timedelta(days=n) for n in range(1, 60)), room_ids)

    def take(self) -> tuple[int, date]:
        day, room_id = next(self.pairs)
        return room_id, day


def routes_of(app) -> set[str]:
    return {rule.rule for rule in app.url_map.iter_rules()}


def weeks_to_show(today: date) -> list[date]:
    """Four weeks around today, all inside the generated history: the view is asked for each in turn."""
    monday = today - timedelta(days=today.weekday())
    return [monday + timedelta(weeks=n) for n in (-2, -1, 0, 1)]


def sessions_in_week(app, bench, monday: date) -> int:
    """How many sessions the all-rooms week view of `monday` lists (MRBS' data set had 2,310)."""
    zone = ZoneInfo(bench_data.ZONE)
    with app.app_context(), tenant_scope(bench.tenant_id):
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(Occurrence).where(
                Occurrence.status.in_([*OCCUPYING, Status.REQUESTED]),
                Occurrence.starts_at >= datetime.combine(monday, time(), tzinfo=zone),
                Occurrence.starts_at < datetime.combine(monday + timedelta(days=7), time(), tzinfo=zone),
            )
        )


def bench_calendar_views(transport, bench, weeks, work, n, repeats, counter, profiler=None) -> list[Figure]:
    """The calendar pages `work` names: the weeks go round `weeks`, the days round every day of those weeks."""
    def page(path):
        def call(i):
            status, _ = transport.request("GET", path(i))
            return None if status == 200 else f"status {status}"
        return call

    base = f"/t/{bench.slug}/bookings"
    days = [monday + timedelta(days=n) for monday in weeks for n in range(7)]
    rooms = len(bench.room_ids)
    pages = {
        "week-one-room": ("Week view, one room", lambda i: f"{base}/week?room_id={bench.room_ids[i % rooms]}&date={weeks[i % len(weeks)].isoformat()}"),
        "week-all-rooms": (f"Week view, all {rooms} rooms", lambda i: f"{base}/week?date={weeks[i % len(weeks)].isoformat()}"),
        "day-all-rooms": (f"Day view, all {rooms} rooms", lambda i: f"{base}/day?date={days[i % len(days)].isoformat()}"),
    }
    return [measure(name, transport.how, page(path), n, repeats, counter, profiler) for key, (name, path) in pages.items() if key in work]


def bench_api_create(transport, bench, slots: FreeSlots, n, repeats, counter, profiler=None) -> Figure:
    headers = {"Authorization": f"Bearer {bench.api_token}", "Content-Type": "application/json"}

    def call(i):
        room_id, day = slots.take()
        body = {
            "room_id": room_id, "activity": Activity.SENSORY_SESSION.value, "title": f"Bench booking {i}",
            "first_date": day.isoformat(), "start_time": bench_data.FREE_FROM.strftime("%H:%M"), "end_time": bench_data.FREE_UNTIL.strftime("%H:%M"), "expected": {"seniors": 3, "carers": 1},
        }
        status, data = transport.request("POST", f"/api/v1/tenants/{bench.slug}/bookings", json.dumps(body).encode(), headers)
        return None if status == 201 else f"status {status}: {data[:300]!r}"

    return measure("Create a booking (API POST)", transport.how, call, n, repeats, counter, profiler)


def bench_service_create(app, bench, slots: FreeSlots, n, repeats, counter) -> Figure:
    """services.create_booking + commit in a fresh application context each, as a request would have it."""
    with app.app_context():
        coordinator = db.session.get(User, bench.coordinator_id)
        db.session.expunge(coordinator)

    def call(i):
        room_id, day = slots.take()
        request = BookingInput(
            room_id=room_id, activity=Activity.SENSORY_SESSION, title=f"Bench booking {i}", responsible_id=bench.coordinator_id,
            first_date=day, start_time=bench_data.FREE_FROM, end_time=bench_data.FREE_UNTIL, expected={"seniors": 3, "carers": 1},
        )
        with app.app_context(), tenant_scope(bench.tenant_id):
            services.create_booking(request, coordinator, confirm=True)
            db.session.commit()

    return measure("Create a booking (services.create_booking + commit)", "in process", call, n, repeats, counter)


# --- Report -------------------------------------------------------------------------------------------------

def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def machine_facts(app) -> dict:
    """Facts to write next to the figures; the load average tells whether something else ran meanwhile."""
    with app.app_context():
        server_version = db.session.scalar(sa.text("SHOW server_version"))
    return {
        "cpus": os.cpu_count(),
        "postgresql": server_version,
        "python": platform.python_version(),
        "system": platform.platform(),
        "load_average": load_average(),
    }


def report(figures: list[Figure], facts: dict, data: dict) -> str:
    lines = [
        f"Machine: {facts['cpus']} CPUs, PostgreSQL {facts['postgresql']}, Python {facts['python']}, {facts['system']}",
        f"Load average (1, 5, 15 min) before measuring: {facts['load_average']}; after: {load_average()}",
        "Data: " + ", ".join(f"{key} {value}" for key, value in data.items()),
        "",
        "| Work | Measured through | Requests | p50 ms | p95 ms | CPU ms p50 | SQL statements per request | Failures |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        lines.append(f"| {f.name} | {f.how} | {f.requests} | {f.p50:.1f} | {f.p95:.1f} | {f.cpu_p50:.1f} | {f.statements_text()} | {len(f.failures)} |")
    failures = [f"{f.name} ({f.how}): {f.failures[0]}" for f in figures if f.failures]
    if failures:
        lines += ["", "First failure of each:", *failures]
    return "\n".join(lines)


def run(database_url: str, args) -> int:
    with tempfile.TemporaryDirectory(prefix="bibnet-bench-instance-") as folder:
        return measure_all(database_url, Path(folder), args)


def measure_all(database_url: str, instance: Path, args) -> int:
    os.environ["BIBNET_INSTANCE_PATH"] = str(instance)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "MAIL_OUTBOX": str(instance / "outbox"), "STORAGE_LOCAL_ROOT": str(instance / "files")})
    logging.getLogger().setLevel(logging.WARNING)
    now = datetime.now(UTC)
    today = now.astimezone(ZoneInfo(bench_data.ZONE)).date()
    with app.app_context():
        if sa.inspect(db.engine).has_table("alembic_version"):
            raise SystemExit("The database is not empty; give the benchmark an empty database (it writes test data).")
        upgrade()
        started = clock.perf_counter()
        bench, _other = bench_data.build(args.rooms, args.occurrences, args.other_rooms, args.other_occurrences, now)
        print(f"Generated {args.occurrences + args.other_occurrences} sessions in {clock.perf_counter() - started:.1f} s", file=sys.stderr)
        counter = StatementCounter(db.engine)
    weeks = weeks_to_show(today)
    data = {
        "rooms": f"{args.rooms} (+{args.other_rooms} in a second tenant)",
        "sessions": f"{args.occurrences} (+{args.other_occurrences}) from {bench.first_day} to {bench.last_day}",
        "sessions shown per all-rooms week": "/".join(str(sessions_in_week(app, bench, monday)) for monday in weeks),
    }
    facts = machine_facts(app)
    routes = routes_of(app)
    has_week = "/t/<tenant_slug>/bookings/week" in routes
    has_api_create = "/api/v1/tenants/<tenant_slug>/bookings" in routes
    slots = FreeSlots(bench.room_ids, today)
    work = set(args.only.split(","))
    # The profile covers the test client's measured requests: the application's own time.
    profiler = cProfile.Profile() if args.profile else None
    # As bibnet.wsgi does at start: the long-lived objects are left out of full garbage collections.
    gc.collect()
    gc.freeze()
    figures = []
    transports = {"test-client": TestClientTransport, "http": ServerTransport}
    for kind in ("test-client", "http") if args.transport == "both" else (args.transport,):
        transport = transports[kind](app)
        profiling = profiler if kind == "test-client" else None
        if has_week and work & {"week-one-room", "week-all-rooms", "day-all-rooms"}:
            log_in(transport, bench.coordinator_email, bench_data.PASSWORD)
            figures += bench_calendar_views(transport, bench, weeks, work, args.requests, args.repeats, counter, profiling)
        if has_api_create and "create" in work:
            figures.append(bench_api_create(transport, bench, slots, args.requests, args.repeats, counter, profiling))
        if isinstance(transport, ServerTransport):
            transport.close()
    if "create" in work:
        figures.append(bench_service_create(app, bench, slots, args.requests, args.repeats, counter))
    if not has_week:
        print("The week view (GET /t/<slug>/bookings/week) does not exist yet: not measured.", file=sys.stderr)
    if not has_api_create:
        print("The API (POST /api/v1/tenants/<slug>/bookings) does not exist yet: not measured.", file=sys.stderr)
    print(report(figures, facts, data))
    print("\n" + TARGETS)
    if profiler is not None:
        profiler.dump_stats(args.profile)
        print(f"\nProfile of the test client's measured requests: {args.profile} (the 40 costliest calls below)", file=sys.stderr)
        pstats.Stats(args.profile, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    with app.app_context():
        db.engine.dispose()
    return 1 if any(f.failures for f in figures) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="an empty PostgreSQL database (default: start a throwaway cluster)")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per run (default 200)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure; p50 and p95 are medians over them (default 3)")
    parser.add_argument("--only", default=",".join(WORK), help=f"what to measure, comma-separated among {', '.join(WORK)} (default: all)")
    parser.add_argument("--transport", choices=("both", "test-client", "http"), default="both", help="how requests are sent (default both)")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the test client's measured requests to FILE and print its top")
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--occurrences", type=int, default=100_000)
    parser.add_argument("--other-rooms", type=int, default=5)
    parser.add_argument("--other-occurrences", type=int, default=10_000)
    args = parser.parse_args()
    unknown = set(args.only.split(",")) - set(WORK)
    if unknown:
        parser.error(f"--only: unknown {', '.join(sorted(unknown))}; choose among {', '.join(WORK)}")
    if args.database_url:
        return run(re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", args.database_url), args)
    if not throwaway_postgresql.available():
        raise SystemExit("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/pg_ctl); install it or pass --database-url.")
    with throwaway_postgresql.throwaway_cluster() as database_url:
        return run(database_url, args)


if __name__ == "__main__":
    sys.exit(main())
