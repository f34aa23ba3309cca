"""The audit history: complete, ordered, hash-chained, tamper-evident, and able to rebuild the past."""
import time
from datetime import datetime, timezone

import pytest

from service.store.models import AppendOnly, AuditEvent


def history(client, claim_id):
    return client.get(f"/claims/{claim_id}/history?limit=100").json["items"]


def test_history_records_who_changed_what_when_and_why(client, api):
    claim = api.claim()
    client.patch(f"/claims/{claim['id']}", json={"text": "Exports rose 12%.", "reason": "shorter wording"},
                 headers={"If-Match": '"v1"', "X-Request-ID": "req-edit-1"})
    events = history(client, claim["id"])
    assert [e["action"] for e in events] == ["create", "update"]
    update = events[1]
    assert update["actor"] == "Ed Itor"
    assert update["reason"] == "shorter wording"
    assert update["request_id"] == "req-edit-1"
    assert update["before"]["text"] == "Exports rose 12 percent in 2023."
    assert update["after"]["text"] == "Exports rose 12%."
    assert update["before"]["version"] == 1 and update["after"]["version"] == 2


def test_history_includes_reviews_appearances_and_retraction(client, api):
    source = api.source()
    claim = api.claim(source=source)
    cid = claim["id"]
    client.post(f"/claims/{cid}/appearances", json={"source_id": source["id"], "sentence_index": 3},
                headers={"If-Match": '"v1"'})
    client.post(f"/claims/{cid}/reviews", json={}, headers={"If-Match": '"v2"'})
    client.post(f"/claims/{cid}/reviews", json={"verdict": "false", "rationale": "No."}, headers={"If-Match": '"v3"'})
    client.post(f"/claims/{cid}/retraction", json={"reason": "withdrawn"}, headers={"If-Match": '"v4"'})
    events = history(client, cid)
    assert [(e["resource_type"], e["action"]) for e in events] == [
        ("claim", "create"), ("claim", "appearance_added"),
        ("review", "create"), ("claim", "review"),
        ("review", "create"), ("claim", "review"),
        ("claim", "retract"),
    ]
    assert events[5]["before"]["status"] == "in_review" and events[5]["after"]["status"] == "false"
    assert events[5]["reason"] == "No."
    assert events[-1]["after"]["status"] == "retracted" and events[-1]["reason"] == "withdrawn"
    assert len(events[1]["after"]["appearances"]) == 2


def test_every_write_of_every_resource_lands_in_the_feed_in_order(client, api, key_for):
    admin = key_for("admin")  # key events are listed to admins only
    source = api.source()
    speaker = api.speaker()
    client.patch(f"/speakers/{speaker['id']}", json={"role": "Mayor"}, headers={"If-Match": '"v1"'})
    api.claim(source=source, speaker=speaker)
    events = client.get("/audit?limit=100", headers=admin).json["items"]
    kinds = [(e["resource_type"], e["action"]) for e in events]
    # The first events are the test client's own key and the admin's being made.
    assert kinds == [("api_key", "create"), ("api_key", "create"), ("source", "create"), ("speaker", "create"),
                     ("speaker", "update"), ("claim", "create")]
    assert [e["seq"] for e in events] == [1, 2, 3, 4, 5, 6]
    assert all(events[i]["prev_hash"] == events[i - 1]["hash"] for i in range(1, len(events)))


def test_polling_the_feed_with_its_cursor_sees_each_event_once(client, api, key_for):
    client.environ_base["HTTP_AUTHORIZATION"] = key_for("admin")["Authorization"]  # sees every event
    first = client.get("/audit?limit=2").json
    seen = [e["seq"] for e in first["items"]]
    cursor = first["next_cursor"]
    api.speaker(name="New person")  # a change arrives between polls
    while True:
        page = client.get(f"/audit?limit=2&after={cursor}").json
        if not page["items"]:
            assert page["next_cursor"] is None
            break
        seen += [e["seq"] for e in page["items"]]
        cursor = page["next_cursor"]
    assert seen == list(range(1, len(seen) + 1))
    api.speaker(name="Later person")
    assert [e["after"]["name"] for e in client.get(f"/audit?after={cursor}").json["items"]] == ["Later person"]


