"""A PostgreSQL server of a test's own, in a temporary folder, that the test may stop, kill and restart:
initdb and pg_ctl of the machine's PostgreSQL (as the postgres user when run as root, which initdb refuses)."""
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from tests.live_server import free_port

SEARCH = [os.environ.get("PG_BIN", ""), "/usr/lib/postgresql/15/bin", "/usr/local/bin"]


def _tool(name):
    for folder in SEARCH:
        if folder and (Path(folder) / name).exists():
            return str(Path(folder) / name)
    return shutil.which(name)


class Cluster:
    def __init__(self, folder, port):
        self.folder, self.port = folder, port
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def _run(self, *args, check=True):
        command = [_tool("pg_ctl"), *args, "-D", str(self.folder / "data")]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=60)

    def start(self):
        self._run("start", "-w", "-l", str(self.folder / "server.log"),
                  "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off")

    def stop(self, mode="fast"):
        self._run("stop", "-w", "-m", mode, check=False)

    def running(self):
        try:
            psycopg.connect(self.url, connect_timeout=1).close()
            return True
        except psycopg.OperationalError:
            return False


@contextmanager
def throwaway_postgres():
    if not (_tool("initdb") and _tool("pg_ctl")):
        pytest.skip("PostgreSQL's initdb and pg_ctl are not installed")
    folder = Path(tempfile.mkdtemp(prefix="claimtrail-pg-"))
    try:
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        command = [_tool("initdb"), "-D", str(folder / "data"), "-U", "postgres", "-A", "trust", "--no-sync"]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)
        cluster = Cluster(folder, free_port())
        cluster.start()
        try:
            yield cluster
        finally:
            cluster.stop("immediate")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def wait_until(condition, within, step=0.05):
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(step)
