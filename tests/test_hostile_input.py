"""Hostile input on every write endpoint. Each bad request gets its documented problem response and leaves
every row of every table as it was; text that looks like SQL or a script is stored verbatim and comes back
as the same characters in a JSON string."""
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from service.store.models import MODELS
from tests.samples import ARTICLE

BODY_LIMIT = 64 * 1024  # MAX_REQUEST_BYTES for these tests: room for every valid body, cheap to exceed
HOSTILE_TEXT = "Robert'); DROP TABLE claim;-- <script>alert(\"x\")</script> &amp; \\ \u2028 </p>"


@dataclass(frozen=True)
class Write:
    method: str
    path: str  # names ids of the `world` fixture in braces
    valid: dict  # a body the endpoint accepts; "{name}" strings are ids of the world too
    text: str  # a free-text field, and its longest allowed length
    max_length: int
    wrong_type: tuple  # (field, a value of the wrong JSON type, the field the problem names)
    if_match: bool = False
    stores: bool = True  # False: the endpoint only reads, whatever it is sent
    cases: list = field(default_factory=list)  # (kind, changes to the valid body, status, field named)


APPEARANCE = {"source_id": "{source}", "sentence_index": 2, "quote": "exports rose 12 percent"}
WRITES = {
    "create source": Write(
        "POST", "/sources", {"title": "Trade report", "text": ARTICLE, "published_date": "2024-03-18"},
        "title", 500, ("published_date", 20240318, "published_date"),
        cases=[("invalid date", {"published_date": "2024-02-30"}, 422, "published_date"),
               ("NUL in long text", {"text": "a\x00b"}, 422, "text")],
    ),
    "create speaker": Write("POST", "/speakers", {"name": "Jane Doe"}, "name", 300, ("aliases", "x", "aliases")),
    "update speaker": Write(
        "PATCH", "/speakers/{speaker}", {"role": "Minister"}, "role", 300, ("aliases", ["ok", 7], "aliases.1"),
        if_match=True,
    ),
    "merge speaker": Write(
        "POST", "/speakers/{speaker}/merge", {"into": "{other_speaker}", "reason": "Same person."}, "reason", 2000,
        ("into", 5, "into"), if_match=True,
        cases=[("merge into itself", {"into": "{speaker}"}, 422, "into"),
               ("unknown speaker", {"into": "00000000-0000-4000-8000-000000000000"}, 404, None)],
    ),
    "create claim": Write(
        "POST", "/claims", {"text": "Exports rose.", "speaker_id": "{speaker}", "appearance": APPEARANCE},
        "text", 2000, ("tags", "trade", "tags"),
        cases=[
            ("fractional offset", {"appearance": {**APPEARANCE, "sentence_index": 2.5}}, 422,
             "appearance.sentence_index"),
            ("offset as a string", {"appearance": {**APPEARANCE, "sentence_index": "2"}}, 422,
             "appearance.sentence_index"),
            ("negative offset", {"appearance": {**APPEARANCE, "sentence_index": -1}}, 422,
             "appearance.sentence_index"),
            ("offset past the last sentence", {"appearance": {**APPEARANCE, "sentence_index": 99}}, 422,
             "sentence_index"),
            ("quote not in its sentence", {"appearance": {**APPEARANCE, "quote": "critics disputed"}}, 422, "quote"),
            ("unknown nested field", {"appearance": {**APPEARANCE, "start": 0}}, 422, "appearance.start"),
            ("invalid date", {"claim_date": "2023-02-29"}, 422, "claim_date"),
            ("lone surrogate in a tag", {"tags": ["trade", "\udfff"]}, 422, "tags.1"),
        ],
    ),
    "match claims": Write("POST", "/claims/match", {"text": "Exports rose."}, "text", 2000,
                          ("limit", 2.5, "limit"), stores=False),
    "update claim": Write(
        "PATCH", "/claims/{claim}", {"text": "Exports grew."}, "text", 2000, ("speaker_id", 42, "speaker_id"),
        if_match=True, cases=[("invalid date", {"claim_date": "yesterday"}, 422, "claim_date")],
    ),
    "add appearance": Write(
        "POST", "/claims/{claim}/appearances", {**APPEARANCE, "reason": "Also in the summary."}, "reason", 2000,
        ("sentence_index", 2.5, "sentence_index"), if_match=True,
        cases=[("negative offset", {"sentence_index": -1}, 422, "sentence_index"),
               ("offset past the last sentence", {"sentence_index": 99}, 422, "sentence_index"),
               ("quote not in its sentence", {"quote": "exports fell"}, 422, "quote")],
    ),
    "review claim": Write(
        "POST", "/claims/{claim}/reviews", {"rationale": "Checking the agency's figures."}, "rationale", 20_000,
        ("evidence", "https://stats.example", "evidence"), if_match=True,
        cases=[("evidence offset out of range",
                {"evidence": [{"stance": "supports", "source_id": "{source}", "sentence_index": 10_000_001}]},
                422, "evidence.0.sentence_index"),
               ("evidence offset past the last sentence",
                {"evidence": [{"stance": "supports", "source_id": "{source}", "sentence_index": 99}]},
                422, "evidence")],
    ),
    "retract claim": Write(
        "POST", "/claims/{claim}/retraction", {"reason": "Misattributed."}, "reason", 2000, ("reason", 5, "reason"),
        if_match=True,
    ),
    # It takes an empty object, so any field, "text" too, is an unknown one; it has no free text to store.
    "propose candidates": Write("POST", "/sources/{source}/candidates", {}, "text", 0, ("text", 5, "text"),
                                stores=False),
    "accept candidate": Write(
        "POST", "/candidates/{candidate}/acceptance", {"reason": "A checkable figure."}, "reason", 2000,
        ("quote", 5, "quote"), if_match=True,
        cases=[("quote outside its sentence", {"quote": {"start": 0, "end": 5}}, 422, "quote"),
               ("quote bounds as strings", {"quote": {"start": "0", "end": "5"}}, 422, "quote.start"),
               ("unknown speaker", {"speaker_id": "00000000-0000-4000-8000-000000000000"}, 422, "speaker_id")],
    ),
    "reject candidate": Write(
        "POST", "/candidates/{candidate}/rejection", {"reason": "other", "note": "Not a claim."}, "note", 2000,
        ("reason", 5, "reason"), if_match=True,
        cases=[("no reason", {"reason": None}, 422, "reason"),
               ("reason not in the list", {"reason": "boring"}, 422, "reason"),
               ("duplicate without its claim", {"reason": "duplicate"}, 422, "duplicate_of")],
    ),
    "create key": Write("POST", "/keys", {"owner": "New Checker", "role": "checker"}, "owner", 200,
                        ("role", 1, "role")),
    "revoke key": Write("POST", "/keys/{key}/revocation", {"reason": "Left the team."}, "reason", 2000,
                        ("reason", [], "reason")),
}