def test_the_chain_verifies_and_a_direct_edit_in_the_database_breaks_it(admin, client, api, db):
    claim = api.claim()
    client.patch(f"/claims/{claim['id']}", json={"text": "changed"}, headers={"If-Match": '"v1"'})
    report = admin.get("/audit/verify").json
    assert (report["valid"], report["first_broken_seq"], report["problem"]) == (True, None, None)
    assert (report["last_seq"], report["last_hash"]) == (report["events_checked"], report["last_hash"])
    assert report["events_checked"] >= 5

    # Someone with database access rewrites who made the change.
    target = AuditEvent.select().where(AuditEvent.action == "update").get()
    db.execute_sql("UPDATE audit_event SET actor = 'someone else' WHERE seq = %s" % int(target.seq))
    broken = admin.get("/audit/verify").json
    assert broken["valid"] is False
    assert broken["first_broken_seq"] == target.seq
    assert "hash" in broken["problem"]


def test_a_deleted_event_breaks_the_chain_at_the_gap(admin, client, api, db):
    api.claim()
    db.execute_sql("DELETE FROM audit_event WHERE seq = 2")
    broken = admin.get("/audit/verify").json
    assert broken["valid"] is False and broken["first_broken_seq"] == 3


def test_the_audit_verify_command_exits_nonzero_on_a_broken_chain(app, api, db):
    api.claim()
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "intact" in ok.output
    db.execute_sql("UPDATE audit_event SET reason = 'forged' WHERE seq = 1")
    bad = runner.invoke(args=["audit", "verify"])
    assert bad.exit_code == 1 and "event 1" in bad.output


def test_no_model_path_updates_or_deletes_an_audit_event(admin, client, api, db):
    api.speaker()
    event = AuditEvent.select().first()
    event.actor = "rewritten"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete_instance()
    with pytest.raises(AppendOnly):
        AuditEvent.update(actor="x")
    with pytest.raises(AppendOnly):
        AuditEvent.delete()
    assert admin.get("/audit/verify").json["valid"] is True


def test_no_api_path_changes_an_audit_event(client):
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)("/audit", json={}).status_code == 405


def moment():
    time.sleep(0.01)  # events are timestamped to the microsecond; keep the points apart
    stamp = datetime.now(timezone.utc).isoformat()
    time.sleep(0.01)
    return stamp


def test_as_of_rebuilds_the_claim_at_several_points(client, api):
    before_it_existed = moment()
    speaker = api.speaker(name="Jane Doe", role="Mayor")
    claim = api.claim(speaker=speaker, tags=["economy"])
    cid = claim["id"]
    at_creation = moment()
    client.patch(f"/claims/{cid}", json={"text": "Second wording", "tags": ["trade"]}, headers={"If-Match": '"v1"'})
    client.patch(f"/speakers/{speaker['id']}", json={"role": "Governor"}, headers={"If-Match": '"v1"'})
    after_edit = moment()
    client.post(f"/claims/{cid}/reviews", json={}, headers={"If-Match": '"v2"'})
    client.post(f"/claims/{cid}/reviews", json={"verdict": "false", "rationale": "No."}, headers={"If-Match": '"v3"'})
    after_verdict = moment()

    def as_of(stamp):
        return client.get(f"/claims/{cid}", query_string={"as_of": stamp})

    assert as_of(before_it_existed).status_code == 404
    first = as_of(at_creation).json
    assert (first["text"], first["tags"], first["status"], first["version"]) == (
        "Exports rose 12 percent in 2023.", ["economy"], "unverified", 1)
    assert first["speaker"]["role"] == "Mayor"
    assert first["appearances"] == claim["appearances"]
    second = as_of(after_edit).json
    assert (second["text"], second["tags"], second["status"]) == ("Second wording", ["trade"], "unverified")
    assert second["speaker"]["role"] == "Governor"
    assert as_of(after_verdict).json == {k: v for k, v in client.get(f"/claims/{cid}").json.items()}
    assert "ETag" not in as_of(after_verdict).headers


