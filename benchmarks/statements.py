"""The SQL the service sends, recorded as sent (text and parameters), to be replayed later with no Python
around it: what SQLite alone costs for a piece of the service's work (
benchmarks/imports.py)."""
import sqlite3

from service.store.db import SQLITE_PRAGMAS


class _Connection(sqlite3.Connection):
    sent = None  # the list statements go to while recording

    def cursor(self, factory=None):
        return super().cursor(factory or _Cursor)

    def commit(self):
        _Connection.sent.append(("commit", None, None))
        return super().commit()


class _Cursor(sqlite3.Cursor):
    def execute(self, sql, params=()):
        _Connection.sent.append(("execute", sql, tuple(params)))
        return super().execute(sql, params)

    def executemany(self, sql, rows):
        rows = [tuple(row) for row in rows]
        _Connection.sent.append(("executemany", sql, rows))
        return super().executemany(sql, rows)


def record(database, into):
    """From the next connection `database` (the service's peewee SQLite database) opens, every statement
    it sends goes into the list `into` as (kind, sql, parameters)."""
    _Connection.sent = into
    database.connect_params["factory"] = _Connection


def connect(path):
    """A connection set up as the service's own (service/store/db.py)."""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for name, value in SQLITE_PRAGMAS.items():
        db.execute(f"PRAGMA {name} = {value}")
    return db


def replay(db, statements):
    for kind, sql, params in statements:
        if kind == "execute":
            db.execute(sql, params).fetchall()
        elif kind == "executemany":
            db.executemany(sql, params)
        else:
            db.commit()
