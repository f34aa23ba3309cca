"""One JSON object per log line; every request has an id that is echoed, logged and audited."""
import io
import json
import logging
import os

import pytest

from service.logs import JsonFormatter, relay
from service.store.models import AuditEvent


@pytest.fixture
def log_lines():
    """The JSON lines logged while the test runs, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_request_is_logged_as_one_json_line_with_its_request_id(client, log_lines):
    response = client.post("/speakers", json={"name": "Jane Doe"}, headers={"X-Request-ID": "trace-42"})
    assert response.headers["X-Request-ID"] == "trace-42"
    [line] = [line for line in log_lines() if line["logger"] == "claimtrail.request"]
    assert line["request_id"] == "trace-42"
    assert (line["method"], line["path"], line["endpoint"], line["status"]) == ("POST", "/speakers", "/speakers", 201)
    assert line["duration_ms"] >= 0 and line["pid"] == os.getpid() and line["level"] == "info"


def test_the_audit_event_a_request_causes_carries_its_request_id(client, db):
    client.post("/speakers", json={"name": "Jane Doe"}, headers={"X-Request-ID": "trace-43"})
    [event] = AuditEvent.select().where(AuditEvent.resource_type == "speaker")
    assert (event.action, event.request_id) == ("create", "trace-43")


@pytest.mark.parametrize("supplied", [None, "has spaces", "x" * 201])
def test_without_a_usable_request_id_the_service_makes_one(client, log_lines, supplied):
    headers = {"X-Request-ID": supplied} if supplied else {}
    response = client.get("/claims/00000000-0000-4000-8000-000000000000", headers=headers)
    made = response.headers["X-Request-ID"]
    assert len(made) == 32 and made != supplied
    assert response.json["request_id"] == made
    assert [line["request_id"] for line in log_lines() if line["logger"] == "claimtrail.request"] == [made]


def test_an_exception_is_logged_with_its_traceback_in_the_same_json_line(log_lines):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("claimtrail.test").exception("it failed")
    [line] = log_lines()
    assert line["message"] == "it failed" and "ValueError: boom" in line["exception"]
    assert "request_id" not in line


def test_a_start_step_output_is_relayed_as_json_lines(log_lines):
    relay("migrate", io.StringIO("applied 001_initial\n\nschema is up to date\n"))
    assert [(line["logger"], line["message"]) for line in log_lines()] == [
        ("claimtrail.start.migrate", "applied 001_initial"),
        ("claimtrail.start.migrate", "schema is up to date"),
    ]
