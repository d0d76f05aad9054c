"""BibNet beside MRBS 1.12.2: the same pages on the same data and PostgreSQL, measured alternately block by block.

    .venv/bin/python bench/mrbs_compare.py                                        # 50 rooms, 100,000 sessions
    .venv/bin/python bench/mrbs_compare.py --occurrences 5000 --requests 10 --blocks 2 --load-requests 5   # a quick look

One throwaway PostgreSQL cluster holds both databases. BibNet's is migrated and filled by `bench_data` (the rooms
benchmark's data); MRBS' own database gets its `tables.pg.sql`, the tenants as areas and the rooms through its own
`add.php`, and the same shown sessions COPYed into `mrbs_entry`. BibNet is served by gunicorn (2 workers × 4
threads), MRBS by PHP's built-in server (8 workers, OPcache): 8 request slots each. Each simulated user logs in
and keeps its own session. Measured, for each system in turn, block after block: the all-rooms day view, the
one-room week, the all-rooms week, creating a booking through the web form (and through BibNet's API, which MRBS
lacks); then 10 clients at once on the one-room week (throughput and p95). Without PHP or the MRBS release the script says so and measures BibNet alone.
It prints a Markdown table against the issue's targets (see bench/README.md, "BibNet beside MRBS 1.12.2").
"""
import argparse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
import importlib.util
import itertools
import json
import logging
import os
from pathlib import Path
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time as clock
from zoneinfo import ZoneInfo

import bench_data
from flask_migrate import upgrade
from measuring import load_average
import mrbs_peer
import psycopg
import sqlalchemy as sa
import throwaway_postgresql
from web_client import WebClient, free_port, read_form, wait_for_port
import worker_memory

from bibnet.app import create_app
from bibnet.extensions import db
from bibnet.tenants.bookings.calendar import SHOWN
from bibnet.tenants.bookings.models import Activity, Status

HERE = Path(__file__).resolve().parent
DEFAULT_TARBALL = Path("../shared/anchors/mrbs-1.12.2.tar.gz")  # relative to the repository, as the issue names it
PAGE_TARGET = 0.5  # BibNet's p50 at most half of MRBS'
LOAD_TARGET = 1.5  # BibNet's throughput at least 1.5× MRBS' under load, with a lower p95
GUNICORN_WORKERS, GUNICORN_THREADS = 2, 4  # 8 request slots, as MRBS' PHP_CLI_SERVER_WORKERS=8
WARM_UP = 10
BOOKED_FROM, BOOKED_UNTIL = bench_data.FREE_FROM, bench_data.FREE_UNTIL  # free in every room on every day


# --- The two systems ------------------------------------------------------------------------------------------

@dataclass
class Place:
    """What a page is asked for: a day (or the Monday of its week) and a room, the same for both systems."""

    day: date
    room: int  # index into the measured tenant's rooms, in their order


class System:
    name: str

    def client(self) -> WebClient:
        raise NotImplementedError

    def log_in(self, client: WebClient) -> None:
        raise NotImplementedError

    def logged_in(self) -> WebClient:
        client = self.client()
        self.log_in(client)
        return client

    def day_view(self, place: Place) -> str:
        raise NotImplementedError

    def room_week(self, place: Place) -> str:
        raise NotImplementedError

    def rooms_week(self, place: Place) -> str:
        raise NotImplementedError

    def booking_form(self, client: WebClient) -> list[tuple[str, str]]:
        raise NotImplementedError

    def book(self, client: WebClient, form: list[tuple[str, str]], place: Place, title: str) -> str | None:
        """Create a booking through the web form as a browser sends it; None when it was made, else why not."""
        raise NotImplementedError


