"""Idempotency-Key on the POSTs that create: a retry with the same key and body gets the first answer again
and writes nothing; another body under the same key is refused; keys are per caller and kept a day."""
from datetime import timedelta

import pytest

from service.clock import utcnow
from service.store.models import MODELS, IdempotentRequest
from tests.samples import ARTICLE


def rows(db):
    """Every row of every table but the keys' own: equal means the retry wrote nothing."""
    return {m.__name__: list(m.select().order_by(m.id).tuples()) for m in MODELS if m is not IdempotentRequest}


CREATES = {
    "source": ("/sources", {"title": "Trade report", "text": ARTICLE}, None),
    "speaker": ("/speakers", {"name": "Jane Doe"}, None),
    "claim": ("/claims", {"text": "Exports rose.", "appearance": {"source_id": "{source}", "sentence_index": 2}},
              None),
    "appearance": ("/claims/{claim}/appearances", {"source_id": "{source}", "sentence_index": 1}, '"v1"'),
    "review": ("/claims/{claim}/reviews", {"rationale": "Checking."}, '"v1"'),
}


@pytest.fixture
def world(api):
    source = api.source()
    return {"source": source["id"], "claim": api.claim(source=source)["id"]}


def request_for(name, world):
    path, body, if_match = CREATES[name]
    body = {k: (v.format(**world) if isinstance(v, str) else
                {a: b.format(**world) if isinstance(b, str) else b for a, b in v.items()} if isinstance(v, dict) else v)
            for k, v in body.items()}
    return path.format(**world), body, ({"If-Match": if_match} if if_match else {})


@pytest.mark.parametrize("name", CREATES)
def test_a_retry_with_the_same_key_answers_the_first_response_and_writes_nothing(client, world, db, name):
    path, body, headers = request_for(name, world)
    first = client.post(path, json=body, headers={**headers, "Idempotency-Key": f"create-{name}-1"})
    assert first.status_code == 201, first.json
    before = rows(db)
    again = client.post(path, json=dict(reversed(body.items())), headers={**headers, "Idempotency-Key": f"create-{name}-1"})
    assert (again.status_code, again.get_data(), again.headers.get("ETag")) == (
        first.status_code, first.get_data(), first.headers.get("ETag"))
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert rows(db) == before


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(client, db):
    assert client.post("/speakers", json={"name": "Jane Doe"}, headers={"Idempotency-Key": "k1"}).status_code == 201
    before = rows(db)
    other = client.post("/speakers", json={"name": "John Doe"}, headers={"Idempotency-Key": "k1"})
    assert other.status_code == 422
    assert [(e["location"], e["field"]) for e in other.json["errors"]] == [("headers", "Idempotency-Key")]
    elsewhere = client.post("/sources", json={"title": "T", "text": ARTICLE}, headers={"Idempotency-Key": "k1"})
    assert elsewhere.status_code == 422
    assert rows(db) == before


def test_the_same_key_with_other_query_arguments_is_another_request(client, db):
    body = {"title": "T", "text": ARTICLE}
    first = client.post("/sources?extract=false", json=body, headers={"Idempotency-Key": "k2"})
    assert first.status_code == 201 and first.json["extraction"] is None
    before = rows(db)
    other = client.post("/sources?extract=true", json=body, headers={"Idempotency-Key": "k2"})
    assert other.status_code == 422 and rows(db) == before
    again = client.post("/sources?extract=false", json=body, headers={"Idempotency-Key": "k2"})
    assert again.headers["Idempotent-Replayed"] == "true" and again.json == first.json


def test_without_the_header_every_post_creates(client, db):
    ids = {client.post("/speakers", json={"name": "Jane Doe"}).json["id"] for _ in range(2)}
    assert len(ids) == 2


def test_keys_belong_to_the_caller_that_sent_them(client, anonymous, key_for):
    mine = client.post("/speakers", json={"name": "Jane Doe"}, headers={"Idempotency-Key": "shared"})
    theirs = anonymous.post("/speakers", json={"name": "Jane Doe"},
                            headers={**key_for("editor", owner="Other Desk"), "Idempotency-Key": "shared"})
    assert mine.status_code == theirs.status_code == 201
    assert mine.json["id"] != theirs.json["id"]


def test_an_error_is_not_kept_so_the_corrected_retry_is_written(client, world):
    path, body, _ = request_for("claim", world)
    wrong = {**body, "appearance": {**body["appearance"], "quote": "not in the sentence"}}
    assert client.post(path, json=wrong, headers={"Idempotency-Key": "fix-me"}).status_code == 422
    fixed = client.post(path, json=body, headers={"Idempotency-Key": "fix-me"})
    assert fixed.status_code == 201
    assert client.post(path, json=body, headers={"Idempotency-Key": "fix-me"}).json["id"] == fixed.json["id"]


def test_a_key_first_used_over_a_day_ago_starts_afresh(client, db):
    first = client.post("/speakers", json={"name": "Jane Doe"}, headers={"Idempotency-Key": "old"})
    IdempotentRequest.update(created_at=utcnow() - timedelta(hours=24, seconds=1)).execute()
    later = client.post("/speakers", json={"name": "Jane Doe"}, headers={"Idempotency-Key": "old"})
    assert later.status_code == 201 and later.json["id"] != first.json["id"]
    assert "Idempotent-Replayed" not in later.headers
    assert IdempotentRequest.select().count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9"])
def test_a_malformed_key_is_refused(client, db, key):
    before = rows(db)
    response = client.post("/speakers", json={"name": "Jane Doe"}, headers={"Idempotency-Key": key})
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "Idempotency-Key"
    assert rows(db) == before


def test_the_key_is_kept_in_the_transaction_of_the_write(client, db):
    """The record and the resource commit together: the one names the other's answer."""
    made = client.post("/speakers", json={"name": "Jane Doe"}, headers={"Idempotency-Key": "together"})
    [kept] = IdempotentRequest.select()
    assert made.json["id"] in kept.body and kept.status == 201


def test_every_create_documents_the_header(app):
    spec = app.extensions["claimtrail_api"].spec.to_dict()
    documented = {(method, path) for path, item in spec["paths"].items() for method, op in item.items()
                  if isinstance(op, dict) and any(p.get("name") == "Idempotency-Key" for p in op.get("parameters", []))}
    assert documented == {("post", "/sources"), ("post", "/speakers"), ("post", "/claims"),
                          ("post", "/claims/{claim_id}/appearances"), ("post", "/claims/{claim_id}/reviews")}