def test_as_of_needs_a_zoned_timestamp(client, api):
    claim = api.claim()
    response = client.get(f"/claims/{claim['id']}?as_of=2024-01-01T00:00:00")
    assert response.status_code == 422 and response.json["errors"][0]["field"] == "as_of"


def _verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def test_events_from_before_key_ids_were_recorded_verify_beside_new_ones(app, anonymous, key_for, db):
    """An event as written before actor_key_id existed (hashed without it) stands in the chain before
    events that name their key; the chain holds, and rewriting a recorded key id breaks it."""
    import hashlib

    from service.store.audit import GENESIS_HASH, canonical

    # a source's event: verify also compares claims and speakers with their rows, and there is no such row
    old_style = {"seq": 1, "resource_type": "source", "resource_id": "00000000-0000-4000-8000-000000000001",
                 "action": "create", "actor": "seed", "at": datetime(2024, 1, 2, 3, 4, 5), "before": None,
                 "after": {"title": "Old"}, "reason": None, "request_id": None, "prev_hash": GENESIS_HASH}
    AuditEvent.insert(**old_style, hash=hashlib.sha256(canonical(old_style).encode()).hexdigest()).execute()
    admin = key_for("admin")
    assert anonymous.post("/speakers", json={"name": "New"}, headers=admin).status_code == 201
    events = anonymous.get("/audit?limit=100", headers=admin).json["items"]
    assert [e["actor_key_id"] is None for e in events] == [True, True, False]
    verified = _verify(app)
    assert verified.exit_code == 0, verified.output

    newest = events[-1]["seq"]
    db.execute_sql("UPDATE audit_event SET actor_key_id = 'another key' WHERE seq = %s" % int(newest))
    broken = _verify(app)
    assert broken.exit_code == 1 and f"event {newest}" in broken.output
    db.execute_sql("UPDATE audit_event SET actor_key_id = NULL WHERE seq = %s" % int(newest))
    assert _verify(app).exit_code == 1, "dropping the key id must not pass for an old-style event"


def test_verifying_the_whole_log_needs_an_admin_key(anonymous, client, admin):
    assert anonymous.get("/audit/verify").status_code == 401
    assert client.get("/audit/verify").status_code == 403
    assert admin.get("/audit/verify").json["valid"] is True


def test_a_check_from_a_verified_point_walks_only_the_newer_events(anonymous, admin, api, db):
    api.claim()
    point = admin.get("/audit/verify").json
    api.speaker(name="Later person")
    api.speaker(name="Another")
    since = anonymous.get(f"/audit/verify?from_seq={point['last_seq']}&from_hash={point['last_hash']}").json
    assert (since["valid"], since["events_checked"], since["last_seq"]) == (True, 2, point["last_seq"] + 2)

    db.execute_sql("UPDATE audit_event SET reason = 'forged' WHERE seq = %s" % int(since["last_seq"]))
    broken = anonymous.get(f"/audit/verify?from_seq={point['last_seq']}&from_hash={point['last_hash']}").json
    assert (broken["valid"], broken["first_broken_seq"]) == (False, since["last_seq"])
    db.execute_sql("UPDATE audit_event SET reason = 'forged' WHERE seq = %s" % int(point["last_seq"]))
    moved = anonymous.get(f"/audit/verify?from_seq={point['last_seq']}&from_hash={point['last_hash']}").json
    assert (moved["valid"], moved["first_broken_seq"]) == (False, point["last_seq"])
    assert anonymous.get(f"/audit/verify?from_seq={point['last_seq']}").status_code == 422
