"""What the benchmark scripts measure with: the two ways of sending a request (Flask's test client, a real HTTP
server), the log-in, the statement counter, the timing of a kind of request over repeated runs (`Figure`,
`measure`) and the facts printed next to the figures. Each script of bench/ imports these; none copies them.
"""
import cProfile
from dataclasses import dataclass, field
import itertools
import logging
import os
import platform
import re
import statistics
import sys
import threading
import time as clock
from urllib.parse import urlencode

import sqlalchemy as sa
from web_client import WebClient
from werkzeug.serving import WSGIRequestHandler, make_server

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



# --- Facts ------------------------------------------------------------------------------------------------

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


