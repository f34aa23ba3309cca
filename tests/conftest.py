"""Fixtures: an app, a client and a fresh database per test, on SQLite and (when TEST_DATABASE_URL
names one) on PostgreSQL. The PostgreSQL runs share one server but get a schema of their own, emptied
before every test, so parallel CI runs and developers never see each other's rows."""
import os
import uuid
from urllib.parse import quote

import psycopg
import pytest

from service import create_app
from service.config import Config
from service.db import database, is_postgres
from service.models import MODELS
from tests.samples import ARTICLE

PG_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def pg_schema_url():
    """A throwaway schema in the test database, dropped at the end of the session."""
    schema = f"ct_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _database_url(request, directory):
    if request.param == "sqlite":
        return f"sqlite:///{directory / 'claimtrail.db'}"
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL runs skipped")
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path):
    return _database_url(request, tmp_path)


def empty_database():
    """The schema, with no rows: tables are created once per database and emptied for each test."""
    from service.schema_setup import create_schema

    create_schema()
    if is_postgres():
        names = ", ".join(m._meta.table_name for m in MODELS)
        database.execute_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture
def app(database_url):
    app = create_app(Config(database_url=database_url, db_pool_size=4))
    app.config["TESTING"] = True
    db = database.obj
    with app.app_context():
        database.connect(reuse_if_open=True)
        empty_database()
        database.close()
    yield app
    if not db.is_closed():
        db.close()
    if hasattr(db, "close_all"):
        db.close_all()


@pytest.fixture
def key_for(app):
    """An API key's Authorization header for a role, made the way an admin would make one."""
    from service.audit import Context
    from service.keys import create_key

    def make(role, owner=None):
        with app.app_context():
            database.connect(reuse_if_open=True)
            _, secret = create_key(Context(actor="test-setup"), owner=owner or f"test-{role}", role=role)
            database.close()
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def anonymous(app):
    """A client that sends no key."""
    return app.test_client()


@pytest.fixture
def client(app, key_for):
    """A client holding an editor key: what most tests act as."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = key_for("editor", owner="Ed Itor")["Authorization"]
    return client


@pytest.fixture
def db(app):
    """An open connection for tests that look at rows directly, as an auditor would."""
    database.connect(reuse_if_open=True)
    yield database
    database.close()


@pytest.fixture
def api(client):
    """Make resources the way a client would, failing loudly if the service refuses."""

    class Api:
        def source(self, text=ARTICLE, **fields):
            body = {"title": "Test article", "text": text, "published_date": "2024-03-18", **fields}
            response = client.post("/sources", json=body)
            assert response.status_code == 201, response.json
            return response.json

        def speaker(self, name="Jane Doe", **fields):
            response = client.post("/speakers", json={"name": name, **fields})
            assert response.status_code == 201, response.json
            return response.json

        def claim(self, source=None, speaker=None, sentence_index=2, quote="exports rose 12 percent", **fields):
            source = source or self.source()
            speaker = speaker or self.speaker()
            appearance = {"source_id": source["id"], "sentence_index": sentence_index}
            if quote is not None:
                appearance["quote"] = quote
            body = {"text": "Exports rose 12 percent in 2023.", "speaker_id": speaker["id"],
                    "appearance": appearance, **fields}
            response = client.post("/claims", json=body)
            assert response.status_code == 201, response.json
            return response.json

    return Api()


@pytest.fixture(scope="module", params=DATABASES)
def gunicorn_server(request, tmp_path_factory):
    """The service under gunicorn with an admin key, a LiveServer(url, admin_key): one per module and database,
    since starting one costs seconds. Its tests share its rows (the PostgreSQL schema's until emptied)."""
    from tests.live_gunicorn import live_gunicorn

    directory = tmp_path_factory.mktemp("gunicorn")
    with live_gunicorn(_database_url(request, directory), directory) as server:
        yield server
