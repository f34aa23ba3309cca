"""The one database handle. Models bind to the proxy; the app factory picks the real database."""
import fcntl
import json
import logging
import os
import threading
import time
from datetime import date, datetime
from urllib.parse import urlparse, unquote

from peewee import (SQL, BigIntegerField, CharField, DatabaseProxy, ForeignKeyField, IntegerField, JSONField,
                    OperationalError, PostgresqlDatabase, SqliteDatabase, TextField)
from playhouse.pool import MaxConnectionsExceeded, PooledPostgresqlDatabase

from .errors import Unavailable

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
    # pages; at SQLite's default of 1,000 that came every few dozen status changes, and commits averaged
    # 0.4 ms against 0.28 ms now.
    "wal_autocheckpoint": 10000,
    "journal_size_limit": 64 * 1024 * 1024,  # the WAL file is cut back to this after a checkpoint
}


def open_database(url, pool_size=8):
    """Build a peewee database from a URL: sqlite:///relative/path, sqlite:////abs/path or postgresql://."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path[1:]) if parsed.path.startswith("/") else unquote(parsed.path)
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        return SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=10)
    if parsed.scheme in ("postgres", "postgresql"):
        kwargs = dict(
            database=unquote(parsed.path[1:]),
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname,
            port=parsed.port,
        )
        for pair in filter(None, parsed.query.split("&")):
            key, _, value = pair.partition("=")
            kwargs[key] = unquote(value)
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        kwargs.setdefault("connect_timeout", "5")  # an unreachable host fails fast instead of hanging a worker
        if pool_size:
            return PooledPostgresqlDatabase(max_connections=pool_size, stale_timeout=300, timeout=10, **kwargs)
        return PostgresqlDatabase(**kwargs)
    raise ValueError(f"unsupported DATABASE_URL scheme {parsed.scheme!r}: use sqlite:/// or postgresql://")


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
    steps (up to 100 ms) and so leaves the lock idle after it is freed: under load, writes took
    over a second at p99. Here they queue on a thread lock and an flock on a file beside the
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
            return self.txn.__enter__()
        except BaseException:
            self._leave()
            raise

    def __exit__(self, *exc):
        try:
            return self.txn.__exit__(*exc)
        finally:
            self._leave()

    def _leave(self):
        self._depth.value -= 1
        if self._depth.value == 0:
            fcntl.flock(self._lock_file(), fcntl.LOCK_UN)
        self._turn.release()


# Single rows are also written and read by hand below: peewee's query builder took longer to write a
# statement than SQLite took to run it, and a status change runs half a dozen of them.

def _bound(model, names):
    """For these fields of `model`: quoted columns, placeholders and converters to database values.
    Values pass through each field's db_value as peewee would; SQLite gets JSON through json(?) as
    peewee writes it."""
    fields = [model._meta.fields[name] for name in names]
    sqlite_json = [isinstance(f, JSONField) and not is_postgres() for f in fields]
    marks = ["json(?)" if is_json else "?" for is_json in sqlite_json]
    columns = [f'"{f.column_name}"' for f in fields]
    convert = [(f.name, _UNCHANGED_BY_DB_VALUE.get(type(f)), f._dumps if is_json else f.db_value)
               for f, is_json in zip(fields, sqlite_json)]
    return columns, marks, convert


# The type of value each field class's db_value gives back as it is: calling it for every value of a
# large insert cost about as much as SQLite's work.
_UNCHANGED_BY_DB_VALUE = {CharField: str, TextField: str, IntegerField: int, BigIntegerField: int,
                          ForeignKeyField: int}


def _values(convert, row):
    return [value if (value := row[name]) is None or type(value) is native else to_db(value)
            for name, native, to_db in convert]


def _insert_sql(model, names):
    columns, marks, convert = _bound(model, names)
    sql = f'INSERT INTO "{model._meta.table_name}" ({", ".join(columns)}) VALUES ({", ".join(marks)})'
    return for_driver(sql), convert


def insert_rows(model, rows, chunk=1000):
    """Insert many rows (dicts keyed by field name, all with the same keys) with one prepared statement.

    peewee's insert_many renders every value into the SQL text, which was most of a large import's
    time; executemany sends one statement and the values apart.
    """
    if not rows:
        return
    sql, convert = _insert_sql(model, rows[0])
    for start in range(0, len(rows), chunk):
        database.cursor().executemany(sql, [_values(convert, row) for row in rows[start:start + chunk]])


def insert_row(model, **values):
    """Insert one row, its fields' defaults filled in: the row as written (a dict by field name), with its id."""
    row = {**model._meta.get_default_dict(), **values}
    sql, convert = _insert_sql(model, row)
    if is_postgres():
        row["id"] = database.execute_sql(f'{sql} RETURNING "id"', _values(convert, row)).fetchone()[0]
    else:
        row["id"] = database.execute_sql(sql, _values(convert, row)).lastrowid
    return row


def update_versioned(model, row_id, values, version):
    """Set `values` (by field name) on one row if it is still at `version`: how many rows changed, 0 or 1."""
    columns, marks, convert = _bound(model, values)
    assignments = ", ".join(f"{column} = {mark}" for column, mark in zip(columns, marks))
    sql = f'UPDATE "{model._meta.table_name}" SET {assignments} WHERE "id" = ? AND "version" = ?'
    return database.execute_sql(for_driver(sql), [*_values(convert, values), row_id, version]).rowcount


def get_row(model, field_name, value):
    """The `model` instance whose `field_name` is `value`, or None."""
    fields = model._meta.sorted_fields
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    column = model._meta.fields[field_name].column_name
    rows = select(f'SELECT {columns} FROM "{model._meta.table_name}" WHERE "{column}" = ?', (value,))
    if not rows:
        return None
    return model(__no_default__=True, **{f.name: f.python_value(v) for f, v in zip(fields, rows[0])})


def for_driver(sql):
    """SQL written with ? placeholders, as this database's driver takes it."""
    return sql.replace("?", "%s") if is_postgres() else sql


def select(sql, params=()):
    """The rows (tuples) of hand-written SQL, written with ? placeholders, on either database.

    The hottest reads skip peewee's query builder: writing a query's SQL and building model instances
    from its rows took longer than SQLite took to run it. SQLite hands back dates, times and JSON as
    text, PostgreSQL as values: `as_date`, `as_datetime` and `as_json` give the same from either.
    """
    return database.execute_sql(for_driver(sql), params).fetchall()


def as_date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def as_datetime(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def as_json(value):
    return json.loads(value) if isinstance(value, str) else value





def in_list(field, values):
    """`field IN (values)`, the values sent as parameters of one SQL fragment: peewee makes a node of
    each value of a list and renders them one by one, which for an import batch's 500 ids cost more
    than the query itself."""
    values = list(values)
    if not values:
        return field.in_([])  # peewee's own rendering of an empty list (PostgreSQL refuses `IN ()`)
    return field.in_(SQL(f"({', '.join([database.param] * len(values))})", values))


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
        return self.txn

    def __exit__(self, *exc):
        return self.txn.__exit__(*exc)