class BibNet(System):
    name = "BibNet"

    def __init__(self, port: int, slug: str, room_ids: list[int], email: str, api_token: str):
        self.port, self.slug, self.room_ids, self.email, self.api_token = port, slug, room_ids, email, api_token

    def client(self) -> WebClient:
        return WebClient(self.port)

    def log_in(self, client: WebClient) -> None:
        _, fields = read_form(client.get("/login").text, action="")
        token = dict(fields)["csrf_token"]  # the first form's: every form of a session carries the same token
        answer = client.post("/login", {"email": self.email, "password": bench_data.PASSWORD, "csrf_token": token})
        if answer.status != 302:
            raise SystemExit(f"BibNet log-in failed with {answer.status}: {answer.text[:500]!r}")

    def day_view(self, place: Place) -> str:
        return f"/t/{self.slug}/bookings/day?date={place.day.isoformat()}"

    def room_week(self, place: Place) -> str:
        return f"/t/{self.slug}/bookings/week?room_id={self.room_ids[place.room]}&date={place.day.isoformat()}"

    def rooms_week(self, place: Place) -> str:
        return f"/t/{self.slug}/bookings/week?date={place.day.isoformat()}"

    def booking_form(self, client: WebClient) -> list[tuple[str, str]]:
        _, fields = read_form(client.get(f"/t/{self.slug}/bookings/new").text, action=f"/t/{self.slug}/bookings/new")
        return fields

    def book(self, client, form, place, title):
        own = {
            "room_id": str(self.room_ids[place.room]), "activity": Activity.SENSORY_SESSION.value, "title": title,
            "first_date": place.day.isoformat(), "start_time": BOOKED_FROM.strftime("%H:%M"), "end_time": BOOKED_UNTIL.strftime("%H:%M"),
            "frequency": "once", "expected_seniors": "3", "expected_carers": "1",
        }
        fields = [(name, value) for name, value in form if name not in own] + list(own.items())
        answer = client.post(f"/t/{self.slug}/bookings/new", fields)
        return None if answer.status == 302 else f"status {answer.status}: {answer.text[:300]!r}"


    def book_through_api(self, client: WebClient, place: Place, title: str) -> str | None:
        body = {
            "room_id": self.room_ids[place.room], "activity": Activity.SENSORY_SESSION.value, "title": title, "first_date": place.day.isoformat(),
            "start_time": BOOKED_FROM.strftime("%H:%M"), "end_time": BOOKED_UNTIL.strftime("%H:%M"), "expected": {"seniors": 3, "carers": 1},
        }
        headers = {"Authorization": f"Bearer {self.api_token}", "Content-Type": "application/json"}
        answer = client.request("POST", f"/api/v1/tenants/{self.slug}/bookings", body=json.dumps(body).encode(), headers=headers)
        return None if answer.status == 201 else f"status {answer.status}: {answer.text[:300]!r}"


class Mrbs(System):
    name = "MRBS"

    def __init__(self, peer: mrbs_peer.Mrbs, area: str, rooms: list[str]):
        self.peer, self.area_id = peer, peer.area_ids[area]
        self.room_ids = [peer.room_ids[area, room] for room in rooms]

    def client(self) -> WebClient:
        return self.peer.client()

    def log_in(self, client: WebClient) -> None:
        self.peer.log_in(client)

    def _index(self, view: str, every_room: bool, place: Place) -> str:
        day = place.day
        return (
            f"/index.php?view={view}&view_all={int(every_room)}&year={day.year}&month={day.month}&day={day.day}"
            f"&area={self.area_id}&room={self.room_ids[place.room]}"
        )

    def day_view(self, place):
        return self._index("day", True, place)

    def room_week(self, place):
        return self._index("week", False, place)

    def rooms_week(self, place):
        return self._index("week", True, place)

    def booking_form(self, client):
        return self.peer.booking_form(client, self.area_id, self.room_ids[0], date.today() + timedelta(days=1))

    def book(self, client, form, place, title):
        seconds = [moment.hour * 3600 + moment.minute * 60 for moment in (BOOKED_FROM, BOOKED_UNTIL)]
        fields = mrbs_peer.booking_fields(form, self.room_ids[place.room], place.day, *seconds, title)
        answer = client.post("/edit_entry_handler.php", fields)
        location = answer.headers.get("Location", "")
        # Success is a redirect to the calendar; a clash or a refusal answers 200 with a page saying why.
        return None if answer.status == 302 and "error" not in location else f"status {answer.status} {location}: {answer.text[:300]!r}"


