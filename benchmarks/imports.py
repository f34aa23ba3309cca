"""Bulk import speed: claims per second through `flask --app service.app import`, and SQLite's own share of it.

The NDJSON comes from the service's own export of a generated database, and is imported into a new,
migrated, empty one, timed from the command's start to its exit. SQLite's share: the same import run in
this process with every statement recorded as sent, then those statements replayed, timed, into another
new database with no Python around them.
"""
import os
import re
import subprocess
import time

from . import statements
from .generate import CACHE_DIR, cached
from .servers import BIN, ROOT, environment

IMPORT_CLAIMS = 100_000


def _flask(database, *arguments, **options):
    return subprocess.run([str(BIN / "flask"), "--app", "service.app", *arguments], cwd=ROOT,
                          env=environment(DATABASE_URL=f"sqlite:///{database}"), capture_output=True, text=True,
                          **options)


def _new_database(path):
    for old in (path, f"{path}-wal", f"{path}-shm"):
        if os.path.exists(old):
            os.remove(old)
    _flask(path, "migrate", check=True)
    return path


def _created(summary):
    return int(re.search(r"(\d+) created", summary).group(1))


def _ndjson():
    ndjson = CACHE_DIR / f"import-{IMPORT_CLAIMS}.ndjson"
    if not ndjson.exists():
        _flask(cached(IMPORT_CLAIMS), "export", "--out", str(ndjson), check=True)
    return ndjson


def import_rate():
    """{"claims", "seconds", "rate"} of the import command."""
    ndjson, target = _ndjson(), _new_database(CACHE_DIR / "import.db")
    started = time.perf_counter()
    done = _flask(target, "import", str(ndjson), check=True)
    seconds = time.perf_counter() - started
    created = _created(done.stdout)
    return {"claims": created, "seconds": seconds, "rate": created / seconds}


def sqlite_share():
    """{"claims", "seconds", "rate"} of the import's statements replayed alone: the most SQLite allows."""
    created, seconds = replay_import(_ndjson(), CACHE_DIR / "import-recorded.db", CACHE_DIR / "import-replayed.db")
    return {"claims": created, "seconds": seconds, "rate": created / seconds}


def replay_import(ndjson, recorded, replayed):
    """Import `ndjson` in this process into a new database at `recorded`, recording every statement sent,
    then send those alone to a new database at `replayed`: (claims created, seconds the replay took)."""
    from service.app import create_app
    from service.config import Config
    from service.db import database

    app = create_app(Config(database_url=f"sqlite:///{_new_database(recorded)}"))
    sent = []
    statements.record(database.obj, sent)
    done = app.test_cli_runner().invoke(args=["import", str(ndjson)])
    database.close()
    target = statements.connect(_new_database(replayed))
    started = time.perf_counter()
    statements.replay(target, sent)
    seconds = time.perf_counter() - started
    target.close()
    return _created(done.output), seconds
