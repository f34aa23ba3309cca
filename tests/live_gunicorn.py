"""The service under gunicorn on a free local port, as deployed: for tests that talk HTTP from outside."""
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the virtualenv's bin, where flask and gunicorn are installed
START_TIMEOUT = 30


@dataclass(frozen=True)
class LiveServer:
    url: str
    admin_key: str


def flask(database_url, *args):
    """`flask --app service ARGS` against database_url, as an operator would run it; its output."""
    return subprocess.run(
        [BIN / "flask", "--app", "service", *args], cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True, text=True, check=True,
    ).stdout


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(server, log, url):
    """True once this gunicorn has bound its port and answers /health; False if it exited (port taken)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        # Only our own gunicorn's log says it bound the port: a stranger on the port is never mistaken for it.
        if "Listening at" in log.read_text():
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                    if response.status == 200:
                        return True
        time.sleep(0.1)
    raise TimeoutError(f"gunicorn did not answer within {START_TIMEOUT}s:\n{log.read_text()}")


@contextlib.contextmanager
def live_gunicorn(database_url, log_dir, attempts=3):
    """Migrate database_url, make an admin key, serve it with two workers; yields a LiveServer."""
    flask(database_url, "migrate")
    key = flask(database_url, "keys", "create", "--owner", "live-test", "--role", "admin").splitlines()[-1]
    for attempt in range(attempts):
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        log = Path(log_dir) / f"gunicorn-{attempt}.log"
        with open(log, "w") as log_file:
            server = subprocess.Popen(
                [BIN / "gunicorn", "--no-control-socket", "-w", "2", "-b", f"127.0.0.1:{port}", "service:create_app()"],
                cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url}, stdout=log_file, stderr=log_file,
            )
        try:
            if _wait_until_serving(server, log, url):
                yield LiveServer(url, key)
                return
        finally:
            server.terminate()
            server.wait(timeout=30)
    raise RuntimeError(f"gunicorn could not bind a free port in {attempts} attempts:\n{log.read_text()}")
