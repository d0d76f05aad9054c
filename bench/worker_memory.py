"""Benchmark of a gunicorn worker's memory: resident memory at start and after 1,000 mixed requests.

    .venv/bin/python bench/worker_memory.py                    # PostgreSQL as production, a throwaway cluster
    .venv/bin/python bench/worker_memory.py --sqlite           # the embedded default: SQLite in a temporary folder
    .venv/bin/python bench/worker_memory.py --requests 300     # a shorter run
    .venv/bin/python bench/worker_memory.py --imports-only     # only what each heavy library costs when imported

The app runs as production runs it (docker/Dockerfile): `gunicorn -c python:bibnet.gunicorn_config bibnet.wsgi:app`
(4 threads per worker, the app loaded in the master before the workers are forked), here with 2 workers, on a
throwaway PostgreSQL cluster (or `--database-url`, or SQLite with `--sqlite`) loaded with the demo (`bibnet db
upgrade`, `bibnet demo`). Eight client threads, each logged in as one of the demo's users (coordinators, staff, the project
lead, the admin), send the requests: the pages found by following the links of each user's pages (every
feature's lists, forms and detail pages, a few of each kind), API calls with the project lead's token, the
consolidated funding report as CSV and as XLSX, and other CSV/XLSX exports the pages link to. PDFs (and the
evidence pack, which holds one) are left out unless `--with-pdf` is given: WeasyPrint is loaded on the first PDF and
stays (its cost is in the import table).

Each worker's memory is read from /proc when the workers have started and after the requests:
- RSS (`VmRSS`), resident memory, what `ps` and the issue's target count; pages shared with the master or
  the other worker count in each worker;
- of it, the pages of files (`RssFile`: shared libraries, mapped files), which every process using them shares;
- peak RSS (`VmHWM`);
- USS (private pages, `Private_Clean + Private_Dirty` in `smaps_rollup`), what the worker alone costs;
- PSS (`Pss`), its private pages plus its share of the shared ones.

The import table: each library imported in a fresh interpreter (RSS after minus before), and on top of
Flask and SQLAlchemy (what it adds to a process that already has them, as a worker does).

This is a script, not a test: it prints Markdown tables (see bench/README.md for the figures).
"""
import argparse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
import html.parser
import http.cookiejar
import json
import os
from pathlib import Path
import platform
import re
import secrets
import subprocess
import sys
import tempfile
import time as clock
import urllib.error
import urllib.parse
import urllib.request

from measuring import on_database
from web_client import free_port

TARGET_MB = 120
HEAVY_LIBRARIES = ("weasyprint", "openpyxl", "xlsxwriter", "pypdf", "PIL.Image", "segno", "qrcode", "boto3", "alembic", "icalendar", "markdown_it", "flask_smorest")
VENV_BIN = Path(sys.executable).parent
PASSWORD = "bibnet-demo"  # bibnet.demo.PASSWORD
SLOW_SECONDS = 5
PAGES_PER_USER = 40


# --- What a library costs when imported -------------------------------------------------------------------

_IMPORT_PROBE = """
import importlib, re, sys
def rss():
    return int(re.search(r"^VmRSS:\\s+(\\d+)", open("/proc/self/status").read(), re.M).group(1)) / 1024
for name in sys.argv[2:]:
    importlib.import_module(name)
before = rss()
try:
    importlib.import_module(sys.argv[1])
except ImportError as error:
    print("not installed")
else:
    print(f"{rss() - before:.1f}")
"""


def import_costs() -> str:
    lines = ["| Library | RSS MB, fresh interpreter | RSS MB on top of Flask + SQLAlchemy |", "|---|---|---|"]
    for name in HEAVY_LIBRARIES:
        alone = subprocess.run([sys.executable, "-c", _IMPORT_PROBE, name], capture_output=True, text=True).stdout.strip()
        on_top = subprocess.run([sys.executable, "-c", _IMPORT_PROBE, name, "flask", "sqlalchemy.orm", "flask_sqlalchemy"], capture_output=True, text=True).stdout.strip()
        lines.append(f"| `{name}` | {alone} | {on_top} |")
    app_probe = (
        "import re, sys\nfrom bibnet.app import create_app\ncreate_app()\n"
        "print(int(re.search(r'^VmRSS:\\s+(\\d+)', open('/proc/self/status').read(), re.M).group(1)) / 1024)\n"
        f"print(' '.join(sorted(n for n in {HEAVY_LIBRARIES!r} if n in sys.modules)))"
    )
    probe = subprocess.run([sys.executable, "-c", app_probe], capture_output=True, text=True, env={**os.environ, "DATABASE_URL": "sqlite://"})
    rss, loaded = [*probe.stdout.strip().splitlines(), "0", ""][:2]
    lines += ["", f"`create_app()` in a fresh interpreter: {float(rss):.0f} MB RSS; of the libraries above it imports: {loaded or 'none'}."]
    return "\n".join(lines)


