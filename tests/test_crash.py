"""A server killed with SIGKILL in the middle of a bulk import loses nothing and half-writes nothing:
after a restart the database checks out, every claim is whole, the audit chain verifies, and running
the same import again finishes it with exactly the expected counts."""
import os
import signal
import threading
import time
from pathlib import Path

import psycopg
import pytest

from tests.live_server import exported_claims, live_server

CLAIMS = 1500


@pytest.fixture(scope="module")
def import_file(tmp_path_factory):
    return exported_claims(CLAIMS, tmp_path_factory.mktemp("crash"))


def count(database_url, sql):
    """One number from the database, read directly rather than through the service."""
    if database_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql).fetchone()[0]
    with psycopg.connect(database_url) as conn:
        return conn.execute(sql).fetchone()[0]


def kill_gunicorn(master_pid):
    """SIGKILL the master and its workers at once, as a power cut would: nobody gets to clean up."""
    workers = [int(p) for p in os.listdir("/proc") if p.isdigit() and _parent(p) == master_pid]
    for pid in [master_pid, *workers]:
        os.kill(pid, signal.SIGKILL)


def _parent(pid):
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def test_sigkill_during_an_import_loses_nothing_and_the_rerun_completes_it(empty_database_url, import_file):
    # The deployed worker (gevent): its heartbeat goes on during a long import, which gives way between the
    # blocks it reads (a sync worker is killed after GUNICORN_TIMEOUT however busy it is).
    with live_server(empty_database_url, workers=1, threads=2) as server:
        editor = server.key("editor")
        interrupted = threading.Thread(target=lambda: _ignore_errors(server.import_file, import_file, editor))
        interrupted.start()
        deadline = time.monotonic() + 60
        while count(empty_database_url, "SELECT count(*) FROM claim") == 0:
            assert time.monotonic() < deadline, "the import never committed a batch"
            time.sleep(0.02)
        kill_gunicorn(server.process.pid)
        interrupted.join(timeout=60)
    kept = count(empty_database_url, "SELECT count(*) FROM claim")
    assert 0 < kept < CLAIMS, "the kill should have landed in the middle of the import"

    with live_server(empty_database_url, workers=1, threads=2) as server:
        if empty_database_url.startswith("sqlite"):
            assert count(empty_database_url, "PRAGMA integrity_check") == "ok"
            assert count(empty_database_url, "SELECT count(*) FROM pragma_foreign_key_check") == 0
        # Whole claims only: each has its appearance, its search entry and its import event.
        assert count(empty_database_url, "SELECT count(*) FROM claim c WHERE NOT EXISTS "
                                         "(SELECT 1 FROM appearance a WHERE a.claim_id = c.id)") == 0
        search_table = "claim_fts" if empty_database_url.startswith("sqlite") else "claim_search"
        assert count(empty_database_url, f"SELECT count(*) FROM {search_table}") == kept
        assert count(empty_database_url, "SELECT count(*) FROM audit_event WHERE resource_type = 'claim' "
                                         "AND action = 'import'") == kept
        assert server.request("GET", "/audit/verify", headers=server.key("admin"))[2]["valid"] is True

        report = server.completed_import(import_file, server.key("editor"))
        assert (report["lines"], report["created"], report["unchanged"], report["rejected"]) == (
            CLAIMS, CLAIMS - kept, kept, 0)
        assert count(empty_database_url, "SELECT count(*) FROM claim") == CLAIMS
        assert server.request("GET", "/audit/verify", headers=server.key("admin"))[2]["valid"] is True


def _ignore_errors(call, *args):
    """The interrupted request dies with the server; that is the point, not a failure."""
    try:
        call(*args)
    except OSError:
        pass