STARTED = clock.monotonic()


def progress(text: str) -> None:
    """A line on standard error with the minutes and seconds since the start, to see where a run's time goes."""
    minutes, seconds = divmod(int(clock.monotonic() - STARTED), 60)
    print(f"[{minutes:02d}:{seconds:02d}] {text}", file=sys.stderr)


# --- Measuring ------------------------------------------------------------------------------------------------

@dataclass
class Figure:
    """One page of one system: the milliseconds of its requests, block by block."""

    blocks: list[list[float]] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    walls: list[float] = field(default_factory=list)  # seconds each block took (throughput under load)

    @property
    def times(self) -> list[float]:
        return [ms for block in self.blocks for ms in block]

    @property
    def p50(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.times, n=20, method="inclusive")[-1]

    @property
    def throughput(self) -> float:
        return len(self.times) / sum(self.walls)

    def block_p50s(self) -> list[float]:
        return [statistics.median(block) for block in self.blocks]


@dataclass
class Page:
    name: str
    url: Callable[[System, Place], str] | None  # None: the booking, made by `System.book`
    figures: dict[str, Figure] = field(default_factory=dict)


def timed(call) -> tuple[float, object]:
    started = clock.perf_counter()
    result = call()
    return (clock.perf_counter() - started) * 1000, result


def get_page(client: WebClient, path: str, figure: Figure | None = None) -> float:
    ms, response = timed(lambda: client.get(path))
    if figure is not None:
        figure.sizes.append(len(response.body))
        if response.status != 200:
            figure.failures.append(f"{path}: status {response.status}")
    return ms


class Places:
    """The days and rooms asked for, in the same order for both systems: four weeks (two past, this, the next)."""

    def __init__(self, today: date, rooms: int):
        monday = today - timedelta(days=today.weekday())
        self.mondays = [monday + timedelta(weeks=n) for n in (-2, -1, 0, 1)]
        self.rooms = rooms

    def week(self, i: int) -> Place:
        return Place(self.mondays[i % len(self.mondays)], i % self.rooms)

    def day(self, i: int) -> Place:
        return Place(self.mondays[i % len(self.mondays)] + timedelta(days=i % 7), i % self.rooms)


class FreeSlots:
    """Room and day pairs whose 20:00–20:45 is free, from tomorrow on: each booking takes the next one."""

    def __init__(self, today: date, rooms: int):
        self.pairs = itertools.product((today + timedelta(days=n) for n in range(1, 360)), range(rooms))

    def take(self) -> Place:
        day, room = next(self.pairs)
        return Place(day, room)


def measure_pages(systems: list[System], places: Places, today: date, args) -> list[Page]:
    """The single-user figures: per block, each system runs `--requests` of a page, the order swapped each block."""
    clients = {system.name: system.logged_in() for system in systems}
    pages = [
        Page(f"All-rooms day view ({args.rooms} rooms)", lambda system, i: system.day_view(places.day(i))),
        Page("One-room week", lambda system, i: system.room_week(places.week(i))),
        Page(f"All-rooms week ({args.rooms} rooms)", lambda system, i: system.rooms_week(places.week(i))),
    ]
    for page in pages:
        progress(f"Measuring: {page.name}")
        for system in systems:
            for i in range(WARM_UP):
                get_page(clients[system.name], page.url(system, i))
            page.figures[system.name] = Figure()
        counter = itertools.count()
        for block in range(args.blocks):
            numbers = [next(counter) for _ in range(args.requests)]  # the same places for both systems
            for system in systems if block % 2 == 0 else reversed(systems):
                figure = page.figures[system.name]
                figure.blocks.append([get_page(clients[system.name], page.url(system, i), figure) for i in numbers])
    pages += measure_booking(systems, clients, today, args)
    for client in clients.values():
        client.close()
    return pages