# --- The worker processes' memory ---------------------------------------------------------------------------

def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return sorted(found)


def memory_of(pid: int) -> dict:
    status = Path(f"/proc/{pid}/status").read_text()
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()

    def field(text, name):
        return int(re.search(rf"^{name}:\s+(\d+) kB", text, re.MULTILINE).group(1)) / 1024

    return {
        "rss": field(status, "VmRSS"), "files": field(status, "RssFile"), "peak": field(status, "VmHWM"), "pss": field(rollup, "Pss"),
        "uss": field(rollup, "Private_Clean") + field(rollup, "Private_Dirty"),
    }


# --- The app under gunicorn -----------------------------------------------------------------------------------

_PREPARE = """
from flask_migrate import upgrade
from bibnet import demo
from bibnet.accounts.models import User
from bibnet.accounts.services import issue_api_token
from bibnet.app import create_app
from bibnet.extensions import db
import sqlalchemy as sa
from werkzeug.utils import import_string
app = create_app()
with app.app_context():
    upgrade()
    demo.load()
    for feature in app.config["FEATURES"]:
        module = import_string(feature)
        if hasattr(module, "load_demo"):
            module.load_demo()
    db.session.commit()
    lead = db.session.scalar(sa.select(User).where(User.email == demo.LEAD_EMAIL))
    token = issue_api_token(lead, "worker memory benchmark")
    db.session.commit()
    print(json.dumps({"token": token, "logins": [email for email, _ in demo.logins()]}))
"""


def prepared(env: dict) -> dict:
    process = subprocess.run([sys.executable, "-c", "import json\n" + _PREPARE], env=env, capture_output=True, text=True)
    if process.returncode != 0:
        raise SystemExit(f"loading the demo failed:\n{process.stderr[-3000:]}")
    return json.loads(process.stdout.strip().splitlines()[-1])


