"""The floor under the service's reads: the bare app (benchmarks/bare_app.py, answers held in memory) plus
what any implementation of the service must do per request, and nothing of its HTTP layers (no key
check, argument parsing, flask-smorest or dumping).

- Always: the service's own request observability (service/api/observability.py: request id, the JSON
  log line and the metrics every request gets).
- With FLOOR_SQL=1, also the very SQL statements the service sends for each benchmarked read, recorded
  once at start by asking the service itself for FLOOR_PATHS, and replayed on each request with the
  same parameters (rows fetched, nothing built from them).

Each costs less than the real thing (one claim's rows stay cached), so a rate below a target here means
the target is out of reach of any view over these tables and statements; see README, Performance.

    BARE_DOCUMENTS=documents.json FLOOR_PATHS=paths.json DATABASE_URL=sqlite:///... FLOOR_SQL=1 \
        gunicorn --config gunicorn.conf.py 'benchmarks.floor_app:create_app()'
"""
import json
import os
import threading
from pathlib import Path

from flask import request

from service.api.observability import observe_requests

from . import bare_app, statements


def create_app():
    app = bare_app.create_app()
    observe_requests(app)
    if os.environ.get("FLOOR_SQL") == "1":
        path, reads = recorded_reads(json.loads(Path(os.environ["FLOOR_PATHS"]).read_text()))
        connections = threading.local()

        @app.before_request
        def read_as_the_service_does():
            if request.method != "GET":
                return
            if not hasattr(connections, "db"):
                connections.db = statements.connect(path)
            name = "search" if "q" in request.args else "list" if request.path == "/claims" else "get"
            statements.replay(connections.db, reads[name])

    return app


def recorded_reads(paths):
    """The database's path, and {name: the statements the service sends to answer that path, in order}."""
    from service import create_app as create_service
    from service.db import database

    service, sent = create_service(), []
    statements.record(database.obj, sent)
    client = service.test_client()
    reads = {}
    for name, path in paths.items():
        client.get(path)  # the first request of a thread connects and runs the pragmas: not a read
        sent.clear()
        assert client.get(path).status_code == 200, path
        reads[name] = list(sent)
    database.close()
    return database.obj.database, reads
