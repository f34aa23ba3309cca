"""Fixtures: an app, a client and a fresh database per test, on SQLite and (when TEST_DATABASE_URL
names one) on PostgreSQL. The PostgreSQL runs share one server but get a schema of their own, emptied
before every test, so parallel CI runs and developers never see each other's rows."""
from contextlib import ExitStack, contextmanager

import pytest

from service.app import create_app
from service.store.audit import Context
from service.config import Config
from service.store.db import database, is_postgres
from service.actions.keys import create_key
from service.store.migrations import schema_from_models
from service.store.models import MODELS
from tests.databases import pg_schema
from tests.live_server import TEST_CHECKPOINT_KEY  # PostgreSQL has no file beside it for a generated key
from tests.samples import ARTICLE, OTHER_ARTICLE

DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def pg_schema_url():
    with pg_schema() as url:
        yield url


def _url_for(request, sqlite_path, pg_fixture):
    """The database this parametrized test runs on: an SQLite file, or a PostgreSQL schema fixture."""
    if request.param == "sqlite":
        return f"sqlite:///{sqlite_path}"
    return request.getfixturevalue(pg_fixture)


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path):
    return _url_for(request, tmp_path / "claimtrail.db", "pg_schema_url")


@pytest.fixture
def empty_pg_url():
    """A PostgreSQL schema of this test's own, without even tables."""
    with pg_schema() as url:
        yield url


@pytest.fixture(params=DATABASES)
def empty_database_url(request, tmp_path):
    """A database without tables, for tests of migrations, readiness and live servers."""
    return _url_for(request, tmp_path / "empty.db", "empty_pg_url")


@contextmanager
def app_on(database_url):
    """The app on `database_url`; its connections are closed afterwards."""
    key = None if database_url.startswith("sqlite") else TEST_CHECKPOINT_KEY
    app = create_app(Config(database_url=database_url, db_pool_size=4, checkpoint_key=key))
    app.config["TESTING"] = True
    db = database.obj
    try:
        yield app
    finally:
        if not db.is_closed():
            db.close()
        if hasattr(db, "close_all"):
            db.close_all()


def empty_database():
    """The tables, with no rows: created once per database and emptied for each test. Straight from
    the models, which is quicker; test_migrations proves the migrations build the same schema."""
    schema_from_models()
    if is_postgres():
        names = ", ".join(m._meta.table_name for m in MODELS)
        database.execute_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture
def app(database_url):
    with app_on(database_url) as app:
        with app.app_context():
            database.connect(reuse_if_open=True)
            empty_database()
            database.close()
        yield app


@pytest.fixture
def bare_app(empty_database_url):
    """The app on a database nobody has migrated yet."""
    with app_on(empty_database_url) as app:
        yield app


@pytest.fixture
def key_for(app):
    """An API key's Authorization header for a role, made the way an admin would make one."""
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
def admin(app, key_for):
    """A client holding an admin key."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = key_for("admin")["Authorization"]
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
        def source(self, text=ARTICLE, extract=False, **fields):
            """A stored source; without candidates unless `extract` is true (None: as the service decides)."""
            body = {"title": "Test article", "text": text, "published_date": "2024-03-18", **fields}
            response = client.post("/sources" if extract is None else f"/sources?extract={str(extract).lower()}",
                                   json=body)
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


def review(client, claim, etag, **body):
    response = client.post(f"/claims/{claim['id']}/reviews", json=body, headers={"If-Match": etag})
    assert response.status_code == 201, response.json
    return response.json


@pytest.fixture
def varied(client, api):
    """Claims of every kind: tagged and dated, in two sources, reviewed with evidence, retracted, bare."""
    first = api.source(url="https://news.example/envoy", publisher="Example News")
    second = api.source(text=OTHER_ARTICLE, published_date="2024-01-02", language="en")
    speaker = api.speaker(name="Jane Doe", aliases=["J. Doe"], role="Minister", affiliation="Party",
                          region="Texas", external_id="Q42")
    decided = api.claim(source=first, speaker=speaker, tags=["economy", "trade"], claim_date="2024-03-17")
    client.post(f"/claims/{decided['id']}/appearances", json={"source_id": second["id"], "sentence_index": 1,
                                                              "quote": "Imports fell 3 percent"},
                headers={"If-Match": '"v1"'})
    review(client, decided, '"v2"')
    review(client, decided, '"v3"', verdict="half_true", rationale="Partly.", evidence=[
        {"stance": "refutes", "source_id": second["id"], "sentence_index": 1, "note": "the ministry"},
        {"stance": "context", "url": "https://stats.example/exports"}])
    retracted = api.claim(source=first, speaker=api.speaker(name="Example Party", kind="organization"),
                          quote=None, sentence_index=1, text="The envoy met officials.")
    client.post(f"/claims/{retracted['id']}/retraction", json={"reason": "duplicate"}, headers={"If-Match": '"v1"'})
    bare = client.post("/claims", json={"text": "Critics disputed it.", "appearance": {
        "source_id": first["id"], "sentence_index": 3}})
    assert bare.status_code == 201
    return [decided["id"], retracted["id"], bare.json["id"]]


@pytest.fixture
def new_server(empty_database_url):
    """Move to an empty database of its own, as on a new server: (its app, an editor's client there).
    The first database may be SQLite and this one PostgreSQL, or the other way round."""
    with ExitStack() as stack:
        def move():
            target = stack.enter_context(app_on(empty_database_url))
            with target.app_context(), database.connection_context():
                schema_from_models()
                _, secret = create_key(Context(actor="test-setup"), owner="Importer", role="editor")
            client = target.test_client()
            client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
            return target, client

        yield move


@pytest.fixture(scope="module", params=DATABASES)
def gunicorn_server(request, tmp_path_factory):
    """The service as the container starts it, on a database of its own that its migrations build: one per
    module and database, since starting one costs seconds, so the module's tests share its rows."""
    from tests.live_server import live_server

    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'claimtrail.db'}"
        else:
            url = stack.enter_context(pg_schema())
        yield stack.enter_context(live_server(url))
