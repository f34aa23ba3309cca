"""The benchmark's floors stand for the service's own work: the reads it replays are the service's, and an
import's statements replayed alone rebuild the very same database."""
import json
import sqlite3

import pytest

from benchmarks import floor_app, imports, statements
from benchmarks.generate import generate
from service import create_app
from service.audit import verify_chain
from service.bulk import export_ndjson
from service.config import Config
from service.db import database


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate(120, tmp_path_factory.mktemp("floors") / "bench.db", progress=lambda line: None)


def _claim_uid(path):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT uid FROM claim WHERE status != 'unverified' ORDER BY id LIMIT 1").fetchone()[0]


def test_floor_replays_the_statements_the_service_sends_for_a_read(generated, monkeypatch):
    uid = _claim_uid(generated)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{generated}")
    path, reads = floor_app.recorded_reads({"get": f"/claims/{uid}", "list": "/claims?status=in_review&limit=5"})
    assert path == str(generated)
    # reads only (no write, no commit), the first of them the claim's own row, by its id
    assert reads["get"] and all(kind == "execute" and sql.startswith("SELECT") for kind, sql, _ in reads["get"])
    assert uid in reads["get"][0][2]
    replayed = statements.connect(path)
    rows = [replayed.execute(sql, params).fetchall() for _, sql, params in reads["get"]]
    assert all(rows) and rows[0][0][1] == uid
    assert "in_review" in reads["list"][0][2]


def test_floor_app_answers_what_the_bare_app_answers(generated, monkeypatch, tmp_path):
    uid = _claim_uid(generated)
    documents = {"get": {"id": uid}, "list": {"items": []}, "search": {"items": [1]}, "status": {"status": "x"}}
    (tmp_path / "documents.json").write_text(json.dumps(documents))
    (tmp_path / "paths.json").write_text(json.dumps({"get": f"/claims/{uid}", "list": "/claims?limit=5",
                                                     "search": "/claims?q=hospital&limit=5"}))
    for name, value in {"BARE_DOCUMENTS": tmp_path / "documents.json", "FLOOR_PATHS": tmp_path / "paths.json",
                        "DATABASE_URL": f"sqlite:///{generated}", "FLOOR_SQL": "1"}.items():
        monkeypatch.setenv(name, str(value))
    client = floor_app.create_app().test_client()
    answered = client.get(f"/claims/{uid}")
    assert answered.json == documents["get"] and answered.headers["X-Request-ID"]  # observed like the service
    assert client.get("/claims?q=hospital").json == documents["search"]
    assert client.get("/claims?status=in_review").json == documents["list"]


def test_an_imports_statements_replayed_alone_rebuild_the_same_database(generated, tmp_path):
    app = create_app(Config(database_url=f"sqlite:///{generated}"))
    with app.app_context():
        database.connect(reuse_if_open=True)
        (tmp_path / "claims.ndjson").write_text("".join(export_ndjson()))
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
