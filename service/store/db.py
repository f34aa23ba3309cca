"""The one database handle. Models bind to the proxy; the app factory picks the real database."""
import fcntl
import logging
import os
import threading
import time
from urllib.parse import urlparse

from peewee import DatabaseProxy, OperationalError, PostgresqlDatabase, SqliteDatabase, chunked
from playhouse.db_url import parse as parse_database_url
from playhouse.pool import MaxConnectionsExceeded, PooledPostgresqlDatabase

from ..clock import one_instant
from ..errors import Unavailable

database = DatabaseProxy()
log = logging.getLogger(__name__)

# WAL lets readers go on while one writer writes; foreign keys are off in SQLite unless asked.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
    "cache_size": -16000,
    # A checkpoint copies the WAL into the database and syncs both, in whichever commit crosses this many
    # pages: at SQLite's default of 1,000 it came every few dozen status changes and slowed their commits.
    "wal_autocheckpoint": 10000,
    "journal_size_limit": 64 * 1024 * 1024,  # the WAL file is cut back to this after a checkpoint
}


def open_database(url, pool_size=8):
    """Build a peewee database from a URL: sqlite:///relative/path, sqlite:////abs/path or postgresql://
    (libpq parameters in the query string); playhouse.db_url reads the URL."""
    scheme = urlparse(url).scheme
    if scheme not in ("sqlite", "postgres", "postgresql"):
        raise ValueError(f"unsupported DATABASE_URL scheme {scheme!r}: use sqlite:/// or postgresql://")
    kwargs = parse_database_url(url, unquote_user=True, unquote_password=True)
    if scheme == "sqlite":
        path = kwargs.pop("database")
        if path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        return SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=10, **kwargs)
    kwargs.setdefault("connect_timeout", 5)  # an unreachable host fails fast instead of hanging a worker
    if pool_size:
        return PooledPostgresqlDatabase(max_connections=pool_size, stale_timeout=300, timeout=10, **kwargs)
    return PostgresqlDatabase(**kwargs)


def connect_for_request(attempts=3, pause=0.2):
    """Open this thread's connection (taken from the pool on PostgreSQL) before a request runs.

    This is the one place that retries: nothing has been sent on the connection yet, so trying
    again cannot repeat anything. Queries and writes are never retried.
    """
    for attempt in range(1, attempts + 1):
        try:
            database.connect(reuse_if_open=True)
            return
        except MaxConnectionsExceeded as exc:  # the pool already waited for a free connection
            raise Unavailable("every database connection is busy; try again shortly",
                              headers={"Retry-After": "1"}) from exc
        except OperationalError as exc:
            log.warning("database connection failed (attempt %d of %d): %s", attempt, attempts, exc)
            if attempt == attempts:
                raise Unavailable("the database is not reachable; try again shortly",
                                  headers={"Retry-After": "5"}) from exc
            time.sleep(pause * attempt)


def release_after_request():
    """Hand a PostgreSQL connection back to the pool; keep this thread's SQLite connection open.

    An SQLite connection is a file handle plus its own page cache and parsed schema: opening one per
    request ran the pragmas, re-read the schema and started with a cold cache every time, which
    cost more than a small read itself. gunicorn's threads live long, so each keeps one connection.
    """
    if is_postgres() and not database.is_closed():
        database.close()


def is_postgres():
    return isinstance(database.obj, PostgresqlDatabase)


def write_transaction():
    """A transaction for a write: one writer at a time, so the audit chain never forks.

    SQLite takes its write lock up front (BEGIN IMMEDIATE) instead of failing to upgrade a read
    lock later; PostgreSQL takes a transaction-scoped advisory lock.
    """
    db = database.obj
    if isinstance(db, PostgresqlDatabase):
        return _PostgresWrite(db)
    return _SqliteWrite(db)


class _SqliteWrite:
    """BEGIN IMMEDIATE, entered by one writer at a time across this host's processes.

    Writers that find SQLite's write lock taken wait in its busy handler, which sleeps in growing
    steps and so leaves the lock idle after it is freed, which under load made the slowest writes very
    slow. Here they queue on a thread lock and an flock on a file beside the
    database, which wake the next writer as soon as the last is done; anything else that writes
    (another tool) still meets the busy handler, so correctness never rests on these locks.
    """

    _turn = threading.RLock()
    _depth = threading.local()
    _files = {}

    def __init__(self, db):
        self.db = db
        self.txn = db.atomic("IMMEDIATE")

    def _lock_file(self):
        path = self.db.database
        if path not in self._files:
            self._files[path] = os.open(f"{path}-writers", os.O_RDWR | os.O_CREAT, 0o644)
        return self._files[path]

    def __enter__(self):
        self._turn.acquire()
        depth = getattr(self._depth, "value", 0)
        self._depth.value = depth + 1
        try:
            if depth == 0:
                fcntl.flock(self._lock_file(), fcntl.LOCK_EX)
            entered = self.txn.__enter__()
            # taken once the lock is held, so times follow the order of the audit log
            self.instant = one_instant()
            self.instant.__enter__()
            return entered
        except BaseException:
            self._leave()
            raise

    def __exit__(self, *exc):
        try:
            self.instant.__exit__(*exc)
            return self.txn.__exit__(*exc)
        finally:
            self._leave()

    def _leave(self):
        self._depth.value -= 1
        if self._depth.value == 0:
            fcntl.flock(self._lock_file(), fcntl.LOCK_UN)
        self._turn.release()


IN_LIMIT = 5000  # values in one IN (...): well under SQLite's and PostgreSQL's limits on parameters


def insert_all(model, rows, batch=500):
    """Insert many rows (dicts by field name), a few hundred to a statement: one row each would be
    a statement each, and all in one would pass the databases' limits on parameters."""
    for part in chunked(rows, batch):
        model.insert_many(part).execute()


def for_driver(sql):
    """SQL written with ? placeholders (the search module's own), as this database's driver takes it."""
    return sql.replace("?", "%s") if is_postgres() else sql


def read_snapshot():
    """A transaction for a long read (an export, a feed): every page sees the data as it was at the start.

    SQLite's deferred transaction takes its snapshot at the first read (WAL keeps it while writers go on);
    PostgreSQL needs REPEATABLE READ for one snapshot across statements.
    """
    db = database.obj
    if isinstance(db, PostgresqlDatabase):
        return db.atomic(isolation_level="REPEATABLE READ")
    return db.atomic()


class _PostgresWrite:
    AUDIT_LOCK = 7_291_004  # any constant; the same in every worker and host

    def __init__(self, db):
        self.db = db
        self.txn = None

    def __enter__(self):
        self.txn = self.db.atomic()
        self.txn.__enter__()
        self.db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (self.AUDIT_LOCK,))
        # taken once the lock is held, so times follow the order of the audit log
        self.instant = one_instant()
        self.instant.__enter__()
        return self.txn

    def __exit__(self, *exc):
        self.instant.__exit__(*exc)
        return self.txn.__exit__(*exc)