def start_gunicorn(env: dict, port: int, workers: int, threads: int, preload: bool, log: Path) -> subprocess.Popen:
    """gunicorn with production's settings (bibnet.gunicorn_config); without `preload`, each worker loads the app
    itself (gunicorn has no switch to turn the config's preload off, so the config is left out then)."""
    settings = ["-c", "python:bibnet.gunicorn_config"] if preload else ["--worker-class", "gthread"]
    command = [str(VENV_BIN / "gunicorn"), *settings, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--threads", str(threads), "--log-level", "warning", "bibnet.wsgi:app"]
    with log.open("ab") as log_file:  # the app's log (INFO lines of every cross-tenant read) stays out of the figures
        server = subprocess.Popen(command, env=env, stdout=log_file, stderr=log_file)
    try:
        return _started(server, port, workers)
    except BaseException:
        server.terminate()
        server.wait(30)
        raise


def _started(server: subprocess.Popen, port: int, workers: int) -> subprocess.Popen:
    deadline = clock.monotonic() + 120
    while clock.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
            if len(children(server.pid)) == workers:
                return server
        except OSError:  # not listening yet, or busy starting
            pass
        if server.poll() is not None:
            raise SystemExit(f"gunicorn ended ({server.returncode})")
        clock.sleep(0.5)
    raise SystemExit("gunicorn did not answer within 2 minutes")


# --- Clients --------------------------------------------------------------------------------------------------

class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.csrf = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "input" and attrs.get("name") == "csrf_token":
            self.csrf = attrs.get("value")


# Downloads WeasyPrint renders: PDFs, and the durability evidence pack (a ZIP with a PDF summary in it).
RENDERED_BY_WEASYPRINT = re.compile(r"\.pdf$|/evidence\.zip$")
SKIPPED = re.compile(r"logout|/static/|^mailto:|^https?://|#|/api-docs|\.ics\b|/download|/files?/\d")


class Client:
    """One logged-in user: a cookie jar over urllib."""

    def __init__(self, base: str, email: str | None = None, token: str | None = None):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        if email:
            page = _Links()
            page.feed(self.get("/login")[1].decode())
            data = urllib.parse.urlencode({"csrf_token": page.csrf, "email": email, "password": PASSWORD}).encode()
            self.opener.open(urllib.request.Request(base + "/login", data=data), timeout=60).read()

    def get(self, path: str) -> tuple[int, bytes, str]:
        request = urllib.request.Request(self.base + path, headers=self.headers)
        started = clock.perf_counter()
        try:
            with self.opener.open(request, timeout=300) as response:
                return response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            return error.code, error.read(), ""
        finally:
            if clock.perf_counter() - started > SLOW_SECONDS:
                print(f"  slow: {path} took {clock.perf_counter() - started:.1f} s", file=sys.stderr)

    def pages(self, limit: int, per_kind: int, with_pdf: bool) -> list[str]:
        """The pages reachable from the home page by links (breadth first), at most `per_kind` of each URL
        shape (numbers replaced), at most `limit` in all."""
        queue, seen, kinds, found = ["/"], {"/"}, Counter(), []
        while queue and len(found) < limit:
            path = queue.pop(0)
            status, body, kind = self.get(path)
            if status != 200:
                continue
            found.append(path)
            if "html" not in kind:
                continue
            links = _Links()
            links.feed(body.decode(errors="replace"))
            for href in links.links:
                target = urllib.parse.urljoin(path, href)
                if not target.startswith("/") or SKIPPED.search(target) or (RENDERED_BY_WEASYPRINT.search(target.split("?")[0]) and not with_pdf) or target in seen:
                    continue
                shape = re.sub(r"\d+", "N", target.split("?")[0])
                if kinds[shape] >= per_kind:
                    continue
                kinds[shape] += 1
                seen.add(target)
                queue.append(target)
        return found


def mixed_requests(base: str, logins: list[str], token: str, total: int, clients: int, with_pdf: bool) -> Counter:
    """Every client crawls its user's pages, then all send `total` requests in turn over those pages, API calls
    and exports; returns the count of answers by kind and status."""
    users = [email for email in logins if not email.startswith("staff@")][:clients - 1] + [e for e in logins if e.startswith("staff@")]
    users = users[:clients]
    sessions = [Client(base, email) for email in users]
    print(f"Logged in {len(sessions)} users; following their links …", file=sys.stderr)
    with ThreadPoolExecutor(len(sessions)) as pool:
        page_lists = list(pool.map(lambda client: client.pages(PAGES_PER_USER, 2, with_pdf), sessions))
    print(f"Found {sum(len(pages) for pages in page_lists)} pages", file=sys.stderr)
    api = Client(base, token=token)
    api_paths = ["/api/v1/me", "/api/v1/me/tenants"]
    project = re.search(r"/projects/(\d+)", " ".join(path for pages in page_lists for path in pages))
    exports = []
    if project:
        api_paths.append(f"/api/v1/projects/{project.group(1)}/funding-report?format=csv&period=4")
        exports = [f"/projects/{project.group(1)}/funding/report.csv?period=4", f"/projects/{project.group(1)}/funding/report.xlsx?period=4"]
    plan = []  # (client, path)
    index = 0
    while len(plan) < total:
        for client, pages in zip(sessions, page_lists, strict=True):
            if pages:
                plan.append((client, pages[index % len(pages)]))
        plan.append((api, api_paths[index % len(api_paths)]))
        if exports and index % 10 == 0:
            plan.append((sessions[users.index("lead@pasvalys.example")] if "lead@pasvalys.example" in users else sessions[0], exports[(index // 10) % len(exports)]))
        index += 1
    plan = plan[:total]
    answers = Counter()

    def send(item):
        client, path = item
        status, _body, _kind = client.get(path)
        answers[(path.split("?")[0].rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else "page" if not path.startswith("/api/") else "api", status)] += 1

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(send, plan))
    crawled = sum(len(pages) for pages in page_lists)
    answers[("distinct pages crawled", "-")] = crawled
    return answers


def run(args) -> int:
    """On SQLite (`--sqlite`), else on PostgreSQL as the other benchmarks take it (`--database-url`, or a
    throwaway cluster)."""
    if args.sqlite:
        with tempfile.TemporaryDirectory(prefix="bibnet-worker-memory-") as folder:
            return measured(args, f"sqlite:///{folder}/bibnet.db", Path(folder))
    return on_database(args, lambda database_url, instance: measured(args, database_url, instance))


def measured(args, database_url: str, instance: Path) -> int:
    env = {**os.environ, "BIBNET_ENV": "development", "BIBNET_INSTANCE_PATH": str(instance), "SECRET_KEY": secrets.token_hex(32),
           "DATABASE_URL": database_url, "LOGIN_RATE_LIMIT": "1000 per minute"}
    print("Loading the demo …", file=sys.stderr)
    facts = prepared(env)
    port = free_port()
    server = start_gunicorn(env, port, args.workers, args.threads, args.preload, instance / "gunicorn.log")
    try:
        workers = children(server.pid)
        clock.sleep(1)
        at_start = {pid: memory_of(pid) for pid in workers}
        print(f"Sending {args.requests} requests …", file=sys.stderr)
        started = clock.perf_counter()
        answers = mixed_requests(f"http://127.0.0.1:{port}", facts["logins"], facts["token"], args.requests, args.clients, args.with_pdf)
        seconds = clock.perf_counter() - started
        after = {pid: memory_of(pid) for pid in workers if Path(f"/proc/{pid}").exists()}
        master = memory_of(server.pid)
    finally:
        server.terminate()
        server.wait(30)
    load = os.getloadavg()
    database = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
    print(f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {database}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"gunicorn: {args.workers} workers × {args.threads} threads (gthread), {'the app loaded in the master' if args.preload else 'each worker loading the app (--no-preload)'}; "
          f"{args.requests} requests from {args.clients} clients in {seconds:.0f} s")
    print("Answers: " + ", ".join(f"{kind} {status}: {count}" for (kind, status), count in sorted(answers.items(), key=str)))
    print()
    print("| Worker | RSS MB at start | RSS MB after | of it, files MB | Peak RSS MB | USS MB after | PSS MB after |")
    print("|---|---|---|---|---|---|---|")
    for number, pid in enumerate(workers, 1):
        if pid not in after:
            print(f"| {number} | {at_start[pid]['rss']:.0f} | (ended) | | | | |")
            continue
        now = after[pid]
        print(f"| {number} | {at_start[pid]['rss']:.0f} | **{now['rss']:.0f}** | {now['files']:.0f} | {now['peak']:.0f} | {now['uss']:.0f} | {now['pss']:.0f} |")
    print(f"| master | | {master['rss']:.0f} | {master['files']:.0f} | {master['peak']:.0f} | {master['uss']:.0f} | {master['pss']:.0f} |")
    worst = max((memory["rss"] for memory in after.values()), default=float("inf"))
    print(f"\nTarget: every worker's RSS after the requests under {TARGET_MB} MB: "
          f"{'met' if worst < TARGET_MB else 'NOT met'} (highest {worst:.0f} MB).")
    if not args.no_imports:
        print("\n" + import_costs())
    return 0 if worst < TARGET_MB else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8, help="client threads sending requests (default 8)")
    parser.add_argument("--no-preload", dest="preload", action="store_false", help="each worker loads the app itself (production loads it once, in the master)")
    parser.add_argument("--with-pdf", action="store_true", help="include the PDF downloads the pages link to")
    parser.add_argument("--database-url", help="an empty PostgreSQL database of yours; the script migrates it and loads the demo (default: a throwaway cluster)")
    parser.add_argument("--sqlite", action="store_true", help="on SQLite in a temporary folder, the embedded default, instead of PostgreSQL")
    parser.add_argument("--imports-only", action="store_true", help="only the table of what each heavy library costs")
    parser.add_argument("--no-imports", action="store_true", help="leave out the import table")
    args = parser.parse_args()
    if args.imports_only:
        print(import_costs())
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