def measure_booking(systems: list[System], clients: dict[str, WebClient], today: date, args) -> list[Page]:
    """A booking of 20:00–20:45 in a free room and day through the web form (its form fetched once per session);
    and BibNet's own API, which MRBS lacks, beside MRBS' form in the same blocks."""
    progress("Measuring: Create a booking")
    form_page = Page("Create a booking (web form POST)", None)
    api_page = Page("Create a booking (BibNet: its API POST; MRBS: its form, as above)" if len(systems) > 1 else "Create a booking (API POST)", None)
    slots = {system.name: FreeSlots(today, args.rooms) for system in systems}  # the same pairs, in the same order
    forms = {system.name: system.booking_form(clients[system.name]) for system in systems}
    bibnet = systems[0]
    api_client = bibnet.client()  # a token, no session cookie: as an API client calls
    titles = itertools.count(1)

    def book(system: System, figure: Figure, api: bool = False) -> float:
        place, title = slots[system.name].take(), f"Bench booking {next(titles)}"
        if api:
            ms, failure = timed(lambda: bibnet.book_through_api(api_client, place, title))
        else:
            ms, failure = timed(lambda: system.book(clients[system.name], forms[system.name], place, title))
        if failure:
            figure.failures.append(failure)
        return ms

    for system in systems:
        form_page.figures[system.name] = Figure()
        for _ in range(WARM_UP):
            book(system, form_page.figures[system.name])
    api_page.figures = {"BibNet": Figure(), **{name: figure for name, figure in form_page.figures.items() if name != "BibNet"}}
    for _ in range(WARM_UP):
        book(bibnet, api_page.figures["BibNet"], api=True)
    for block in range(args.blocks):
        for system in systems if block % 2 == 0 else reversed(systems):
            figure = form_page.figures[system.name]
            figure.blocks.append([book(system, figure) for _ in range(args.requests)])
        figure = api_page.figures["BibNet"]
        figure.blocks.append([book(bibnet, figure, api=True) for _ in range(args.requests)])
    api_client.close()
    return [form_page, api_page]


def warm_up(systems: list[System], places: Places, clients: dict[str, list[WebClient]]) -> None:
    """Every page and the booking form through many connections at once, so that every worker process and thread
    of both servers has served each before anything is timed (a kept-alive connection that the server closes
    between two blocks may come back on another worker)."""
    progress("Warming up both servers")

    def visit(system: System, client: WebClient) -> None:
        for i in range(3):
            for path in (system.day_view(places.day(i)), system.room_week(places.week(i)), system.rooms_week(places.week(i))):
                client.get(path)
        system.booking_form(client)

    with ThreadPoolExecutor(max_workers=max(len(group) for group in clients.values())) as pool:
        for system in systems:
            list(pool.map(lambda client, s=system: visit(s, client), clients[system.name]))
    for system in systems:  # the same sessions must show on both, or the ratios compare an empty page
        page = clients[system.name][0].get(system.rooms_week(Place(places.mondays[-1], 0))).text  # next week: there are sessions whatever the size
        if "Quiet hour" not in page and "Tuesday club" not in page:  # two of bench_data.TITLES; no label of either app
            raise SystemExit(f"{system.name}'s all-rooms week shows none of the sessions: its data or its settings are wrong")


def measure_load(systems: list[System], places: Places, clients: dict[str, list[WebClient]], args) -> Page:
    """`--clients` users at once, each with its own session and connection, on the one-room week."""
    progress(f"Measuring: {args.clients} concurrent clients on the one-room week")
    page = Page(f"{args.clients} concurrent clients, one-room week", None)
    counter = itertools.count()
    lock = threading.Lock()

    def one_client(system: System, client: WebClient, requests: int, figure: Figure) -> list[float]:
        times = []
        for _ in range(requests):
            with lock:
                i = next(counter)
            times.append(get_page(client, system.room_week(places.week(i)), figure))
        return times

    with ThreadPoolExecutor(max_workers=args.clients) as pool:
        for system in systems:
            page.figures[system.name] = Figure()
        for block in range(args.blocks):
            for system in systems if block % 2 == 0 else reversed(systems):
                figure = page.figures[system.name]
                started = clock.perf_counter()
                per_client = list(pool.map(lambda client, s=system, f=figure: one_client(s, client, args.load_requests, f), clients[system.name]))
                figure.walls.append(clock.perf_counter() - started)
                figure.blocks.append([ms for times in per_client for ms in times])
    return page


