"""The service as the container starts it (bin/start: migrate, seed, gunicorn with gunicorn.conf.py),
on a free port, for tests that need a real server: several workers, signals, the start-up steps.

    with live_server(database_url, workers=3) as server:
        status, headers, body = server.request("POST", "/speakers", {"name": "Jane Doe"})
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START = ROOT / "bin" / "start"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    def __init__(self, url, process, log_path, environment):
        self.url, self.process, self.log_path, self.environment = url, process, log_path, environment

    def key(self, role="admin", owner=None):
        """An Authorization header for a new key, made with the CLI as an operator would."""
        made = subprocess.run(
            [str(Path(sys.executable).parent / "flask"), "--app", "service.app", "keys", "create",
             "--owner", owner or f"live-{role}", "--role", role],
            env=self.environment, cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
        )
        return {"Authorization": f"Bearer {made.stdout.strip().splitlines()[-1]}"}

    def request(self, method, path, body=None, headers=None):
        """(status, headers, parsed JSON or text) for one request; error statuses are answers too."""
        data = json.dumps(body).encode() if body is not None else None
        headers = {**({"Content-Type": "application/json"} if data else {}), **(headers or {})}
        req = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status, response.headers, _parsed(response)
        except urllib.error.HTTPError as error:
            return error.code, error.headers, _parsed(error)

    def import_file(self, path, key):
        """POST /import with the NDJSON file streamed from disk: its report (HTTPError if refused)."""
        request = urllib.request.Request(f"{self.url}/import", data=path.open("rb"), method="POST", headers={
            **key, "Content-Type": "application/x-ndjson", "Content-Length": str(path.stat().st_size)})
        with urllib.request.urlopen(request, timeout=300) as response:
            return json.load(response)

    def completed_import(self, path, key):
        """The report of an import that must succeed; on failure, what the server logged about it."""
        try:
            return self.import_file(path, key)
        except urllib.error.HTTPError as failed:
            logged = [line for line in self.log_lines() if line.get("level") in ("error", "critical")]
            raise AssertionError(f"import answered {failed.code}: {failed.read()[:2000]!r}; errors: {logged}")

    def log_lines(self):
        """Everything the service printed, one JSON object per line (fails on a line that is not)."""
        return [json.loads(line) for line in self.log_path.read_text().splitlines()]

    def interrupt(self):
        """Ctrl-C as a terminal sends it: SIGINT to every process of the server's group, master and workers."""
        os.killpg(self.process.pid, signal.SIGINT)

    def stop(self, timeout=40):
        """SIGTERM, as a container runtime sends it; the exit code once gunicorn has shut down."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def wait_until_ready(self, within):
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the service exited with {self.process.returncode}:\n{self.log_path.read_text()}")
            try:
                if self.request("GET", "/ready")[0] == 200:
                    return
            except OSError:  # not listening yet
                pass
            time.sleep(0.1)
        raise AssertionError(f"not ready within {within} s:\n{self.log_path.read_text()}")


def exported_claims(count, directory):
    """`count` claims as NDJSON, written by the service's own export from a generated database."""
    from benchmarks.generate import generate

    database = generate(count, directory / "source.db", progress=lambda line: None)
    path = directory / "claims.ndjson"
    subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "service.app", "export", "--out", str(path)],
                   cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"})
    return path


def _parsed(response):
    raw = response.read().decode()
    return json.loads(raw) if "json" in (response.headers.get("Content-Type") or "") else raw


TEST_CHECKPOINT_KEY = "IFbez4dUbpTRDRObuZz0acQehcskfpT83M59wLHFaoA="


@contextmanager
def live_server(database_url, *, workers=2, threads=1, seeds=False, env=None, ready_within=60, own_group=False):
    """Start bin/start on a free port and wait for /ready; stop it with SIGTERM afterwards. `own_group` starts it
    in a process group of its own, as a shell does a foreground job, for `interrupt`."""
    port = free_port()
    environment = {
        **{key: value for key, value in os.environ.items() if key != "PROMETHEUS_MULTIPROC_DIR"},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_THREADS": str(threads),
        "LOAD_SEEDS": "1" if seeds else "0",
        # PostgreSQL has no file beside it for a generated checkpoint key: sign with the tests' own
        **({} if database_url.startswith("sqlite") else {"CHECKPOINT_KEY": TEST_CHECKPOINT_KEY}),
        **(env or {}),
    }
    with tempfile.TemporaryDirectory(prefix="claimtrail-live-") as scratch:
        log_path = Path(scratch) / "service.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen([str(START)], env=environment, stdin=subprocess.DEVNULL,
                                       stdout=log, stderr=subprocess.STDOUT, process_group=0 if own_group else None)
        server = LiveServer(f"http://127.0.0.1:{port}", process, log_path, environment)
        try:
            server.wait_until_ready(ready_within)
            yield server
        finally:
            server.stop()
