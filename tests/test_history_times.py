"""One instant per write, and every time on the wire with its zone: `as_of` any time the API showed gives
back exactly what it showed then."""
import re

from peewee import fn

from service.store.models import Claim

from tests.conftest import review
from tests.test_checkpoints import rewrite_log
from service.store import verification
from service.store.db import database

ZONED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(\+00:00|Z)$")


def times_in(value, key=None):
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in times_in(v, k)]
    if isinstance(value, list):
        return [t for v in value for t in times_in(v, key)]
    return [value] if key and key.endswith("_at") and isinstance(value, str) else []


def test_as_of_any_time_the_api_showed_gives_exactly_what_it_showed(client, api):
    source = api.source()
    speaker = api.speaker(name="Jane Doe")
    other = api.speaker(name="J. Doe")
    claim = api.claim(source=source, speaker=speaker)
    cid, sid = claim["id"], speaker["id"]
    shown = []  # (every time the write's answers showed, the claim as a GET showed it right after)

    def step(response):
        assert response.status_code in (200, 201), response.json
        now = client.get(f"/claims/{cid}").json
        events = client.get(f"/claims/{cid}/history?limit=100").json["items"]
        shown.append((set(times_in(response.json)) | set(times_in(now)) | {events[-1]["at"]}, now))

    step(client.get(f"/claims/{cid}"))
    step(client.patch(f"/claims/{cid}", json={"text": "Exports rose 12%."}, headers={"If-Match": '"v1"'}))
    step(client.patch(f"/claims/{cid}", json={"tags": ["trade"]}, headers={"If-Match": '"v2"'}))
    step(client.post(f"/claims/{cid}/appearances", json={"source_id": source["id"], "sentence_index": 3},
                     headers={"If-Match": '"v3"'}))
    step(client.post(f"/claims/{cid}/reviews", json={}, headers={"If-Match": '"v4"'}))
    step(client.post(f"/claims/{cid}/reviews", json={"verdict": "false", "rationale": "No."},
                     headers={"If-Match": '"v5"'}))
    step(client.patch(f"/speakers/{sid}", json={"role": "Mayor"}, headers={"If-Match": '"v1"'}))
    step(client.post(f"/claims/{cid}/reviews", json={"rationale": "Reopened."}, headers={"If-Match": '"v6"'}))
    step(client.post(f"/claims/{cid}/reviews", json={"verdict": "half_true", "rationale": "Partly."},
                     headers={"If-Match": '"v7"'}))
    step(client.post(f"/speakers/{sid}/merge", json={"into": other["id"]}, headers={"If-Match": '"v2"'}))
    step(client.patch(f"/claims/{cid}", json={"claim_date": "2024-03-17"}, headers={"If-Match": '"v9"'}))
    step(client.post(f"/claims/{cid}/retraction", json={"reason": "withdrawn"}, headers={"If-Match": '"v10"'}))
    assert len(shown) == 12

    for times, then in shown:
        assert all(ZONED.match(t) for t in times), times
        # the latest time a response showed is the instant of the write that made what it showed
        latest = max(times)
        as_of = client.get(f"/claims/{cid}", query_string={"as_of": latest})
        assert as_of.status_code == 200 and as_of.json == then, latest
    for times, _ in shown:
        for moment in times:  # and no time shown is before the claim existed
            assert client.get(f"/claims/{cid}", query_string={"as_of": moment}).status_code == 200 or \
                moment < claim["created_at"]


def test_a_write_stamps_its_rows_and_its_event_with_one_time(client, api):
    claim = api.claim()
    assert claim["created_at"] == claim["updated_at"] == claim["appearances"][0]["created_at"]
    [event] = [e for e in client.get(f"/claims/{claim['id']}/history").json["items"]]
    assert event["at"] == claim["created_at"]
    changed = review(client, claim, '"v1"')
    events = client.get(f"/claims/{claim['id']}/history").json["items"]
    assert events[-1]["at"] == events[-2]["at"] == changed["created_at"] == \
        client.get(f"/claims/{claim['id']}").json["updated_at"]


def test_history_and_the_feed_show_snapshot_times_with_their_zone(client, api):
    claim = api.claim()
    client.patch(f"/claims/{claim['id']}", json={"text": "Changed."}, headers={"If-Match": '"v1"'})
    for url in (f"/claims/{claim['id']}/history", "/audit?limit=100"):
        for event in client.get(url).json["items"]:
            times = times_in(event["before"] or {}) + times_in(event["after"] or {}) + [event["at"]]
            assert times and all(ZONED.match(t) for t in times), (url, times)


def test_verify_reports_a_claim_whose_row_differs_from_its_events(admin, client, api, db):
    claim = api.claim()
    assert admin.get("/audit/verify").json["mismatches"] == []
    Claim.update(document=fn.REPLACE(Claim.document, "Exports rose", "Imports fell")).where(
        Claim.uid == claim["id"]).execute()
    report = admin.get("/audit/verify").json
    assert report["valid"] is False and report["problem"] is None
    assert [(m["resource_id"], "differs" in m["problem"]) for m in report["mismatches"]] == [(claim["id"], True)]


def test_verify_reports_a_version_that_does_not_count_the_claims_events(admin, client, api, db):
    claim = api.claim()
    client.patch(f"/claims/{claim['id']}", json={"text": "Changed."}, headers={"If-Match": '"v1"'})
    # the claim's create event taken out and the log chained again: the chain alone holds
    rewrite_log(db, lambda events: [e for e in events if (e["resource_id"], e["action"]) != (claim["id"], "create")])
    report = admin.get("/audit/verify").json
    assert report["problem"] is None
    [mismatch] = report["mismatches"]
    assert mismatch["resource_id"] == claim["id"] and "version 2, but 1 events" in mismatch["problem"]


def test_claims_imported_with_their_versions_verify(client, varied, new_server):
    export = client.get("/export").data
    target, importer = new_server()
    assert importer.post("/import", data=export, content_type="application/x-ndjson").json["rejected"] == 0
    with target.app_context(), database.connection_context():
        report = verification.verify()
    assert report["valid"] is True, report
    assert report["resources_checked"] >= len(varied)