# --- Report ---------------------------------------------------------------------------------------------------

def verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def report(pages: list[Page], load: Page, names: list[str], facts: list[str]) -> str:
    both = len(names) == 2
    lines = [*facts, ""]
    if both:
        lines += [
            "| Page | Requests each | BibNet p50 / p95 ms | MRBS p50 / p95 ms | BibNet ÷ MRBS (p50) | per block | Target | |",
            "|---|---|---|---|---|---|---|---|",
        ]
    else:
        lines += ["| Page | Requests | BibNet p50 / p95 ms | KB per page | Failures |", "|---|---|---|---|---|"]
    for page in pages:
        ours = page.figures["BibNet"]
        if not both:
            lines.append(f"| {page.name} | {len(ours.times)} | {ours.p50:.1f} / {ours.p95:.1f} | {kilobytes(ours)} | {len(ours.failures)} |")
            continue
        theirs = page.figures["MRBS"]
        ratio = ours.p50 / theirs.p50
        per_block = [a / b for a, b in zip(ours.block_p50s(), theirs.block_p50s(), strict=True)]
        lines.append(
            f"| {page.name} | {len(ours.times)} | {ours.p50:.1f} / {ours.p95:.1f} | {theirs.p50:.1f} / {theirs.p95:.1f} | "
            f"{ratio:.2f} | {min(per_block):.2f}–{max(per_block):.2f} | ≤ {PAGE_TARGET} | {verdict(ratio <= PAGE_TARGET)} |"
        )
    ours = load.figures["BibNet"]
    if both:
        theirs = load.figures["MRBS"]
        gain = ours.throughput / theirs.throughput
        lines += [
            "",
            "| Under load | Requests each | BibNet requests/s, p50 / p95 ms | MRBS requests/s, p50 / p95 ms | BibNet ÷ MRBS (throughput) | Target | |",
            "|---|---|---|---|---|---|---|",
            f"| {load.name} | {len(ours.times)} | {ours.throughput:.1f}, {ours.p50:.1f} / {ours.p95:.1f} | "
            f"{theirs.throughput:.1f}, {theirs.p50:.1f} / {theirs.p95:.1f} | {gain:.2f}× | ≥ {LOAD_TARGET}× and a lower p95 | "
            f"{verdict(gain >= LOAD_TARGET and ours.p95 < theirs.p95)} |",
        ]
        sizes = ", ".join(f"{page.name}: {kilobytes(page.figures['BibNet'])} / {kilobytes(page.figures['MRBS'])}" for page in pages if page.url)
        lines += ["", f"Page sizes, KB (BibNet / MRBS): {sizes}"]
    else:
        lines += [
            "", "| Under load | Requests | requests/s | p50 / p95 ms |", "|---|---|---|---|",
            f"| {load.name} | {len(ours.times)} | {ours.throughput:.1f} | {ours.p50:.1f} / {ours.p95:.1f} |",
        ]
    failures, seen = [], set()
    for page in [*pages, load]:
        for name, figure in page.figures.items():
            if figure.failures and id(figure) not in seen:  # MRBS' booking figure stands in two rows
                seen.add(id(figure))
                failures.append(f"{page.name}, {name}: {len(figure.failures)}, first: {figure.failures[0]}")
    if failures:
        lines += ["", "Failed requests:", *failures]
    return "\n".join(lines)


def kilobytes(figure: Figure) -> str:
    return f"{statistics.mean(figure.sizes) / 1024:.0f}" if figure.sizes else "–"


# --- Setting up -----------------------------------------------------------------------------------------------

