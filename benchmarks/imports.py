"""Bulk import speed: claims per second through `flask --app service import`, when the service has it.

The NDJSON comes from the service's own export of a generated database, and is imported into a new,
migrated, empty one, timed from the command's start to its exit.
"""
import os
import re
import subprocess
import time

from .generate import CACHE_DIR, cached
from .servers import BIN, ROOT, environment

IMPORT_CLAIMS = 100_000


def _flask(database, *arguments, **options):
    return subprocess.run([str(BIN / "flask"), "--app", "service", *arguments], cwd=ROOT,
                          env=environment(DATABASE_URL=f"sqlite:///{database}"), capture_output=True, text=True,
                          **options)


def import_rate():
    """{"claims", "seconds", "rate"}, or None while the service has no import command."""
    if _flask(CACHE_DIR / "probe.db", "import", "--help").returncode != 0:
        return None
    ndjson = CACHE_DIR / f"import-{IMPORT_CLAIMS}.ndjson"
    if not ndjson.exists():
        _flask(cached(IMPORT_CLAIMS), "export", "--out", str(ndjson), check=True)
    target = CACHE_DIR / "import.db"
    for old in (target, f"{target}-wal", f"{target}-shm"):
        if os.path.exists(old):
            os.remove(old)
    _flask(target, "migrate", check=True)
    started = time.perf_counter()
    done = _flask(target, "import", str(ndjson), check=True)
    seconds = time.perf_counter() - started
    created = int(re.search(r"(\d+) created", done.stdout).group(1))
    return {"claims": created, "seconds": seconds, "rate": created / seconds}
