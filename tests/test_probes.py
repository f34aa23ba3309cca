"""/health: the process answers. /ready: the database answers and has run every migration."""

from peewee import OperationalError

from service.app import create_app
from service.config import Config
from service.store.db import database
from service.store.migrations import apply
from tests.live_server import free_port
from tests.test_errors import assert_problem


def unreachable_database_url():
    return f"postgresql://nobody@127.0.0.1:{free_port()}/none"  # a port nobody listens on


def test_ready_only_once_the_database_is_migrated(bare_app):
    client = bare_app.test_client()
    before = assert_problem(client.get("/ready"), 503)
    assert "001_initial" in before["detail"] and "migrate" in before["detail"]
    with bare_app.app_context():
        apply()
    assert client.get("/ready").json == {"status": "ready"}


def test_with_the_database_down_health_answers_and_the_rest_is_503_after_retries(monkeypatch, caplog):
    monkeypatch.setattr("service.store.db.time.sleep", lambda seconds: None)
    client = create_app(Config(database_url=unreachable_database_url(), db_pool_size=2)).test_client()
    assert client.get("/health").json == {"status": "ok"}
    ready = assert_problem(client.get("/ready"), 503)
    assert ready["detail"] == "the database is not reachable; try again shortly"
    write = client.post("/speakers", json={"name": "Jane Doe"})
    assert assert_problem(write, 503)["detail"] == ready["detail"]
    assert write.headers["Retry-After"] == "5"
    attempts = [r.getMessage() for r in caplog.records if r.name == "service.store.db"]
    assert sum("attempt 3 of 3" in message for message in attempts) == 2


def test_a_connection_that_fails_once_at_request_start_is_retried(client, monkeypatch):
    connect, failures = database.obj.connect, [OperationalError("the server is restarting")]

    def connect_after_a_failure(*args, **kwargs):
        if failures:
            raise failures.pop()
        return connect(*args, **kwargs)

    monkeypatch.setattr(database.obj, "connect", connect_after_a_failure)
    monkeypatch.setattr("service.store.db.time.sleep", lambda seconds: None)
    assert client.post("/speakers", json={"name": "Jane Doe"}).status_code == 201
    assert not failures