def build_bibnet(database_url: str, instance: Path, now: datetime, args):
    """BibNet's database: migrated and filled as the rooms benchmark fills it. Returns the tenants and their rooms."""
    os.environ["BIBNET_INSTANCE_PATH"] = str(instance)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "MAIL_OUTBOX": str(instance / "outbox"), "STORAGE_LOCAL_ROOT": str(instance / "files")})
    logging.getLogger().setLevel(logging.WARNING)
    with app.app_context():
        upgrade()
        started = clock.perf_counter()
        bench, other = bench_data.build(args.rooms, args.occurrences, args.other_rooms, args.other_occurrences, now)
        progress(f"BibNet: {args.occurrences + args.other_occurrences} sessions generated in {clock.perf_counter() - started:.1f} s")
        server_version = db.session.scalar(sa.text("SHOW server_version"))
        db.engine.dispose()
    return bench, other, server_version


def shown_sessions(database: dict):
    """BibNet's shown sessions (requested, confirmed, held): what MRBS gets, as (area, room, start, end, title, requested, uid)."""
    statuses = [status.value for status in SHOWN]
    with psycopg.connect(**database) as connection:
        yield from connection.execute(
            "SELECT t.name, r.name, extract(epoch FROM o.starts_at)::bigint, extract(epoch FROM o.ends_at)::bigint, b.title,"
            " o.status = %s, 'bibnet-occurrence-' || o.id || '@bench.example'"
            " FROM occurrence o JOIN booking b ON b.id = o.booking_id JOIN room r ON r.id = o.room_id JOIN tenant t ON t.id = o.tenant_id"
            " WHERE o.status = ANY(%s) ORDER BY o.starts_at",
            (Status.REQUESTED.value, statuses),
        )


def rooms_of(database: dict) -> dict[str, list[tuple[str, int, int]]]:
    """Tenant name → its rooms as (name, capacity, BibNet id), in id order."""
    areas: dict[str, list[tuple[str, int, int]]] = {}
    with psycopg.connect(**database) as connection:
        for tenant, room, capacity, room_id in connection.execute("SELECT t.name, r.name, r.capacity, r.id FROM room r JOIN tenant t ON t.id = r.tenant_id ORDER BY r.id"):
            areas.setdefault(tenant, []).append((room, capacity, room_id))
    return areas


def sessions_per_week(database: dict, places: Places, room_ids: list[int], mrbs: Mrbs | None) -> str:
    """Sessions in each measured all-rooms week, counted in each database: the two show the same data."""
    zone = ZoneInfo(bench_data.ZONE)
    bounds = [(datetime.combine(monday, datetime.min.time(), tzinfo=zone), datetime.combine(monday + timedelta(days=7), datetime.min.time(), tzinfo=zone)) for monday in places.mondays]
    statuses = [status.value for status in SHOWN]
    with psycopg.connect(**database) as connection:
        ours = [connection.execute("SELECT count(*) FROM occurrence WHERE room_id = ANY(%s) AND status = ANY(%s) AND starts_at >= %s AND starts_at < %s", (room_ids, statuses, *week)).fetchone()[0] for week in bounds]
    text = "BibNet " + "/".join(map(str, ours))
    if mrbs:
        with psycopg.connect(**mrbs.peer.database) as connection:
            theirs = [connection.execute("SELECT count(*) FROM mrbs_entry WHERE room_id = ANY(%s) AND start_time >= %s AND start_time < %s", (mrbs.room_ids, int(week[0].timestamp()), int(week[1].timestamp()))).fetchone()[0] for week in bounds]
        text += ", MRBS " + "/".join(map(str, theirs))
    return text


@dataclass
class ServerMemory:
    processes: int  # the serving processes: gunicorn's workers, or PHP's
    slots: int  # requests served at once
    rss: float  # MB, summed over the processes; pages shared between them count in each
    pss: float  # MB, summed: each process' private pages and its share of the shared ones


