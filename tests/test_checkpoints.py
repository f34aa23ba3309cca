"""Signed checkpoints: made on schedule and on demand, kept, published with every key they were signed with,
and catching any edit, insertion, deletion or truncation of the log before them."""
import json
import logging
import os
import stat

import pytest

from service.rules import checkpoints as rules
from service.store import checkpoints
from service.store.audit import GENESIS_HASH, event_hash, represent
from service.store.models import AuditEvent, Checkpoint
from tests.conftest import app_on


def schedule(every_events=0, every_minutes=0):
    checkpoints.use(checkpoints.current_signer(), checkpoints.Schedule(every_events, every_minutes))


@pytest.fixture
def admin(app, key_for):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = key_for("admin")["Authorization"]
    return client


def make_events(api, speakers):
    for n in range(speakers):
        api.speaker(name=f"Person {n}")


def rewrite_log(db, change):
    """Rewrite the log as someone with the database would, chaining it again so the chain alone holds."""
    events = [{k: v for k, v in represent(e).items() if k not in ("hash", "prev_hash")}
              for e in AuditEvent.select().order_by(AuditEvent.seq)]
    events = change(events)
    previous = GENESIS_HASH
    for seq, event in enumerate(events, 1):
        event.update(seq=seq, prev_hash=previous)
        event["hash"] = previous = event_hash(event)
    db.execute_sql("DELETE FROM audit_event")
    if events:
        AuditEvent.insert_many(events).execute()


def test_a_checkpoint_is_signed_by_the_write_that_crosses_every_nth_event(client, admin, api, db):
    schedule(every_events=4)
    make_events(api, 9)  # events 2 to 10, after the test key's own
    # the first event (the test's key) found no checkpoint at all, so one was overdue then
    made = client.get("/audit/checkpoints").json["items"]
    assert [c["seq"] for c in made] == [1, 4, 8]
    keys = {k["key_id"]: k["public_key"] for k in client.get("/audit/keys").json["items"]}
    events = {e["seq"]: e for e in admin.get("/audit?limit=100").json["items"]}  # key events: admins only
    for checkpoint in made:
        assert rules.signature_holds(checkpoint, keys[checkpoint["key_id"]])
        assert checkpoint["head_hash"] == events[checkpoint["seq"]]["hash"]
    assert client.get("/audit/checkpoints/latest").json == made[-1]


def test_ordinary_writes_sign_nothing_between_checkpoints(client, api, db):
    schedule(every_events=1000, every_minutes=60)
    make_events(api, 20)
    # the first write finds no checkpoint at all, which is overdue; the rest are within the hour
    assert Checkpoint.select().count() == 1


def test_a_checkpoint_is_signed_once_the_newest_is_older_than_the_interval(client, api, db):
    schedule(every_events=0, every_minutes=1)
    api.speaker()
    assert Checkpoint.select().count() == 1
    db.execute_sql("UPDATE checkpoint SET at = '2000-01-01 00:00:00'")  # as if it were long ago
    checkpoints.use(checkpoints.current_signer(), checkpoints.Schedule(0, 1))  # a new process: knows nothing yet
    newest = api.speaker(name="Later")
    latest = client.get("/audit/checkpoints/latest").json
    assert Checkpoint.select().count() == 2 and latest["seq"] == AuditEvent.select().count()
    assert client.get("/audit?limit=100").json["items"][-1]["after"]["id"] == newest["id"]


def test_an_admin_makes_a_checkpoint_on_demand_and_no_one_else_may(client, admin, api):
    schedule()
    api.speaker()
    assert client.post("/audit/checkpoints", json={}).status_code == 403
    made = admin.post("/audit/checkpoints", json={})
    assert made.status_code == 201
    assert made.json["seq"] == len(admin.get("/audit?limit=100").json["items"])
    assert client.get("/audit/checkpoints/latest").json == made.json


def test_the_checkpoint_command_signs_one_and_prints_it(app, api, client):
    api.speaker()
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == client.get("/audit/checkpoints/latest").json


def test_no_checkpoint_yet_is_404(anonymous):
    schedule()
    assert anonymous.get("/audit/checkpoints/latest").status_code == 404


def held(client):
    return client.get("/audit/checkpoints?limit=100").json["items"]


