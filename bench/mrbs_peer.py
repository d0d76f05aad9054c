"""MRBS 1.12.2 (the PHP Meeting Room Booking System) set up as BibNet's benchmark peer, as ../shared/anchors/README.md
describes: its own database on the benchmark's PostgreSQL, `tables.pg.sql`, an admin and a normal user in
`mrbs_users`, areas and rooms made through its own `add.php` as the admin, bookings loaded with COPY into
`mrbs_entry`, served by PHP's built-in server with 8 workers and OPcache.

MRBS is a peer to measure against, never a dependency: nothing of it is copied into BibNet. The release is
unpacked into a temporary folder for each run.
"""
from dataclasses import dataclass, field
import os
from pathlib import Path
import re
import subprocess
import tarfile

import psycopg
from web_client import WebClient, free_port, read_form, wait_for_port

PHP_MODULES = ("pgsql", "mbstring", "intl")  # pgsql: MRBS talks to PostgreSQL through PDO's pdo_pgsql
PHP_PACKAGES = "php-cli php-pgsql php-mbstring php-intl"
ADMIN, USER = "admin", "booker"
PASSWORD = "bench-password"
WORKERS = 8  # request slots: the same as gunicorn's 2 workers × 4 threads
AWAITING_APPROVAL = 0x02  # MRBS' status bit (internalconfig.inc.php: STATUS_AWAITING_APPROVAL)

CONFIG = """<?php
namespace MRBS;
// Written by BibNet's bench/mrbs_compare.py: the settings of the side-by-side benchmark.
$timezone = "Europe/Riga";
$dbsys = "pgsql";
$db_host = "{host}";
$db_port = {port};
$db_database = "{database}";
$db_login = "{login}";
$db_password = "";
$db_tbl_prefix = "mrbs_";
$db_persist = false;
$auth["type"] = "db";
$auth["session"] = "php";
$weekstarts = 1;
$resolution = 1800;
$morningstarts = 8;
$morningstarts_minutes = 0;
$eveningends = 20;
$eveningends_minutes = 30;
$mail_settings["admin_on_bookings"] = false;
$mail_settings["area_admin_on_bookings"] = false;
$mail_settings["room_admin_on_bookings"] = false;
$mail_settings["booker"] = false;
$mail_settings["book_admin_on_approval"] = false;
$mail_settings["on_new"] = false;
$mail_settings["on_change"] = false;
$mail_settings["on_delete"] = false;
$mail_settings["disabled"] = true;
"""

ENTRY_COLUMNS = (
    "start_time", "end_time", "entry_type", "room_id", "create_by", "modified_by", "name", "type", "description",
    "status", "ical_uid", "ical_sequence",
)


def missing(tarball: Path, php: str | None) -> list[str]:
    """Why MRBS cannot be measured here (empty when it can): the release, PHP or PHP's modules missing."""
    reasons = []
    if not tarball.is_file():
        reasons.append(f"the MRBS 1.12.2 release is not at {tarball} (pass --mrbs-tarball PATH)")
    if php is None:
        reasons.append(f"PHP was not found (Debian: sudo apt-get install -y {PHP_PACKAGES})")
    else:
        loaded = subprocess.run([php, "-m"], capture_output=True, text=True, check=False).stdout.lower().split()
        lacking = [module for module in PHP_MODULES if module not in loaded]
        if lacking:
            reasons.append(f"PHP lacks {', '.join(lacking)} (Debian: sudo apt-get install -y {PHP_PACKAGES})")
    return reasons


def php_version(php: str) -> str:
    return subprocess.run([php, "-r", "echo PHP_VERSION;"], capture_output=True, text=True, check=True).stdout.strip()


def password_hash(php: str, password: str) -> str:
    """A hash made by PHP's own password_hash(), as MRBS makes them."""
    return subprocess.run([php, "-r", "echo password_hash($argv[1], PASSWORD_DEFAULT);", password], capture_output=True, text=True, check=True).stdout