def server_memory(server: subprocess.Popen, slots: int) -> ServerMemory:
    """What the server's processes (its workers and itself) hold after the run, read from /proc."""
    pids = [server.pid, *worker_memory.children(server.pid)]
    figures = [worker_memory.memory_of(pid) for pid in pids]
    return ServerMemory(len(pids), slots, sum(f["rss"] for f in figures), sum(f["pss"] for f in figures))


def memory_report(memory: dict[str, ServerMemory]) -> str:
    """Memory per request slot: a gunicorn worker serves four requests at once (threads), a PHP process one."""
    lines = [
        "| Server memory after the run | Processes (with the master) | Request slots | RSS MB, sum | PSS MB, sum | PSS MB per request slot |",
        "|---|---|---|---|---|---|",
    ]
    for name, figures in memory.items():
        lines.append(f"| {name} | {figures.processes} | {figures.slots} | {figures.rss:.0f} | {figures.pss:.0f} | {figures.pss / figures.slots:.1f} |")
    return "\n".join(lines)


def serve_bibnet(database_url: str, instance: Path, log: Path) -> tuple[subprocess.Popen, int]:
    """gunicorn with production's settings (bibnet.gunicorn_config), 2 threaded workers of 4 threads (8 request slots), as docker/ serves BibNet."""
    port = free_port()
    environment = {
        **os.environ, "DATABASE_URL": database_url, "BIBNET_INSTANCE_PATH": str(instance), "SECRET_KEY": secrets.token_hex(32),
        "MAIL_BACKEND": "outbox", "LOGIN_RATE_LIMIT": "100000 per minute",  # the simulated users all log in at once
    }
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:bibnet.gunicorn_config", "--bind", f"127.0.0.1:{port}", "--workers", str(GUNICORN_WORKERS),
        "--threads", str(GUNICORN_THREADS), "--error-logfile", str(log), *no_control_socket(), "bibnet.wsgi:app",
    ]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_for_port(port, process, seconds=120)
    return process, port


