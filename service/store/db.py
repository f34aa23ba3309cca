"""The one database handle. Models bind to the proxy; the app factory picks the real database."""
import fcntl
import logging
import os
import sqlite3
import threading
import time
import weakref
from functools import partial
from urllib.parse import urlparse

import psycopg
from peewee import (DatabaseProxy, ForeignKeyField, Function, InterfaceError, OperationalError, PostgresqlDatabase,
                    SqliteDatabase, Value)
from playhouse.db_url import parse as parse_database_url
from playhouse.pool import MaxConnectionsExceeded, PooledDatabase, PooledPostgresqlDatabase, PooledSqliteDatabase

from ..clock import one_instant
from ..errors import InsufficientStorage, Unavailable

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


# How long a write waits for the write lock before it is answered 503 (another process may hold it for long).
WRITE_LOCK_WAIT = 5
# Below this much free space on the SQLite file's disk, /ready says the database cannot take writes.
MIN_FREE_BYTES = 1024 * 1024


def open_database(url, pool_size=8, write_lock_wait=WRITE_LOCK_WAIT):
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
        if pool_size and path != ":memory:":
            # Pooled like PostgreSQL: a gevent worker makes a greenlet per client connection, and each would
            # otherwise open its own connection with its own page cache and keep it as long as the client.
            # A pooled connection may serve another thread later (never two at once): sqlite3 must allow it.
            db = PooledSqliteDatabase(path, max_connections=pool_size, timeout=10, pragmas=SQLITE_PRAGMAS,
                                      check_same_thread=False, **kwargs)
        else:
            db = SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=10, **kwargs)
    else:
        kwargs.setdefault("connect_timeout", 5)  # an unreachable host fails fast instead of hanging a worker
        if pool_size:
            db = PooledPostgresqlDatabase(max_connections=pool_size, stale_timeout=300, timeout=10, **kwargs)
        else:
            db = PostgresqlDatabase(**kwargs)
    db.write_lock_wait = write_lock_wait
    return db


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
    """Hand this request's connection back to its pool, where the next request finds it open (its pragmas
    run, its schema parsed, its page cache warm).

    A connection that failed (killed, or left inside a transaction) is discarded, never pooled: the next
    request opens a fresh one instead of failing on the dead one for good.
    """
    db = database.obj
    if db is None or db.is_closed():
        return
    try:
        if db.in_transaction():
            raise OperationalError("a transaction was left open by the request")
        if isinstance(db, PooledDatabase):
            db.close()  # the pool checks the connection and drops it if it is broken
    except Exception as exc:  # noqa: BLE001  (whatever went wrong, the connection must go)
        log.warning("discarding a database connection that failed: %s", exc)
        discard_connection()


def discard_connection():
    """Forget this thread's connection and its transactions, closing it without returning it to a pool."""
    db = database.obj
    while db.in_transaction():  # a broken transaction's; the connection goes with it
        db.pop_transaction()
    try:
        if isinstance(db, PooledDatabase):
            db.manual_close()  # closed, not returned to the pool
        else:
            db.close()
    except Exception:  # noqa: BLE001  (already dead: peewee forgets it all the same)
        pass


# The drivers' own classes of the same faults: peewee translates the errors of the statements it runs, but rows
# are inserted with the driver's executemany (insert_all, the search index), whose errors reach us as they are.
DRIVER_FAULTS = (psycopg.OperationalError, psycopg.InterfaceError, sqlite3.OperationalError, sqlite3.InterfaceError)


def database_fault(error):
    """The domain error a failing database means to a client, or None if the error is a bug (500).

    503 with Retry-After while the database cannot be reached, its connection was lost, its disk fails to read
    or write, or its write lock cannot be had; 507 when its disk is full.
    """
    if isinstance(error, DRIVER_FAULTS):
        cause = error
    elif isinstance(error, (OperationalError, InterfaceError)):
        cause = getattr(error, "orig", None) or error.__context__  # the driver's own error
    else:
        return None
    if isinstance(cause, sqlite3.Error):
        code = getattr(cause, "sqlite_errorcode", 0) & 0xFF  # the primary code of an extended one
        if code == sqlite3.SQLITE_FULL:
            return InsufficientStorage("the database's disk is full; try again once space is freed",
                                       headers={"Retry-After": "60"})
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return Unavailable("the database is locked by another writer; try again shortly",
                               headers={"Retry-After": "2"})
        if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY):
            return Unavailable(IO_ERROR, headers={"Retry-After": "30"})
        return None
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate == "53100":
        return InsufficientStorage("the database's disk is full; try again once space is freed",
                                   headers={"Retry-After": "60"})
    if sqlstate == "58030":  # io_error: PostgreSQL's read or write of a file failed (EIO), not the connection
        return Unavailable(IO_ERROR, headers={"Retry-After": "30"})
    if sqlstate == "55P03":
        return Unavailable("the database is busy with another writer; try again shortly", headers={"Retry-After": "2"})
    return Unavailable("the database connection was lost; try again shortly", headers={"Retry-After": "5"})


