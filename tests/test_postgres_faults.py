"""PostgreSQL failing under a live server: backends killed mid-request and a restart. Each request answers
503 with Retry-After while the database cannot serve it, never 500, and the next ones get fresh connections."""
import threading
import time
from collections import Counter

import psycopg
import pytest

from service.store.db import _PostgresWrite
from tests.live_server import live_server
from tests.throwaway_postgres import throwaway_postgres, wait_until

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def served():
    """(a PostgreSQL of the module's own, the service on it with one gevent worker, an editor's key)."""
    with throwaway_postgres() as cluster, live_server(cluster.url, workers=1) as server:
        yield cluster, server, server.key("editor")


# Where a write can be made to wait, so that its connection is killed mid-request: (what the test holds, what the
# service's waiting statement starts with). Rows are inserted with the driver's executemany, whose errors peewee
# does not translate into its own.
WAITS = {
    "at-the-write-lock": (f"SELECT pg_advisory_xact_lock({_PostgresWrite.AUDIT_LOCK})", "SELECT set_config("),
    "inserting-its-rows": ("LOCK TABLE speaker IN SHARE MODE", 'INSERT INTO "speaker"'),
}


def waiting_writer(admin, holder_pid, statement):
    """The backend of the service's write waiting for a lock the test holds, once it waits."""
    row = admin.execute("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> %s "
                        "AND starts_with(query, %s)", (holder_pid, statement)).fetchone()
    return row[0] if row else None


@pytest.mark.parametrize("waits", WAITS.values(), ids=WAITS.keys())
def test_a_write_whose_connection_is_killed_answers_503_and_later_requests_succeed(served, waits):
    cluster, server, editor = served
    hold, statement = waits
    answers = []
    with psycopg.connect(cluster.url, autocommit=True) as admin:
        for attempt in range(10):  # more than the worker's pool holds: no connection may leak
            with psycopg.connect(cluster.url) as holder:
                holder.execute(hold)
                writer = threading.Thread(target=lambda: answers.append(
                    server.request("POST", "/speakers", {"name": f"Waiting {attempt}"}, editor)))
                writer.start()
                pid = None

                def found():
                    nonlocal pid
                    pid = waiting_writer(admin, holder.info.backend_pid, statement)
                    return pid

                wait_until(found, within=10)
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
                writer.join(30)
    assert [status for status, _, _ in answers] == [503] * 10
    assert all(headers["Retry-After"] for _, headers, _ in answers)
    after = [server.request(*call)[0] for _ in range(10) for call in (
        ("GET", "/health"), ("GET", "/ready"), ("GET", "/speakers"),
        ("POST", "/speakers", {"name": "After the kills"}, editor))]
    assert after == [200, 200, 200, 201] * 10


def test_while_postgresql_restarts_requests_answer_503_with_retry_after_then_succeed(served):
    cluster, server, editor = served
    seen, stop = [], threading.Event()

    def keep_asking():
        for number in range(2000):  # bounded: the restart takes a few seconds
            if stop.is_set():
                return
            call = ("GET", "/speakers") if number % 2 else ("POST", "/speakers", {"name": f"During {number}"}, editor)
            status, headers, _ = server.request(*call)
            seen.append((time.monotonic(), status, headers.get("Retry-After")))

    asking = threading.Thread(target=keep_asking)
    asking.start()
    try:
        time.sleep(0.5)
        cluster.stop("fast")
        time.sleep(2)
        cluster.start()
        back = time.monotonic()
        time.sleep(2)
    finally:
        stop.set()
        asking.join(60)
    statuses = {status for _, status, _ in seen}
    assert statuses <= {200, 201, 503}, Counter(status for _, status, _ in seen)
    assert 503 in statuses, "no request landed while the database was down"
    assert all(retry for _, status, retry in seen if status == 503)
    settled = [status for at, status, _ in seen if at > back + 1]
    assert settled and set(settled) <= {200, 201}, Counter(settled)