def test_deleting_the_newest_events_is_found_against_the_latest_checkpoint(client, admin, api, db, app, tmp_path):
    schedule()
    make_events(api, 4)
    latest = admin.post("/audit/checkpoints", json={}).json
    kept = tmp_path / "latest.json"
    kept.write_text(json.dumps(latest))
    assert admin.post("/audit/verify", json={"checkpoints": [latest]}).json["valid"] is True
    db.execute_sql(f"DELETE FROM audit_event WHERE seq > {latest['seq'] - 2}")

    report = admin.post("/audit/verify", json={"checkpoints": [latest]}).json
    assert report["problem"] is None  # the shorter chain holds by itself
    assert report["valid"] is False
    [failure] = report["checkpoint_failures"]
    assert failure["checkpoint_id"] == latest["id"] and failure["failed_at_seq"] == latest["seq"] - 1
    assert "removed" in failure["problem"]
    assert admin.get("/audit/verify").json["checkpoint_failures"][0]["checkpoint_id"] == latest["id"]

    result = app.test_cli_runner().invoke(args=["audit", "verify", "--checkpoint", str(kept)])
    assert result.exit_code == 1
    assert f"checkpoint {latest['id']} (seq {latest['seq']}) FAILED at event {latest['seq'] - 1}" in result.output


# Each changes the log from the event at index `at` (0-based) on.
def edit(events, at):
    events[at]["reason"] = "forged"
    return events


def insert(events, at):
    return events[:at] + [{**events[at], "resource_id": "inserted"}] + events[at:]


def delete(events, at):
    return events[:at] + events[at + 1:]


def truncate(events, at):
    return events[:at + 1]


@pytest.mark.parametrize("change", [edit, insert, delete, truncate])
def test_a_log_changed_and_chained_again_fails_every_checkpoint_after_the_change(client, admin, api, db, change):
    schedule()
    make_events(api, 2)
    early = admin.post("/audit/checkpoints", json={}).json  # before event 3 exists: never affected
    make_events(api, 4)
    later = admin.post("/audit/checkpoints", json={}).json
    rewrite_log(db, lambda events: change(events, early["seq"]))

    report = admin.post("/audit/verify", json={"checkpoints": [early, later]}).json
    assert report["problem"] is None, "the rewritten chain holds by itself"
    assert [f["checkpoint_id"] for f in report["checkpoint_failures"]] == [later["id"]]
    assert report["checkpoint_failures"][0]["failed_at_seq"] in (later["seq"], early["seq"] + 2)
    assert report["valid"] is False


def test_a_forged_or_unknown_checkpoint_is_refused(client, admin, api):
    schedule()
    api.speaker()
    real = admin.post("/audit/checkpoints", json={}).json
    forged = {**real, "seq": real["seq"] - 1, "id": 99}
    stranger = {**real, "key_id": "0123456789abcdef", "id": 98}
    report = admin.post("/audit/verify", json={"checkpoints": [real, forged, stranger]}).json
    problems = {f["checkpoint_id"]: f["problem"] for f in report["checkpoint_failures"]}
    assert set(problems) == {99, 98}
    assert "signature" in problems[99] and "never published" in problems[98]


def test_a_new_signing_key_keeps_the_old_one_published_and_its_checkpoints_checkable(client, admin, api):
    schedule()
    api.speaker()
    old = admin.post("/audit/checkpoints", json={}).json
    checkpoints.use(checkpoints.Signer.of(rules.new_private_key()), checkpoints.Schedule(0, 0))
    api.speaker(name="After the rotation")
    new = admin.post("/audit/checkpoints", json={}).json
    keys = client.get("/audit/keys").json["items"]
    assert [(k["key_id"], k["current"]) for k in keys] == [(old["key_id"], False), (new["key_id"], True)]
    report = admin.get("/audit/verify").json
    assert report["valid"] is True and report["checkpoints_checked"] == len(held(client)) >= 2


def test_the_embedded_default_generates_its_key_once_beside_the_database(tmp_path, caplog):
    url = f"sqlite:///{tmp_path / 'claimtrail.db'}"
    with caplog.at_level(logging.WARNING, logger="service.store.checkpoints"), app_on(url):
        pass
    path = tmp_path / checkpoints.KEY_FILE_NAME
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    first = checkpoints.current_signer().key_id
    assert any("GENERATED" in r.message and str(path) in r.message for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="service.store.checkpoints"), app_on(url):
        pass
    assert checkpoints.current_signer().key_id == first
    assert not any("GENERATED" in r.message for r in caplog.records)


def test_a_configured_key_is_used_and_a_bad_one_refused(tmp_path):
    key = rules.new_private_key()
    path = tmp_path / "signing.pem"
    path.write_bytes(rules.private_key_pem(key))
    assert checkpoints.load_signer(key_file=str(path)).public_key == rules.public_key_text(key)
    with pytest.raises(rules.BadKey):
        checkpoints.load_signer(key_text="not a key")
