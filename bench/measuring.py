"""What the benchmark scripts measure with: the two ways of sending a request (Flask's test client, a real HTTP
server), the log-in, the statement counter, the timing of a kind of request over repeated runs (`Figure`,
`measure`) and the facts printed next to the figures. Each script of bench/ imports these; none copies them.
"""
import argparse
from collections.abc import Callable
import cProfile
from dataclasses import dataclass, field
import itertools
import logging
import os
from pathlib import Path
import platform
import re
import statistics
import sys
import tempfile
import threading
import time as clock
from urllib.parse import urlencode

from flask_migrate import upgrade
import sqlalchemy as sa
import throwaway_postgresql
from web_client import WebClient
from werkzeug.serving import WSGIRequestHandler, make_server

from bibnet.app import create_app
from bibnet.extensions import db

WARM_UP = 10  # unmeasured requests before each kind is measured


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
    """A real werkzeug HTTP server in a thread, and one keep-alive connection to it (`WebClient`)."""

    how = "HTTP server"

    def __init__(self, app):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.server = make_server("127.0.0.1", 0, app, threaded=False, request_handler=KeepAliveHandler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.client = WebClient(self.server.server_port)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
        response = self.client.request(method, path, headers=headers, body=body)
        return response.status, response.body

    def close(self):
        self.client.close()
        self.server.shutdown()


def log_in(transport, email: str, password: str) -> None:
    status, page = transport.request("GET", "/login")
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
    form = urlencode({"email": email, "password": password, "csrf_token": token}).encode()
    status, page = transport.request("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 302:
        raise SystemExit(f"log-in failed with {status}: {page[:500]!r}")



# --- The app and the report's frame ------------------------------------------------------------------------------------------------

def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def bench_app(database_url: str, instance: Path, **config):
    """The app on the benchmark's database, its instance (mail outbox, files) in `instance`, logging warnings only
    (the INFO line of every cross-tenant read would drown the figures). `config`: settings of the script's own."""
    os.environ["BIBNET_INSTANCE_PATH"] = str(instance)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "MAIL_OUTBOX": str(instance / "outbox"), "STORAGE_LOCAL_ROOT": str(instance / "files"), **config})
    logging.getLogger().setLevel(logging.WARNING)
    return app


def report_head(facts: dict, data: dict) -> list[str]:
    """The lines above a report's table: the machine, its load before and after measuring, the data."""
    return [
        f"Machine: {facts['cpus']} CPUs, PostgreSQL {facts['postgresql']}, Python {facts['python']}, {facts['system']}",
        f"Load average (1, 5, 15 min) before measuring: {facts['load_average']}; after: {load_average()}",
        "Data: " + ", ".join(f"{key} {value}" for key, value in data.items()),
        "",
    ]


def first_failures(figures: list[Figure]) -> list[str]:
    """The lines under a report's table: the first failure of each kind of request that had one."""
    failures = [f"{f.name} ({f.how}): {f.failures[0]}" for f in figures if f.failures]
    return ["", "First failure of each:", *failures] if failures else []


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




# --- The database ---------------------------------------------------------------------------------------------

def add_run_arguments(parser: argparse.ArgumentParser, requests: int = 200) -> None:
    """The options every PostgreSQL benchmark takes: the database, and how many requests in how many runs."""
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="an empty PostgreSQL database (default: start a throwaway cluster)")
    parser.add_argument("--requests", type=int, default=requests, help=f"measured requests per run (default {requests})")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure; p50 and p95 are medians over them (default 3)")


def on_database(args, work: Callable[[str, Path], int]) -> int:
    """`work(database_url, instance)` on `--database-url` (an empty PostgreSQL database of yours), else on a
    throwaway cluster; `instance`: a temporary folder for the app's instance (its mail outbox, its files)."""
    with tempfile.TemporaryDirectory(prefix="bibnet-bench-instance-") as folder:
        if args.database_url:
            return work(re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", args.database_url), Path(folder))
        if not throwaway_postgresql.available():
            raise SystemExit("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/pg_ctl); install it or pass --database-url.")
        with throwaway_postgresql.throwaway_cluster() as database_url:
            return work(database_url, Path(folder))


def migrate_empty_database() -> None:
    """In the app's context: the schema, on a database that must be empty (the benchmarks write their own data)."""
    if sa.inspect(db.engine).has_table("alembic_version"):
        raise SystemExit("The database is not empty; give the benchmark an empty database (it writes test data).")
    upgrade()
