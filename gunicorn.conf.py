"""gunicorn's settings, from the environment (README.md lists every variable and its default).

make run, the container and the tests all start gunicorn through bin/start, with this file.
"""
import glob
import json
import os
import shutil
import signal
import sys
import tempfile

# gevent's worker patches the standard library when it starts, but the service is imported below, in the
# master: patched first, the locks and thread-locals it makes at import are gevent's, as in the workers.
WORKER_CLASS = os.environ.get("GUNICORN_WORKER_CLASS") or "gevent"
if WORKER_CLASS == "gevent":
    from gevent import monkey

    monkey.patch_all()

from gunicorn import util  # noqa: E402  (after patching)

# Each worker counts its requests in files here and a scrape adds them up (service/metrics.py).
# prometheus_client reads this when first imported, so it is set before anything imports the app.
METRICS_DIR_IS_OURS = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if METRICS_DIR_IS_OURS:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="claimtrail-metrics-")
METRICS_DIR = os.environ["PROMETHEUS_MULTIPROC_DIR"]

from prometheus_client import multiprocess  # noqa: E402  (after the variable above)

from service.logs import logging_config  # noqa: E402

bind = os.environ.get("BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2)
# gevent: a connection waiting on a slow client is a paused greenlet, not one of a few threads, and
# service/buffering.py reads bodies and spools streamed responses whole so it holds no database connection
# meanwhile (psycopg waits cooperatively under gevent). "gthread" brings back threads per worker.
worker_class = WORKER_CLASS
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS") or 1000)  # gevent: connections a worker holds
threads = int(os.environ.get("GUNICORN_THREADS") or 4)  # gthread only
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)  # a worker silent this long is replaced
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT") or 30)  # on SIGTERM, for requests in flight
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE") or 5)
control_socket_disable = True  # gunicorn 27 would make one under ~/.gunicorn, which fails in containers
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # heartbeats off a slow container disk
accesslog = None  # the app logs each request itself, as JSON with its request id
# gunicorn answers a request line over 4 KiB itself, with an HTML page. Let lines up to its hard cap of 1 MiB
# through, so that an over-long query value gets the service's own problem response (422) like any bad value.
limit_request_line = 0
loglevel = os.environ.get("LOG_LEVEL") or "info"
logconfig_dict = logging_config(loglevel)


def on_starting(server):
    """Counts left by an earlier server in the same directory would be added to ours."""
    for path in glob.glob(os.path.join(METRICS_DIR, "*.db")):
        os.remove(path)


def post_worker_init(worker):
    """Slow clients' bodies and streamed responses are buffered here, in the deployment, not in the app.

    A worker's quick shutdown (SIGINT from Ctrl-C, which reaches the whole process group, then SIGQUIT from
    the master) ends it at once. gunicorn's own handler shuts its thread pool down from the signal handler: a
    signal landing while the pool's lock is held (a connection being handed to a thread, or the first signal's
    shutdown) deadlocks until graceful_timeout's SIGKILL, and sys.exit then waits on threads still waiting for a
    browser's idle connection. SIGTERM, the graceful shutdown a container gets, is left to gunicorn."""
    from service.buffering import BufferSlowClients
    from service.config import Config

    worker.wsgi = BufferSlowClients(worker.wsgi, Config().max_request_bytes)

    def quit_now(signum, frame):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    signal.signal(signal.SIGINT, quit_now)
    signal.signal(signal.SIGQUIT, quit_now)


def worker_int(worker):
    """gunicorn's own quick shutdown, where it still runs (a gevent worker hands the signal to a greenlet,
    whose sys.exit then surfaces as a traceback at interpreter exit): end the worker at once, quietly."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def child_exit(server, worker):
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if METRICS_DIR_IS_OURS:
        shutil.rmtree(METRICS_DIR, ignore_errors=True)


def write_problem(sock, status_int, reason, mesg):
    """gunicorn answers a request it cannot parse (a broken request line, headers too many or too large)
    itself, before the app sees it, with an HTML page: send the service's problem document instead."""
    kind = "urn:claimtrail:problem:" + "-".join(reason.lower().split())  # as service/api/problems.py names them
    body = json.dumps({"type": kind, "title": reason, "status": status_int, "detail": mesg}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/problem+json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin1") + body)


util.write_error = write_problem  # gunicorn's workers look it up at each error
