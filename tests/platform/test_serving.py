"""How production serves the app (platform/gunicorn_config.py): the settings docker/ runs, and forked workers that
share no database connection with the master."""
from pathlib import Path
import platform
import subprocess
import sys
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from bibnet import gunicorn_config
from bibnet.accounts import passwords
from bibnet.app import load_for_workers
from bibnet.extensions import babel, db

ROOT = Path(__file__).resolve().parents[2]


def test_production_loads_the_app_once_and_serves_it_with_threaded_workers():
    assert (gunicorn_config.worker_class, gunicorn_config.threads, gunicorn_config.preload_app) == ("gthread", 4, True)
    for deployment in ("docker/Dockerfile", "docker/compose.yaml"):
        assert '"-c", "python:bibnet.gunicorn_config"' in (ROOT / deployment).read_text(), deployment


def test_a_forked_worker_starts_with_no_connection_of_the_master_and_leaves_the_masters_open(app):
    with app.app_context():
        connection = db.engine.connect()
        raw = connection.connection.dbapi_connection
        connection.close()  # back in the pool, as a connection the master had opened at start would be
        assert db.engine.pool.checkedin() >= 1
    master = SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app))
    gunicorn_config.post_fork(master, worker=None)
    with app.app_context():
        assert db.engine.pool.checkedin() == 0
        assert db.session.execute(sa.text("SELECT 1")).scalar() == 1  # the worker opens its own
    raw.cursor().execute("SELECT 1")  # still open: closing it would have closed the master's too
    raw.close()


def test_a_forked_worker_gives_large_freed_blocks_back(app, monkeypatch):
    calls = []
    monkeypatch.setattr(gunicorn_config, "give_back_large_blocks", lambda: calls.append("mallopt"))
    gunicorn_config.post_fork(SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app)), worker=None)
    assert calls == ["mallopt"]  # what that does: test_a_worker_gives_a_freed_password_hash_back_to_the_system


def test_what_the_workers_share_is_loaded_before_they_are_forked(app):
    passwords._decoy_for.cache_clear()
    load_for_workers(app)
    assert passwords._decoy_for.cache_info().currsize == 1  # no log-in with an unknown address pays for it
    pages = set(app.jinja_env.list_templates(extensions=["html"]))
    assert "base.html" in pages and pages <= {template.name for template in app.jinja_env.cache.values()}
    assert {language for language, _domain in babel.domain_instance.get_translations_cache(None)} >= set(app.config["LOCALES"])


_ALLOCATE_AND_FREE = """
import ctypes, re, sys
from bibnet import gunicorn_config
if sys.argv[1] == "worker":
    gunicorn_config.give_back_large_blocks()
libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes, libc.free.argtypes = ctypes.c_void_p, [ctypes.c_size_t], [ctypes.c_void_p]
resident = lambda: int(re.search(r"^VmRSS:\\s+(\\d+)", open("/proc/self/status").read(), re.M).group(1)) // 1024
size = 19 * 1024 * 1024  # a log-in's password hash
before = resident()
for _ in range(3):
    block = libc.malloc(size)
    ctypes.memset(block, 1, size)
    libc.free(block)
print(resident() - before)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt's threshold is glibc's")
def test_a_worker_gives_a_freed_password_hash_back_to_the_system():
    def kept_mb(process: str) -> int:
        return int(subprocess.run([sys.executable, "-c", _ALLOCATE_AND_FREE, process], capture_output=True, text=True, check=True).stdout)

    assert kept_mb("worker") < 4
    assert kept_mb("glibc's default") >= 16  # what the worker would keep otherwise