IO_ERROR = "the database's disk failed to read or write (an I/O error); try again later"
# A write that failed on the disk makes /ready say so for this long, unless a write succeeds meanwhile: the
# probe cannot see a PostgreSQL server's disk, nor an I/O error, for itself.
FAULT_MEMORY = 30
_storage_fault = {"fault": None, "at": 0.0}  # this process's last write that failed on the disk


def _note_write_outcome(error):
    if error is None:
        _storage_fault["fault"] = None
        return
    fault = database_fault(error)
    if isinstance(fault, InsufficientStorage) or getattr(fault, "detail", None) == IO_ERROR:
        _storage_fault.update(fault=fault, at=time.monotonic())


def unwritable_because():
    """Why the database cannot take writes now (for /ready), or None: a full disk under the SQLite file,
    or a write in this process failing on the database's disk a moment ago."""
    db = database.obj
    fault = _storage_fault["fault"]
    if fault is not None and time.monotonic() - _storage_fault["at"] > FAULT_MEMORY:
        fault = None
    if isinstance(db, SqliteDatabase) and db.database != ":memory:":
        stat = os.statvfs(os.path.dirname(os.path.abspath(db.database)))
        if stat.f_bavail * stat.f_frsize < MIN_FREE_BYTES:
            return "the disk holding the database is full"
        if isinstance(fault, InsufficientStorage):  # the disk has room again: the check above sees it
            fault = None
    return fault.detail if fault is not None else None


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
        deadline = time.monotonic() + self.db.write_lock_wait
        if not self._turn.acquire(timeout=self.db.write_lock_wait):
            raise _lock_busy()
        depth = getattr(self._depth, "value", 0)
        self._depth.value = depth + 1
        try:
            if depth == 0:
                _wait_for(lambda: _try_flock(self._lock_file()), deadline)
                entered = _wait_for(self._begin_immediate, deadline)
            else:
                entered = self.txn.__enter__()
            # taken once the lock is held, so times follow the order of the audit log
            self.instant = one_instant()
            self.instant.__enter__()
            return entered
        except BaseException:
            self._leave()
            raise

    def _begin_immediate(self):
        """BEGIN IMMEDIATE without SQLite's busy handler, which would sleep inside the driver and so stall
        every other request of a gevent worker: None while another process holds the lock."""
        conn = self.db.connection()
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            return self.txn.__enter__()
        except OperationalError as exc:
            if isinstance(database_fault(exc), Unavailable) and "locked" in str(exc):
                return None
            raise
        finally:
            conn.execute(f"PRAGMA busy_timeout = {SQLITE_PRAGMAS['busy_timeout']}")

    def __exit__(self, *exc):
        try:
            self.instant.__exit__(*exc)
            return _end(self.txn, exc)
        finally:
            self._leave()

    def _leave(self):
        self._depth.value -= 1
        if self._depth.value == 0:
            fcntl.flock(self._lock_file(), fcntl.LOCK_UN)
        self._turn.release()


def _end(txn, exc):
    """Commit, or roll back after an error; note whether the write reached the disk (for /ready).

    A rollback that fails after a database error (SQLite has already rolled back on a full disk; a killed
    connection cannot roll back) must not hide that error, which says what went wrong.
    """
    try:
        txn.__exit__(*exc)
    except Exception as error:  # noqa: BLE001  (re-raised below, or the body's own error goes on)
        cause = exc[1] if exc[1] is not None else _first_fault(error)
        _note_write_outcome(cause)
        if cause is error:
            raise
        log.warning("rolling back after %r failed too: %s", cause, error)
        if exc[1] is not None:
            return False
        raise cause from error
    _note_write_outcome(exc[1])
    return False


def _first_fault(error):
    """The database fault in an error's context chain (a failed commit behind its failed rollback), else it."""
    seen = error
    while seen is not None:
        if database_fault(seen) is not None:
            return seen
        seen = seen.__context__
    return error


def _try_flock(fd):
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return None


def _wait_for(attempt, deadline):
    """attempt() until it returns something other than None, sleeping between tries (a gevent worker's
    other requests run meanwhile); 503 once the deadline passes."""
    pause = 0.001
    while True:
        result = attempt()
        if result is not None:
            return result
        if time.monotonic() >= deadline:
            raise _lock_busy()
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def _lock_busy():
    return Unavailable("another writer holds the database's write lock; try again shortly",
                       headers={"Retry-After": "2"})


