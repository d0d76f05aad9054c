"""A throwaway PostgreSQL cluster for the benchmark, started the way the tests start theirs.

`tests/pg_ctl_as_postgres` runs initdb and pg_ctl (as the `postgres` user when run as root). The cluster keeps
PostgreSQL's default durability settings (fsync and synchronous commit on), unlike the tests' cluster, so that
commit times are those of a real server. It is stopped and deleted when the block ends.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
import shutil
import subprocess
import sys
import tempfile

import psycopg
from web_client import free_port

PG_CTL_WRAPPER = str(Path(__file__).resolve().parent.parent / "tests" / "pg_ctl_as_postgres")


def available() -> bool:
    return any(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))


@contextmanager
def throwaway_cluster(database: str = "bibnet_bench", keep: bool = False) -> Iterator[str]:
    """Start a cluster, create `database` in it and yield its SQLAlchemy URL; stop and delete it afterwards,
    unless `keep` (for a look after a failed run): then it stays running and how to stop it is printed."""
    folder = Path(tempfile.mkdtemp(prefix="bibnet-bench-pg-"))
    datadir, log = folder / "data", folder / "server.log"
    port = free_port()
    try:
        subprocess.run(
            [PG_CTL_WRAPPER, "initdb", "-D", str(datadir), "-o", "--auth=trust --username=postgres --encoding=UTF8 --locale=C.UTF-8"],
            check=True, capture_output=True,
        )
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {folder}"
        subprocess.run([PG_CTL_WRAPPER, "start", "-D", str(datadir), "-w", "-l", str(log), "-o", options], check=True, capture_output=True)
        try:
            with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True) as connection:
                connection.execute(f'CREATE DATABASE "{database}"')
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}"
        finally:
            if not keep:
                subprocess.run([PG_CTL_WRAPPER, "stop", "-D", str(datadir), "-m", "fast", "-w"], check=False, capture_output=True)
    finally:
        if keep:
            print(f"Cluster kept on 127.0.0.1:{port} (user postgres); stop and delete it with:\n"
                  f"  {PG_CTL_WRAPPER} stop -D {datadir} -m fast -w && rm -rf {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