@dataclass
class Mrbs:
    php: str
    folder: Path  # the unpacked release
    database: dict  # psycopg connection arguments of MRBS' own database
    port: int = 0
    process: subprocess.Popen | None = None
    area_ids: dict[str, int] = field(default_factory=dict)  # area name → id
    room_ids: dict[tuple[str, str], int] = field(default_factory=dict)  # (area name, room name) → id

    # --- Installing ---------------------------------------------------------------------------------------

    @classmethod
    def install(cls, tarball: Path, php: str, into: Path, server: dict, database: str = "mrbs") -> "Mrbs":
        """Unpack the release, create its database on `server` (psycopg arguments) with tables.pg.sql, write the config."""
        with tarfile.open(tarball) as archive:
            archive.extractall(into, filter="data")
        folder = next(path for path in into.iterdir() if (path / "web" / "index.php").is_file())
        with psycopg.connect(**server, dbname="postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        arguments = {**server, "dbname": database}
        with psycopg.connect(**arguments, autocommit=True) as connection:
            connection.execute((folder / "tables.pg.sql").read_text())
            hashes = {name: password_hash(php, PASSWORD) for name in (ADMIN, USER)}
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO mrbs_users (level, name, display_name, password_hash, email) VALUES (%s, %s, %s, %s, %s)",
                    [(2, ADMIN, "Bench admin", hashes[ADMIN], "admin@mrbs.example"), (1, USER, "Bench booker", hashes[USER], "booker@mrbs.example")],
                )
        (folder / "web" / "config.inc.php").write_text(CONFIG.format(host=server["host"], port=server["port"], database=database, login=server["user"]))
        return cls(php, folder, arguments)

    def serve(self, log: Path) -> None:
        """PHP's built-in server with WORKERS workers and OPcache, as the anchors' run served it; in its own process
        group, so that stopping the group stops its workers too."""
        self.port = free_port()
        environment = {**os.environ, "PHP_CLI_SERVER_WORKERS": str(WORKERS)}
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                [self.php, "-d", "opcache.enable=1", "-S", f"127.0.0.1:{self.port}", "-t", "web"],
                cwd=self.folder, env=environment, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
            )
        wait_for_port(self.port, self.process)

    # --- Using it ---------------------------------------------------------------------------------------------

    def client(self) -> WebClient:
        return WebClient(self.port)

    def log_in(self, client: WebClient, username: str = USER) -> None:
        """GET admin.php (it shows the log-on form), POST the form back with its hidden fields, name and password."""
        page = client.get("/admin.php")
        action, fields = read_form(page.text, form_id="logon")
        fields = [(name, value) for name, value in fields if name not in ("username", "password")]
        fields += [("username", username), ("password", PASSWORD)]
        answer = client.post("/" + action.lstrip("/"), fields)
        if answer.status not in (302, 303) or ("username" in answer.text and 'id="logon"' in answer.text):
            raise SystemExit(f"MRBS log-in as {username} failed: {answer.status} {answer.text[:500]!r}")

    def add_areas_and_rooms(self, areas: dict[str, list[tuple[str, int]]]) -> None:
        """Areas and their rooms (name, capacity) through MRBS' own add.php, as its admin."""
        admin = self.client()
        self.log_in(admin, ADMIN)
        for area, rooms in areas.items():
            self._add(admin, {"type": "area", "name": area})
            self.area_ids[area] = self._scalar("SELECT id FROM mrbs_area WHERE area_name = %s", area)
            for room, capacity in rooms:
                self._add(admin, {"type": "room", "area": self.area_ids[area], "name": room, "description": "", "capacity": capacity, "room_admin_email": ""})
        admin.close()
        with psycopg.connect(**self.database) as connection:
            for area_name, room_name, room_id in connection.execute("SELECT a.area_name, r.room_name, r.id FROM mrbs_room r JOIN mrbs_area a ON a.id = r.area_id"):
                self.room_ids[area_name, room_name] = room_id
        expected = sum(len(rooms) for rooms in areas.values())
        if len(self.room_ids) != expected:
            raise SystemExit(f"MRBS' add.php made {len(self.room_ids)} rooms, not {expected}")

    def _add(self, admin: WebClient, values: dict) -> None:
        page = admin.get(f"/admin.php?area={values['area']}" if "area" in values else "/admin.php")
        _, fields = read_form(page.text, action="add.php")
        token = dict(fields)["csrf_token"]
        answer = admin.post("/add.php", {**values, "csrf_token": token})
        location = answer.headers.get("Location", "")
        if answer.status not in (302, 303) or "error=" in location:
            raise SystemExit(f"MRBS add.php refused {values}: {answer.status} {location} {answer.text[:300]!r}")

    def _scalar(self, query: str, *parameters):
        with psycopg.connect(**self.database) as connection:
            return connection.execute(query, parameters).fetchone()[0]

    def load_entries(self, rows) -> int:
        """COPY bookings into mrbs_entry; rows are (area, room, start unix, end unix, title, awaiting approval, uid)."""
        count = 0
        with psycopg.connect(**self.database) as connection:
            with connection.cursor() as cursor, cursor.copy(f"COPY mrbs_entry ({', '.join(ENTRY_COLUMNS)}) FROM STDIN") as copy:
                for area, room, start, end, title, requested, uid in rows:
                    copy.write_row((
                        start, end, 0, self.room_ids[area, room], USER, USER, title[:80], "I", None,
                        AWAITING_APPROVAL if requested else 0, uid, 0,
                    ))
                    count += 1
            connection.commit()
        with psycopg.connect(**self.database, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
        return count

    def booking_form(self, client: WebClient, area_id: int, room_id: int, day) -> list[tuple[str, str]]:
        """The fields of edit_entry.php's form (its CSRF token included), as a browser opening it would send them."""
        page = client.get(f"/edit_entry.php?area={area_id}&room={room_id}&year={day.year}&month={day.month}&day={day.day}")
        _, fields = read_form(page.text, action="edit_entry_handler.php")
        return fields


def booking_fields(form: list[tuple[str, str]], room_id: int, day, start_seconds: int, end_seconds: int, title: str) -> list[tuple[str, str]]:
    """edit_entry.php's fields with the booking's own values put in: the POST a browser sends on "Save"."""
    own = {
        "start_date": day.isoformat(), "end_date": day.isoformat(), "start_seconds": str(start_seconds), "end_seconds": str(end_seconds),
        "name": title, "type": "I", "rooms[]": str(room_id),
    }
    fields = [(name, value) for name, value in form if name not in own and name != "save_button"]
    return fields + list(own.items()) + [("save_button", "save")]


def server_arguments(database_url: str) -> dict:
    """psycopg connection arguments of the server in a SQLAlchemy URL (host, port, user; no password: trust)."""
    match = re.match(r"postgresql\+psycopg://(?P<user>[^@:/]+)(?::[^@]*)?@(?P<host>[^:/]+):(?P<port>\d+)/", database_url)
    if not match:
        raise SystemExit(f"cannot read host, port and user from {database_url}")
    return {"host": match["host"], "port": int(match["port"]), "user": match["user"]}
