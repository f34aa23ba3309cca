"""SQLite's share of an import, as the benchmark measures it: the import's statements replayed alone
rebuild the very same database."""
import sqlite3

import pytest

from benchmarks import imports
from benchmarks.generate import generate
from service.app import create_app
from service.store.audit import verify_chain
from schemas.bulk import dumped
from service.store.lines import export_lines
from service.config import Config
from service.store.db import database


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate(120, tmp_path_factory.mktemp("floors") / "bench.db", progress=lambda line: None)


def _claim_uid(path):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT uid FROM claim WHERE status != 'unverified' ORDER BY id LIMIT 1").fetchone()[0]


def test_an_imports_statements_replayed_alone_rebuild_the_same_database(generated, tmp_path):
    app = create_app(Config(database_url=f"sqlite:///{generated}"))
    with app.app_context():
        database.connect(reuse_if_open=True)
        (tmp_path / "claims.ndjson").write_text("".join(dumped(export_lines())))
        database.close()
    created, seconds = imports.replay_import(tmp_path / "claims.ndjson", tmp_path / "recorded.db",
                                             tmp_path / "replayed.db")
    with sqlite3.connect(generated) as db:
        assert created == db.execute("SELECT count(*) FROM claim").fetchone()[0] and seconds > 0
    tables = ("claim", "appearance", "review", "source", "sentence", "speaker", "claim_tag", "evidence", "audit_event")
    with sqlite3.connect(tmp_path / "recorded.db") as recorded, sqlite3.connect(tmp_path / "replayed.db") as replayed:
        for table in tables:
            query = f"SELECT * FROM {table} ORDER BY id"
            assert recorded.execute(query).fetchall() == replayed.execute(query).fetchall(), table
        fts = "SELECT rowid FROM claim_fts WHERE claim_fts MATCH 'hospital' ORDER BY rowid"
        assert recorded.execute(fts).fetchall() == replayed.execute(fts).fetchall()
    with create_app(Config(database_url=f"sqlite:///{tmp_path / 'replayed.db'}")).app_context():
        database.connect()
        assert verify_chain()["valid"]
        database.close()
