"""The schema comes from the files in migrations/, and they build exactly what the models describe."""
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from peewee import IntegrityError

from service.store.db import database, open_database
from service.store.migrations import HISTORY_TABLE, MIGRATIONS_DIR, apply, pending, schema_from_models
from service.store.models import Claim, Speaker
from tests.databases import pg_schema

ALL_MIGRATIONS = sorted(path.stem for path in MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.py"))


def schema_of(db):
    """Tables, columns, indexes and foreign keys as the database itself reports them."""
    return {
        table: {
            "columns": {c.name: (c.full_type, c.null, c.primary_key, c.default) for c in db.get_columns(table)},
            "indexes": sorted((tuple(i.columns), i.unique) for i in db.get_indexes(table)),
            "foreign_keys": sorted(
                (f.column, f.dest_table, f.dest_column, f.on_delete, f.on_update) for f in db.get_foreign_keys(table)
            ),
        }
        for table in db.get_tables()
        if table != HISTORY_TABLE
    }


@contextmanager
def another_empty_database(like_url, tmp_path):
    if like_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'another.db'}"
    else:
        with pg_schema() as url:
            yield url


def schema_built_by(build, url):
    db = open_database(url, pool_size=0)
    database.initialize(db)
    with db.connection_context():
        build()
        return schema_of(db)


def test_migrations_build_the_schema_the_models_describe(empty_database_url, tmp_path):
    migrated = schema_built_by(apply, empty_database_url)
    with another_empty_database(empty_database_url, tmp_path) as reference_url:
        modelled = schema_built_by(schema_from_models, reference_url)
    assert migrated.keys() == modelled.keys(), "a model has no migration: see 'Adding a migration' in docs/operations.md"
    for table, aspects in modelled.items():
        for aspect, expected in aspects.items():
            assert migrated[table][aspect] == expected, f"migrations/ and service/store/models.py disagree on {table} {aspect}"


def test_migrate_command_brings_an_empty_database_to_the_newest_version_once(bare_app):
    runner = bare_app.test_cli_runner()
    with bare_app.app_context():
        assert pending() == ALL_MIGRATIONS
    first = runner.invoke(args=["migrate"])
    assert first.exit_code == 0, first.output
    assert [f"applied {name}" for name in ALL_MIGRATIONS] == first.output.splitlines()[:-1]
    second = runner.invoke(args=["migrate"])
    assert second.output == "schema is up to date\n"
    with bare_app.app_context():
        assert pending() == []


def test_hosts_migrating_at_once_run_each_migration_once(bare_app):
    both_ready = threading.Barrier(2)

    def migrate(_):
        both_ready.wait()
        try:
            return apply()
        finally:
            database.close()

    with ThreadPoolExecutor(2) as pool:
        runs = sorted(pool.map(migrate, range(2)), key=len)
    assert runs == [[], ALL_MIGRATIONS]
    with database.connection_context():
        assert [name for (name,) in database.execute_sql(f"SELECT name FROM {HISTORY_TABLE}")] == ALL_MIGRATIONS


ADD_A_REQUIRED_SPEAKER_FIELD = '''
import peewee as pw


def migrate(migrator, database, *, fake=False):
    migrator.add_fields("speaker", verified=pw.BooleanField(default=False))
'''


def test_a_migration_that_rebuilds_a_referenced_table_keeps_rows_and_references(bare_app, tmp_path):
    """SQLite adds a NOT NULL column by copying the table: claims must still point at their speakers."""
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, directory, ignore=shutil.ignore_patterns("__pycache__"))
    (directory / "999_speaker_verified.py").write_text(ADD_A_REQUIRED_SPEAKER_FIELD)
    with database.connection_context():
        apply()
        speaker = Speaker.create(name="Jane Doe")
        Claim.create(text="Exports rose.", speaker=speaker)
    with database.connection_context():
        assert apply(directory) == ["999_speaker_verified"]
        assert Claim.get().speaker_id == speaker.id
        assert database.execute_sql("SELECT verified FROM speaker").fetchall() in ([(0,)], [(False,)])
        with pytest.raises(IntegrityError), database.atomic():
            Speaker.delete().execute()  # the reference is still enforced
