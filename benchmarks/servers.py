"""The service and the bare app, each under gunicorn with the same settings, and their workers' memory."""
import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# Fixed for every run and both apps: gunicorn.conf.py reads these.
SETTINGS = {"WEB_CONCURRENCY": "2", "GUNICORN_THREADS": "4", "LOG_LEVEL": "info"}


def environment(**extra):
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    return {**env, "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}", **SETTINGS, **extra}


def make_key(database_url, role="checker"):
    """An Authorization header value for a new key, made with the CLI as an operator would."""
    made = subprocess.run([str(BIN / "flask"), "--app", "service.app", "keys", "create", "--owner", "benchmark",
                           "--role", role], env=environment(DATABASE_URL=database_url), cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return f"Bearer {made.stdout.strip().splitlines()[-1]}"


@contextmanager
def gunicorn(command, port, log_path, ready_path="/", **env):
    """Start `command` (which execs gunicorn with gunicorn.conf.py) and wait until `ready_path` answers."""
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=environment(PORT=str(port), HOST="127.0.0.1", **env),
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode}; see {log_path}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)


def service(database_url, port, log_path):
    """The service as it is deployed: bin/start (migrate, then gunicorn), without the seed article."""
    return gunicorn([str(ROOT / "bin" / "start")], port, log_path, ready_path="/ready",
                    DATABASE_URL=database_url, LOAD_SEEDS="0")


def bare_app(documents_path, port, log_path):
    return gunicorn([str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "benchmarks.bare_app:create_app()"],
                    port, log_path, ready_path="/claims", BARE_DOCUMENTS=str(documents_path))


def _workers(master):
    return Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()


def worker_peak_rss_mb(master):
    """The largest peak resident memory (VmHWM) among the master's worker processes, in MB."""
    peaks = []
    for pid in _workers(master):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks)


def workers_cpu_seconds(master):
    """The CPU time (user and system) the master's worker processes have used so far."""
    ticks = 0
    for pid in _workers(master):
        # the fields after the command name, which is in parentheses and may hold spaces
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")