def no_control_socket() -> list[str]:
    """Recent gunicorn opens a control socket at one path per user (~/.gunicorn): this throwaway server needs none."""
    from gunicorn.config import KNOWN_SETTINGS

    return ["--no-control-socket"] if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS) else []


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # its own process group: the server and its workers
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def run(database_url: str, folder: Path, args) -> int:
    now = datetime.now(UTC)
    today = now.astimezone(ZoneInfo(bench_data.ZONE)).date()
    # The default is relative to the repository, as the issue names it; a path given on the command line, to where you are.
    tarball = args.mrbs_tarball.resolve() if args.mrbs_tarball else (HERE.parent / DEFAULT_TARBALL).resolve()
    php = shutil.which(args.php)
    why_not = [] if args.bibnet_only else mrbs_peer.missing(tarball, php)
    for reason in why_not:
        print(f"MRBS is not measured: {reason}.", file=sys.stderr)
    with_mrbs = not args.bibnet_only and not why_not
    server = mrbs_peer.server_arguments(database_url)
    bibnet_database = {**server, "dbname": database_url.rsplit("/", 1)[1]}

    bench, _other, server_version = build_bibnet(database_url, folder / "instance", now, args)
    places = Places(today, args.rooms)
    areas = rooms_of(bibnet_database)
    bench_area = next(name for name, rooms in areas.items() if [room_id for *_, room_id in rooms] == bench.room_ids)
    peer = mrbs = None
    processes: list[subprocess.Popen] = []
    try:
        if with_mrbs:
            peer = mrbs_peer.Mrbs.install(tarball, php, folder / "mrbs", server)
            peer.serve(folder / "php.log")
            processes.append(peer.process)
            peer.add_areas_and_rooms({area: [(name, capacity) for name, capacity, _ in rooms] for area, rooms in areas.items()})
            started = clock.perf_counter()
            loaded = peer.load_entries(shown_sessions(bibnet_database))
            progress(f"MRBS: {len(peer.room_ids)} rooms made through add.php, {loaded} bookings loaded in {clock.perf_counter() - started:.1f} s")
            mrbs = Mrbs(peer, bench_area, [name for name, *_ in areas[bench_area]])
        gunicorn, port = serve_bibnet(database_url, folder / "instance", folder / "gunicorn.log")
        processes.append(gunicorn)
        systems: list[System] = [BibNet(port, bench.slug, bench.room_ids, bench.coordinator_email, bench.api_token)]
        if mrbs:
            systems.append(mrbs)
        facts = [
            f"Machine: {os.cpu_count()} CPUs, PostgreSQL {server_version}, Python {platform.python_version()}"
            + (f", PHP {mrbs_peer.php_version(php)}" if with_mrbs else "") + f", {platform.platform()}",
            f"Load average (1, 5, 15 min) before measuring: {load_average()}",
            f"Data: {args.rooms} rooms (+{args.other_rooms} of a second tenant), {args.occurrences} sessions (+{args.other_occurrences}) from {bench.first_day} to {bench.last_day}; "
            f"shown sessions in the measured all-rooms weeks: {sessions_per_week(bibnet_database, places, bench.room_ids, mrbs)}",
            f"Measured: {args.blocks} blocks × {args.requests} requests per page and system, alternating; under load {args.blocks} blocks × {args.clients} clients × {args.load_requests} requests",
        ]
        crowd = {system.name: [system.logged_in() for _ in range(args.clients)] for system in systems}  # each its own session
        warm_up(systems, places, crowd)
        pages = measure_pages(systems, places, today, args)
        load = measure_load(systems, places, crowd, args)
        for client in itertools.chain.from_iterable(crowd.values()):
            client.close()
        facts[1] += f"; after: {load_average()}"
        memory = {"BibNet": server_memory(gunicorn, GUNICORN_WORKERS * GUNICORN_THREADS)}
        if mrbs:
            memory["MRBS"] = server_memory(peer.process, mrbs_peer.WORKERS)
        progress("Done")
        print(report(pages, load, [system.name for system in systems], facts))
        print("\n" + memory_report(memory))
        if not with_mrbs:
            print("\nMRBS was not measured, so these are BibNet's figures alone, without ratios: " + "; ".join(why_not or ["--bibnet-only was given"]) + ".")
        failed = any(figure.failures for page in [*pages, load] for figure in page.figures.values())
        return 1 if failed else 0
    finally:
        for process in processes:
            stop(process)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mrbs-tarball", type=Path, help=f"the MRBS 1.12.2 release (default {DEFAULT_TARBALL}, next to the repository)")
    parser.add_argument("--php", default="php", help="the PHP command (default: php on the PATH)")
    parser.add_argument("--bibnet-only", action="store_true", help="measure BibNet alone even where MRBS could run")
    parser.add_argument("--requests", type=int, default=50, help="requests per block, page and system (default 50)")
    parser.add_argument("--blocks", "--repeats", type=int, default=6, help="blocks per page; the systems take turns block by block (default 6)")
    parser.add_argument("--clients", type=int, default=10, help="concurrent clients under load (default 10)")
    parser.add_argument("--load-requests", type=int, default=30, help="requests per client and block under load (default 30)")
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--occurrences", type=int, default=100_000)
    parser.add_argument("--other-rooms", type=int, default=5)
    parser.add_argument("--other-occurrences", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL cluster and the folder of logs (for debugging)")
    args = parser.parse_args()
    if importlib.util.find_spec("gunicorn") is None:
        raise SystemExit("gunicorn is not installed in this environment: .venv/bin/pip install -c constraints.txt -e '.[production]'")
    if not throwaway_postgresql.available():
        raise SystemExit("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/pg_ctl): sudo apt-get install -y postgresql")
    # A SIGTERM ends the run through the finally blocks: servers stopped, the cluster deleted.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    folder = Path(tempfile.mkdtemp(prefix="bibnet-mrbs-compare-"))
    try:
        with throwaway_postgresql.throwaway_cluster(keep=args.keep) as database_url:
            return run(database_url, folder, args)
    finally:
        if args.keep:
            print(f"Logs and MRBS' copy kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
