"""No double booking, ever: many simultaneous requests for one slot, through a real threaded HTTP server.

Each burst releases BURST threads at once (a barrier), each with its own connection, all asking for the same
slot. Exactly one wins; every other gets a 409 naming the time of the winner's session; the database holds one
session in the slot. The time bound is a sanity check only: it catches losers that end in deadlocks, each of
which costs PostgreSQL's 1 s deadlock timeout. How fast booking really is, is measured in bench/.

It runs on both databases. On PostgreSQL the losers wait for the per-room advisory lock and then find the slot
taken (a loser that only met the exclusion constraint could not name the winner's time). On SQLite the lock is a
write to the room's row as the transaction's first write, which takes SQLite's single writer lock; pysqlite waits
up to 5 s for it. Without the lock, SQLite books the slot several times in one burst.
"""
from datetime import datetime, time, timedelta
import http.client
import json
import threading
import time as clock

import pytest
import sqlalchemy as sa
from werkzeug.serving import WSGIRequestHandler, make_server

from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.bookings.models import OCCUPYING, Occurrence

from conftest import monday_in

BURST = 20
BURSTS = 3
# Losers ending in deadlocks would take 1 s each, one after the other: a burst of 20 would need about 19 s.
DEADLOCK_FREE_SECONDS = 10


class _QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        pass


@pytest.fixture
def server(app):
    """The app served by werkzeug with a thread per request, as in production. Requests beyond the SQLAlchemy
    pool (5 connections and 10 overflow by default) wait in the pool's queue: that is part of what is tested."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=httpd.serve_forever, name="bibnet-burst-server", daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    thread.join(timeout=10)
    httpd.server_close()


def burst(port: int, path: str, headers: dict, body: dict) -> tuple[list[tuple[int, dict]], float]:
    """POST `body` BURST times at once, one connection per thread. The responses, and the seconds the burst took."""
    barrier = threading.Barrier(BURST + 1)
    responses: list = [None] * BURST

    def ask(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.connect()  # before the barrier: the race is between the requests, not the TCP handshakes
        barrier.wait()
        try:
            connection.request("POST", path, body=json.dumps(body), headers={**headers, "Content-Type": "application/json"})
            response = connection.getresponse()
            responses[number] = (response.status, json.loads(response.read() or b"null"))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(number,)) for number in range(BURST)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = clock.monotonic()
    for thread in threads:
        thread.join(timeout=120)
    return responses, clock.monotonic() - started


def test_of_simultaneous_requests_for_one_slot_exactly_one_wins_fast(world, make_room, server):
    room = make_room(world.jelgava)
    secret = issue_api_token(world.staff, "burst")
    db.session.commit()  # and hold no transaction open while the requests run
    headers = {"Authorization": f"Bearer {secret}"}
    for number in range(BURSTS):
        day = monday_in(2) + timedelta(days=number)
        body = {"room_id": room.id, "activity": "club", "title": "Club", "first_date": day.isoformat(), "start_time": "10:00", "end_time": "11:00"}

        responses, seconds = burst(server, "/api/v1/tenants/jelgava/bookings", headers, body)

        statuses = sorted(status for status, _ in responses)
        assert statuses == [201] + [409] * (BURST - 1), [payload for status, payload in responses if status not in (201, 409)]
        (winner,) = [payload for status, payload in responses if status == 201]
        for status, payload in responses:
            if status == 409:
                (conflict,) = payload["conflicts"]
                assert (conflict["reason"], conflict["taken_from"], conflict["taken_until"]) == ("taken", winner["occurrences"][0]["starts_at"], winner["occurrences"][0]["ends_at"])
                assert datetime.fromisoformat(conflict["taken_from"]).time() == time(10)
        with tenant_scope(world.jelgava):
            holding = db.session.scalar(
                sa.select(sa.func.count()).select_from(Occurrence).where(Occurrence.room_id == room.id, Occurrence.status.in_(OCCUPYING))
            )
        db.session.commit()
        assert holding == number + 1, "one session per burst holds the room"
        assert seconds < DEADLOCK_FREE_SECONDS, f"burst {number + 1} took {seconds:.1f} s"
