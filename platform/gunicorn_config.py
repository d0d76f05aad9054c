"""How production serves BibNet: `gunicorn -c python:bibnet.gunicorn_config --workers N bibnet.wsgi:app`.

docker/ runs it so, and the benchmarks in bench/ too, so that they measure what production runs.

- Threaded workers: a long report download streams for minutes, which would outlast a sync worker's
  30-second timeout; a gthread worker keeps reporting alive while its threads serve.
- The app is loaded once, in the master, before the workers are forked (`preload_app`): the workers share
  the pages of the code, the models and the templates loaded at start (frozen by `bibnet.wsgi`, so the
  garbage collector does not copy them by touching them) instead of each loading its own; `bibnet.wsgi` also
  loads the templates, catalogs and mappers there (`bibnet.app.load_for_workers`). A worker then
  costs about 50 MB less of its own memory (bench/README.md, "Worker memory").
- A worker gives large freed blocks back to the system (`give_back_large_blocks`).
"""
import ctypes

worker_class = "gthread"
threads = 4
preload_app = True

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
LARGE_BLOCK_BYTES = 1 << 20


def post_fork(server, worker):
    """A forked worker must not share a database connection with the master or its siblings: should anything
    at start have opened one, the worker's pool starts empty (SQLAlchemy's advice for forked processes)."""
    from bibnet.extensions import db

    give_back_large_blocks()

    with server.app.wsgi().app_context():  # the app the master loaded
        db.engine.dispose(close=False)  # not closed: the master's connections stay the master's


def give_back_large_blocks() -> None:
    """Blocks of 1 MiB or more (a log-in's 19 MiB password hash, a large page) are mapped on their own and
    returned to the system when freed. glibc's threshold for this adapts: once a block of 19 MiB is freed, it rises
    to 19 MiB, and from then on each thread keeps its freed hash: a worker held 16 MB more after the benchmark's
    log-ins (bench/README.md, "Issue 14: the fourth round"). A C library without `mallopt` keeps its own policy."""
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt is not None:
        mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK_BYTES)