def test_the_table_has_every_operation_that_takes_a_body():
    spec = yaml.safe_load((Path(__file__).resolve().parents[1] / "openapi.yaml").read_text(encoding="utf-8"))
    bodies = {(method.upper(), re.sub(r"{\w+}", "{}", path)): set(operation["requestBody"]["content"])
              for path, item in spec["paths"].items()
              for method, operation in item.items() if "requestBody" in operation}
    taking_json = {op for op, types in bodies.items() if "application/json" in types}
    # Bodies with no free text to abuse, checked field by field in tests/test_checkpoints.py.
    no_text = {("POST", "/audit/checkpoints"), ("POST", "/audit/verify")}
    taking_json -= no_text
    assert taking_json == {(w.method, re.sub(r"{\w+}", "{}", w.path)) for w in WRITES.values()}
    # NDJSON is refused line by line, with line numbers, in a 200: tests/test_bulk.py covers it.
    assert set(bodies) - taking_json - no_text == {("POST", "/import")}


def bad_inputs(write):
    """(kind, body or raw text, content type, If-Match, status, field named or None) for one endpoint."""
    json_type = "application/json"
    etag = '"v1"' if write.if_match else None
    yield "malformed JSON", '{"a": ', json_type, etag, 400, ""
    yield "number too long to parse", '{"a": 1' + "0" * 5000 + "}", json_type, etag, 400, ""
    yield "deeply nested JSON", "[" * 20_000 + "]" * 20_000, json_type, etag, 400, ""
    yield "form instead of JSON", "a=1", "application/x-www-form-urlencoded", etag, 415, None
    yield "JSON sent as text", "{}", "text/plain", etag, 415, None
    yield "body over the limit", {**write.valid, write.text: "x" * BODY_LIMIT}, json_type, etag, 413, None
    yield "unknown field", {**write.valid, "is_admin": True}, json_type, etag, 422, "is_admin"
    wrong_field, wrong_value, named = write.wrong_type
    yield "wrong type", {**write.valid, wrong_field: wrong_value}, json_type, etag, 422, named
    yield "NUL byte", {**write.valid, write.text: "a\x00b"}, json_type, etag, 422, write.text
    # Valid JSON, but no UTF-8 encodes it: neither database could store it.
    yield "lone surrogate", {**write.valid, write.text: "a\ud800b"}, json_type, etag, 422, write.text
    yield "very long string", {**write.valid, write.text: "x" * (write.max_length + 1)}, json_type, etag, 422, write.text
    for kind, changes, status, named in write.cases:
        yield kind, {**write.valid, **changes}, json_type, etag, status, named
    if write.if_match:
        yield "no If-Match", write.valid, json_type, None, 428, None
        yield "empty If-Match", write.valid, json_type, "", 428, None
        yield "stale If-Match", write.valid, json_type, '"v9"', 412, None