IN_LIMIT = 5000  # values in one IN (...): well under SQLite's and PostgreSQL's limits on parameters


_INSERTS = weakref.WeakKeyDictionary()  # per database: {(model, fields): the INSERT peewee wrote}


def insert_all(model, rows, batch=1000):
    """Insert many rows (dicts by field name, all with the same fields): peewee writes the statement for
    the first row (once per model and fields), and it runs once a row (executemany). peewee's insert_many
    puts every value of a batch into the SQL text, which cost a large import more than SQLite took to
    store its rows."""
    rows = list(rows)
    if not rows:
        return
    fields = [field for field in model._meta.sorted_fields if field.name in rows[0]]  # peewee's column order
    rendered = _INSERTS.setdefault(database.obj, {})
    key = (model, tuple(fields))
    sql = rendered.get(key) or rendered.setdefault(key, model.insert({f: rows[0][f.name] for f in fields}).sql()[0])
    cursor = database.cursor()
    for start in range(0, len(rows), batch):  # (peewee's chunked pads each batch to its full size first)
        cursor.executemany(sql, [[_parameter(field, row[field.name]) for field in fields]
                                 for row in rows[start:start + batch]])


def _parameter(field, value):
    """A value as a statement's parameter: peewee wraps a JSON value for SQLite in json(...), which the
    statement already holds, so its argument is what is sent."""
    value = field.db_value(value)
    return value.arguments[0] if isinstance(value, Function) else value


def create(model, **values):
    """`model.create(**values)`, its INSERT rendered once per model (see Prepared): the row as stored, read
    back by the INSERT itself (RETURNING). Every column is sent, so each model has the one statement."""
    row = model(**values)  # fills in the defaults
    insert = _CREATES.get(model) or _CREATES.setdefault(model, Prepared(partial(_insert_returning, model)))
    (stored,) = insert.rows(model, **{field.name: getattr(row, attribute(field)) for field in _columns(model)})
    return stored


_CREATES = {}


def _insert_returning(model, slot):
    return (model.insert({field: slot(field.name, field) for field in _columns(model)})
            .returning(*model._meta.sorted_fields))


def _columns(model):
    return [field for field in model._meta.sorted_fields if field is not model.id]


def attribute(field):
    """Where a row holds a field's value as stored: a foreign key's id, not the row it points to."""
    return field.object_id_name if isinstance(field, ForeignKeyField) else field.name


class Prepared:
    """A peewee query built once and run many times with new values. peewee renders a query's SQL anew at
    every execution, which on the hottest reads cost as much as running it; their shape never changes.

    `build(slot, *shape)` returns the query, with `slot(name, field)` wherever a value changes from run to
    run (`field` sends it as that field would; None sends it as it is). A query whose form varies (which
    filters a page has, how many ids it asks for) is given that as `shape`, and each shape is rendered once.
    """

    def __init__(self, build):
        self.build = build
        self._rendered = weakref.WeakKeyDictionary()  # per database: SQLite's SQL is not PostgreSQL's

    def execute(self, *shape, **values):
        """The cursor over the rows, as tuples."""
        return database.execute_sql(*self._bound(shape, values))

    def rows(self, model, *shape, **values):
        """The rows as `model` instances: peewee's raw query converts each column as its field does."""
        sql, params = self._bound(shape, values)
        return list(model.raw(sql, *params))

    def _bound(self, shape, values):
        rendered = self._rendered.setdefault(database.obj, {})
        if shape not in rendered:
            rendered[shape] = self.build(_slot, *shape).sql()
        sql, params = rendered[shape]
        return sql, [value.send(values[value.name]) if isinstance(value, _Slot) else value for value in params]


class _Slot:
    def __init__(self, name, field):
        self.name = name
        self.send = (lambda value: _parameter(field, value)) if field is not None else (lambda value: value)


def _slot(name, field=None):
    return Value(_Slot(name, field), converter=False)  # peewee puts it among the parameters as it is


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
        try:
            # lock_timeout bounds the wait for the lock (then 503); SET LOCAL ends with the transaction.
            self.db.execute_sql("SELECT set_config('lock_timeout', %s, true), pg_advisory_xact_lock(%s)",
                                (str(int(self.db.write_lock_wait * 1000)), self.AUDIT_LOCK))
        except BaseException as error:
            # Leave the transaction (its rollback may fail too on a dead connection) so none stays open.
            try:
                self.txn.__exit__(type(error), error, error.__traceback__)
            except Exception:  # noqa: BLE001  (the lock query's error is the one to report)
                pass
            raise
        # taken once the lock is held, so times follow the order of the audit log
        self.instant = one_instant()
        self.instant.__enter__()
        return self.txn

    def __exit__(self, *exc):
        self.instant.__exit__(*exc)
        return _end(self.txn, exc)
