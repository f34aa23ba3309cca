"""PostgreSQL failing under a live server: backends killed mid-request, a restart, its disk full. Each request
answers 503 (507 for the full disk) with Retry-After while the database cannot serve it, never 500, and the next
ones get fresh connections."""
import random
import shutil
import string
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import peewee
import psycopg
import pytest

from service.errors import Unavailable
from service.store.db import IO_ERROR, _note_write_outcome, _PostgresWrite, database_fault, unwritable_because
from tests.live_server import live_server
from tests.small_disk import fill, small_disk
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


@pytest.fixture
def postgres_on_a_small_disk():
    """(a PostgreSQL of the test's own whose tables are created on an 8 MiB filesystem, that filesystem).

    Only a tablespace lives there, the default of the service's tables: PostgreSQL's WAL stays on the machine's
    disk, for PostgreSQL stops the whole server (PANIC) when it cannot write its WAL.
    """
    with tempfile.TemporaryDirectory(prefix="claimtrail-disk-") as scratch:
        shutil.chown(scratch, "postgres", "postgres")  # the server, run as postgres, must reach the tablespace
        with small_disk(Path(scratch) / "disk") as disk, throwaway_postgres() as cluster:
            (disk / "tablespace").mkdir()
            for folder in (disk, disk / "tablespace"):
                shutil.chown(folder, "postgres", "postgres")
            with psycopg.connect(cluster.url, autocommit=True) as admin:
                admin.execute(f"CREATE TABLESPACE small LOCATION '{disk / 'tablespace'}'")
                admin.execute("ALTER DATABASE postgres SET default_tablespace = small")
            yield cluster, disk


def claim_in_random_words(source, words):
    """A claim of a thousand characters and five tags of random words: a page holds only a few of them."""
    def text(length):
        return " ".join("".join(words.choices(string.ascii_lowercase, k=9)) for _ in range(length // 10))
    return {"text": text(1000), "tags": [text(50) for _ in range(5)],
            "appearance": {"source_id": source["id"], "sentence_index": 0}}


def test_on_a_full_disk_writes_answer_507_ready_says_unwritable_nothing_is_half_written_and_all_recovers(
        postgres_on_a_small_disk):
    cluster, disk = postgres_on_a_small_disk
    words = random.Random(7)
    with live_server(cluster.url, workers=1) as server:
        editor, admin = server.key("editor"), server.key("admin")
        source = server.request("POST", "/sources", {"title": "t", "text": "Crime fell by 10 percent."}, editor)[2]
        created = [server.request("POST", "/claims", claim_in_random_words(source, words), editor) for _ in range(3)]
        assert [status for status, _, _ in created] == [201] * 3
        events_before = server.request("GET", "/audit/verify", headers=admin)[2]["events_checked"]

        filler = fill(disk)
        # A write goes on into the room its tables' pages have left, and fails at the first that needs a new
        # page: which of its rows that is (the claim's, its search entry's, its audit event's) varies with sizes.
        for _ in range(200):
            status, headers, answer = server.request("POST", "/claims", claim_in_random_words(source, words), editor)
            if status != 201:
                break
            created.append((status, headers, answer))
        assert (status, answer["type"]) == (507, "urn:claimtrail:problem:insufficient-storage"), [
            str(line)[-1500:] for line in server.log_lines() if line.get("level") in ("error", "warning")]
        assert headers["Content-Type"] == "application/problem+json" and headers["Retry-After"]

        status, _, listed = server.request("GET", "/claims?limit=100")
        assert status == 200
        assert sorted(claim["id"] for claim in listed["items"]) == sorted(claim["id"] for _, _, claim in created)
        assert server.request("GET", f"/claims/{created[0][2]['id']}")[0] == 200
        status, _, ready = server.request("GET", "/ready")
        assert status == 503 and "disk is full" in ready["detail"]
        chain = server.request("GET", "/audit/verify", headers=admin)[2]
        # The chain holds, with one event more for each create answered 201, and every claim matches its event.
        assert (chain["valid"], chain["events_checked"], chain["resources_checked"], chain["mismatches"]) == (
            True, events_before + len(created) - 3, len(created), [])

        filler.unlink()
        assert server.request("POST", "/claims", claim_in_random_words(source, words), editor)[0] == 201
        assert server.request("GET", "/ready")[0] == 200


def test_an_io_error_on_postgresqls_disk_answers_503_and_ready_says_the_disk_failed():
    # Nothing here fails a read on demand (no device-mapper, no FUSE), so the driver's error for one stands in.
    error = psycopg.errors.IoError('could not read block 0 in file "base/5/16407": Input/output error')
    for raised in (error, peewee.OperationalError(error)):  # from the driver's executemany, and through peewee
        fault = database_fault(raised)
        assert (type(fault), fault.detail, fault.headers) == (Unavailable, IO_ERROR, {"Retry-After": "30"})
    try:
        _note_write_outcome(error)
        assert unwritable_because() == IO_ERROR
    finally:
        _note_write_outcome(None)