@pytest.fixture
def admin(app, key_for):
    """A client holding an admin key, allowed every write; requests over BODY_LIMIT bytes are refused."""
    app.config["MAX_CONTENT_LENGTH"] = BODY_LIMIT
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = key_for("admin", owner="Ad Min")["Authorization"]
    return client


@pytest.fixture
def world(admin, api, key_for):
    """One of each resource a write endpoint names, each at version 1."""
    source = api.source()
    speaker, other_speaker = api.speaker(), api.speaker(name="J. Doe")
    claim = api.claim(source=source, speaker=speaker)
    assert admin.post(f"/sources/{source['id']}/candidates", json={}).status_code == 200
    candidate = admin.get(f"/sources/{source['id']}/candidates").json["items"][0]
    key_for("reader", owner="To Revoke")
    [key] = [k for k in admin.get("/keys?limit=100").json["items"] if k["owner"] == "To Revoke"]
    return SimpleNamespace(source=source["id"], speaker=speaker["id"], other_speaker=other_speaker["id"],
                           claim=claim["id"], key=key["id"], candidate=candidate["id"])


def _fill(value, world):
    """The body with the world's ids put in for their "{name}" placeholders."""
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in vars(world):
        return getattr(world, value[1:-1])
    return value


def send(client, write, world, body, content_type="application/json", if_match=None):
    headers = {} if if_match is None else {"If-Match": if_match}
    path = write.path.format(**vars(world))
    if isinstance(body, str):
        return client.open(path, method=write.method, data=body, content_type=content_type, headers=headers)
    return client.open(path, method=write.method, json=_fill(body, world), headers=headers)


def fingerprint(db):
    """Every row of every table, in order: equal fingerprints mean nothing was written."""
    return {model.__name__: list(model.select().order_by(model.id).tuples()) for model in MODELS}


@pytest.mark.parametrize("endpoint", WRITES)
def test_bad_input_gets_its_problem_and_changes_nothing(admin, world, db, subtests, endpoint):
    write = WRITES[endpoint]
    before = fingerprint(db)
    for kind, body, content_type, if_match, status, named in bad_inputs(write):
        with subtests.test(kind):
            response = send(admin, write, world, body, content_type, if_match)
            assert response.status_code == status, response.get_data(as_text=True)[:500]
            assert response.content_type == "application/problem+json"
            problem = response.get_json(force=True)
            assert problem["status"] == status and problem["title"] and problem["detail"]
            if named is not None:
                assert named in [e["field"] for e in problem["errors"]], problem
                assert {e["location"] for e in problem["errors"]} == {"body"}
            assert fingerprint(db) == before


def _strings(value):
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize("endpoint", [name for name, write in WRITES.items() if write.stores])
def test_sql_and_script_looking_text_is_stored_verbatim_and_returned_as_json(admin, world, endpoint):
    write = WRITES[endpoint]
    response = send(admin, write, world, {**write.valid, write.text: HOSTILE_TEXT},
                    if_match='"v1"' if write.if_match else None)
    assert response.status_code in (200, 201), response.json
    assert response.content_type == "application/json"
    events = admin.get("/audit?limit=100")
    assert events.content_type == "application/json"
    # the write's own event: the last one but the proposals extraction may add after a source is stored
    own = [e for e in events.json["items"] if e["action"] != "propose"][-1]
    assert HOSTILE_TEXT in _strings(own), "the audit log keeps exactly what was sent"
    if write.text in response.json:
        assert response.json[write.text] == HOSTILE_TEXT


@pytest.mark.parametrize("path, parameter", [("/claims/{claim}", "as_of"), ("/claims", "updated_since")])
@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
def test_a_time_whose_utc_falls_outside_the_calendar_is_refused(admin, world, path, parameter, moment):
    response = admin.get(path.format(**vars(world)), query_string={parameter: moment})
    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    assert [(e["location"], e["field"]) for e in response.json["errors"]] == [("query", parameter)]


def test_the_calendar_s_first_and_last_utc_moments_are_accepted(admin, world):
    assert admin.get(f"/claims/{world.claim}", query_string={"as_of": "9999-12-31T23:59:59+00:00"}).status_code == 200
    assert admin.get("/claims", query_string={"updated_since": "0001-01-01T00:00:00Z"}).status_code == 200
