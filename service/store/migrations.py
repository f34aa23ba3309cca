"""The schema changes only through the numbered files in migrations/, run by peewee-migrate.

`apply` is what `flask --app service.app migrate` (and so the start script) runs; `pending` is what
/ready asks. Adding a migration is described in docs/operations.md.
"""
import logging
from contextlib import contextmanager
from pathlib import Path

from peewee import JOIN, SqliteDatabase
from peewee_migrate import Router

from ..rules import documents
from ..rules.speakers import snapshot as speaker_snapshot
from . import claims, search
from .speakers import store_document as store_speaker_document
from .db import database, write_transaction
from .models import MODELS, Claim, Speaker
from .paging import in_pages

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
HISTORY_TABLE = "migratehistory"  # peewee-migrate's record of the migrations that have run
log = logging.getLogger(__name__)


def _router(directory):
    return Router(database, migrate_dir=Path(directory), migrate_table=HISTORY_TABLE, logger=log)


def apply(directory=MIGRATIONS_DIR):
    """Run every migration the database has not run, in order, and return their names."""
    with _schema_change():
        return _router(directory).run()


def pending(directory=MIGRATIONS_DIR):
    """The migrations the database has not run: all of them on an empty database."""
    applied = set()
    if database.table_exists(HISTORY_TABLE):
        applied = {name for (name,) in database.execute_sql(f"SELECT name FROM {HISTORY_TABLE}")}
    return [name for name in _router(directory).todo if name not in applied]


def schema_from_models():
    """What all the migrations must add up to, built straight from the code: quicker, so the tests'
    databases are made this way, and tests/test_migrations.py proves the two agree."""
    database.create_tables(MODELS, safe=True)
    search.install()


@contextmanager
def _schema_change():
    """All pending migrations in one write transaction: a host that starts while another migrates
    waits for it and then finds nothing to do, and a failing migration changes nothing.

    SQLite changes a column by copying its table and dropping the old one, which enforced foreign
    keys refuse (or cascade). Its pragma only takes effect outside a transaction, so enforcement
    is off around ours and every reference is checked before the commit, as SQLite prescribes.
    """
    sqlite = isinstance(database.obj, SqliteDatabase)
    if sqlite:
        database.pragma("foreign_keys", 0)
    try:
        with write_transaction():
            yield
            broken = database.execute_sql("PRAGMA foreign_key_check").fetchall() if sqlite else []
            if broken:
                raise RuntimeError(f"the migration leaves {len(broken)} broken references, e.g. {broken[0]}")
    finally:
        if sqlite:
            database.pragma("foreign_keys", 1)


def refresh_documents(page_size=500):
    """Write every speaker's and claim's document again from its rows (the migration that added them)."""
    merged = Speaker.alias()
    with_merged = (Speaker.select(Speaker, merged.uid.alias("merged_uid"))
                   .join(merged, JOIN.LEFT_OUTER, on=(Speaker.merged_into == merged.id)).objects())
    for rows in in_pages(with_merged, Speaker.id, page_size):
        for row in rows:
            store_speaker_document(row, speaker_snapshot(row, row.merged_uid))
            Speaker.update(document=row.document).where(Speaker.id == row.id).execute()
    for rows in in_pages(Claim.select(), Claim.id, page_size):
        for row, computed in zip(rows, claims.computed_states(rows)):
            Claim.update(document=documents.encode(computed)).where(Claim.id == row.id).execute()
