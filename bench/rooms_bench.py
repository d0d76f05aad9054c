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
from datetime import UTC, date, datetime, time, timedelta
import gc
import itertools
import json
from pathlib import Path
import pstats
import sys
import time as clock
from zoneinfo import ZoneInfo

import bench_data
from measuring import (
    Figure,
    ServerTransport,
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

from bibnet.accounts.models import User
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
# What --only can choose; by default everything is measured.
WORK = ("week-one-room", "week-all-rooms", "day-all-rooms", "create")


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

def report(figures: list[Figure], facts: dict, data: dict) -> str:
    lines = [
        *report_head(facts, data),
        "| Work | Measured through | Requests | p50 ms | p95 ms | CPU ms p50 | SQL statements per request | Failures |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        lines.append(f"| {f.name} | {f.how} | {f.requests} | {f.p50:.1f} | {f.p95:.1f} | {f.cpu_p50:.1f} | {f.statements_text()} | {len(f.failures)} |")
    lines += first_failures(figures)
    return "\n".join(lines)


def measure_all(database_url: str, instance: Path, args) -> int:
    app = bench_app(database_url, instance)
    now = datetime.now(UTC)
    today = now.astimezone(ZoneInfo(bench_data.ZONE)).date()
    with app.app_context():
        migrate_empty_database()
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
    add_run_arguments(parser)
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
    return on_database(args, lambda database_url, instance: measure_all(database_url, instance, args))


if __name__ == "__main__":
    sys.exit(main())
