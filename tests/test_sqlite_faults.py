"""SQLite failing under a live server: its write lock held by another process, its disk full. Writes answer
503 or 507 with Retry-After instead of 500, reads go on meanwhile, and /ready says the database is unwritable."""
import sqlite3
import threading
import time

import pytest

from tests.live_server import live_server
from tests.small_disk import fill, small_disk


def timed(server, *call):
    started = time.monotonic()
    status, headers, _ = server.request(*call)
    return status, headers.get("Retry-After"), time.monotonic() - started


def test_while_another_process_holds_the_write_lock_writes_answer_503_and_reads_go_on(tmp_path):
    path = tmp_path / "claimtrail.db"
    with live_server(f"sqlite:///{path}", workers=1, env={"WRITE_LOCK_TIMEOUT": "1"}) as server:
        editor = server.key("editor")
        status, _, speaker = server.request("POST", "/speakers", {"name": "Jane Doe"}, editor)
        assert status == 201
        holder = sqlite3.connect(path, isolation_level=None)  # as an sqlite3 shell or a backup would
        holder.execute("BEGIN IMMEDIATE")
        try:
            writes = []
            writers = [threading.Thread(target=lambda n=n: writes.append(
                timed(server, "POST", "/speakers", {"name": f"Writer {n}"}, editor))) for n in range(4)]
            for writer in writers:
                writer.start()
            time.sleep(0.2)  # the writers are waiting for the lock now
            reads = [timed(server, "GET", f"/speakers/{speaker['id']}") for _ in range(5)]
            for writer in writers:
                writer.join(30)
        finally:
            holder.rollback()
            holder.close()
        assert [(status, retry) for status, retry, _ in writes] == [(503, "2")] * 4
        assert max(took for *_, took in writes) < 3
        assert [status for status, *_ in reads] == [200] * 5
        assert max(took for *_, took in reads) < 0.5, reads
        assert server.request("POST", "/speakers", {"name": "After the lock"}, editor)[0] == 201


@pytest.fixture
def disk(tmp_path):
    """An 8 MiB filesystem of the test's own, for the database file."""
    with small_disk(tmp_path / "disk") as disk:
        yield disk


def test_on_a_full_disk_writes_answer_507_ready_says_unwritable_and_reads_go_on(disk):
    with live_server(f"sqlite:///{disk / 'claimtrail.db'}", workers=1) as server:
        editor = server.key("editor")
        assert server.request("GET", "/ready")[0] == 200
        filler = fill(disk)
        big = {"title": "A long article", "text": "Exports rose 12 percent in 2023. " * 20000}
        status, headers, problem = server.request("POST", "/sources", big, editor)
        assert (status, problem["type"]) == (507, "urn:claimtrail:problem:insufficient-storage"), [
            str(line)[-1500:] for line in server.log_lines() if line.get("level") in ("error", "warning")]
        assert headers["Retry-After"]
        status, _, problem = server.request("GET", "/ready")
        assert status == 503 and "cannot take writes" in problem["detail"]
        assert server.request("GET", "/speakers")[0] == 200

        filler.unlink()
        assert server.request("GET", "/ready")[0] == 200
        assert server.request("POST", "/sources", big, editor)[0] == 201
