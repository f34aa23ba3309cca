"""Who may write: keys with roles, shown once, stored as hashes, named as the actor of each change."""
import hashlib

import pytest

from service.config import Config
from service.store.models import ApiKey, AuditEvent


def test_a_write_without_a_key_is_401_and_changes_nothing(anonymous):
    response = anonymous.post("/speakers", json={"name": "X"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.content_type == "application/problem+json"
    assert anonymous.get("/speakers").json["items"] == []


def test_reading_is_open_by_default(anonymous):
    assert anonymous.get("/claims").status_code == 200


@pytest.mark.parametrize("header", ["Bearer ct_not_a_real_key", "Basic dXNlcjpwYXNz", "Bearer "])
def test_a_bad_key_is_401_even_for_reads(anonymous, header):
    assert anonymous.get("/claims", headers={"Authorization": header}).status_code == 401


def test_roles_decide_who_may_do_what(anonymous, api, key_for):
    claim = api.claim()
    reader, checker, editor, admin = (key_for(r) for r in ("reader", "checker", "editor", "admin"))

    def status(method, path, key, **kwargs):
        return getattr(anonymous, method)(path, headers={**key, "If-Match": '"v1"'}, **kwargs).status_code

    assert status("post", "/speakers", reader, json={"name": "A"}) == 403
    assert status("post", "/speakers", checker, json={"name": "A"}) == 403
    assert status("post", "/speakers", editor, json={"name": "A"}) == 201
    assert status("post", f"/claims/{claim['id']}/reviews", reader, json={}) == 403
    assert status("post", f"/claims/{claim['id']}/reviews", checker, json={}) == 201
    assert status("patch", f"/claims/{claim['id']}", checker, json={"text": "t"}) == 403
    assert status("get", "/keys", editor) == 403
    assert status("get", "/keys", admin) == 200


def test_a_key_is_shown_once_and_stored_only_as_a_hash(anonymous, key_for, db):
    admin = key_for("admin")
    made = anonymous.post("/keys", json={"owner": "Fatima Checker", "role": "checker"}, headers=admin)
    assert made.status_code == 201
    secret = made.json["key"]
    assert secret.startswith("ct_") and len(secret) > 40
    stored = ApiKey.get(ApiKey.uid == made.json["id"])
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in repr(stored.__data__.values())
    listed = anonymous.get("/keys?limit=100", headers=admin).json["items"]
    assert all("key" not in k for k in listed)


def _pieces(secret, size=5):
    """Every run of `size` characters of the secret's random part: none may be kept or shown anywhere."""
    random_part = secret.removeprefix("ct_")
    return {random_part[i:i + size] for i in range(len(random_part) - size + 1)}


def test_no_part_of_a_secret_is_stored_listed_or_audited(anonymous, key_for, db):
    admin = key_for("admin")
    made = anonymous.post("/keys", json={"owner": "Fatima Checker", "role": "checker"}, headers=admin).json
    anonymous.post(f"/keys/{made['id']}/revocation", json={"reason": "left"}, headers=admin)
    shown = (anonymous.get("/keys?limit=100", headers=admin).get_data(as_text=True)
             + anonymous.get("/audit?limit=100", headers=admin).get_data(as_text=True))
    stored = repr([list(ApiKey.select().tuples()), list(AuditEvent.select().tuples())])
    assert made["id"] in shown
    assert not {piece for piece in _pieces(made["key"]) if piece in shown or piece in stored}
    assert set(made) == {"id", "owner", "role", "created_at", "revoked_at", "key"}


def test_key_events_are_in_the_audit_feed_for_admins_only(anonymous, key_for):
    admin = key_for("admin", owner="Ad Min")
    made = anonymous.post("/keys", json={"owner": "Secret Agent", "role": "editor"}, headers=admin).json
    anonymous.post("/speakers", json={"name": "Someone"}, headers={"Authorization": f"Bearer {made['key']}"})
    for caller in ({}, key_for("reader"), key_for("editor"), key_for("checker")):
        feed = anonymous.get("/audit?limit=100", headers=caller)
        assert feed.status_code == 200
        assert {e["resource_type"] for e in feed.json["items"]} == {"speaker"}
    as_admin = anonymous.get("/audit?limit=100", headers=admin).json["items"]
    assert made["id"] in {e["resource_id"] for e in as_admin if e["resource_type"] == "api_key"}


def _key_id(anonymous, admin, owner):
    [key] = [k for k in anonymous.get("/keys?limit=100", headers=admin).json["items"] if k["owner"] == owner]
    return key["id"]


def test_every_event_written_through_the_api_names_the_key_and_the_shell_names_itself(app, anonymous, key_for):
    admin = key_for("admin", owner="Ad Min")
    first, second = key_for("editor", owner="seed"), key_for("editor", owner="seed")
    one = anonymous.post("/speakers", json={"name": "One"}, headers=first).json
    two = anonymous.post("/speakers", json={"name": "Two"}, headers=second).json
    result = app.test_cli_runner().invoke(args=["keys", "create", "--owner", "Via Shell", "--role", "reader"])
    assert result.exit_code == 0, result.output
    events = {e["resource_id"]: e for e in anonymous.get("/audit?limit=100", headers=admin).json["items"]}
    assert events[one["id"]]["actor"] == events[two["id"]]["actor"] == "seed"
    key_ids = {event["actor_key_id"] for event in events.values() if event["actor"] == "seed"}
    assert len(key_ids) == 2 and None not in key_ids
    assert events[one["id"]]["actor_key_id"] != events[two["id"]]["actor_key_id"]
    shell = events[_key_id(anonymous, admin, "Via Shell")]
    assert (shell["actor"], shell["actor_key_id"]) == ("cli", None)
    admin_id = _key_id(anonymous, admin, "Ad Min")
    assert all(e["actor_key_id"] == admin_id for e in events.values() if e["actor"] == "Ad Min")


def test_the_audit_actor_is_the_keys_owner(anonymous, key_for):
    editor = key_for("editor", owner="Maria Editor")
    made = anonymous.post("/speakers", json={"name": "Someone"}, headers=editor)
    events = anonymous.get("/audit?limit=100").json["items"]
    [create] = [e for e in events if e["resource_id"] == made.json["id"]]
    assert create["actor"] == "Maria Editor"


def test_a_revoked_key_stops_working(anonymous, key_for):
    admin = key_for("admin")
    made = anonymous.post("/keys", json={"owner": "Temp", "role": "editor"}, headers=admin).json
    temp = {"Authorization": f"Bearer {made['key']}"}
    assert anonymous.post("/speakers", json={"name": "A"}, headers=temp).status_code == 201
    revoked = anonymous.post(f"/keys/{made['id']}/revocation", json={"reason": "left"}, headers=admin)
    assert revoked.status_code == 200 and revoked.json["revoked_at"]
    assert anonymous.post("/speakers", json={"name": "B"}, headers=temp).status_code == 401


def test_reads_can_be_restricted_to_keys(database_url, key_for):
    from service.app import create_app

    app = create_app(Config(database_url=database_url, read_requires_key=True, db_pool_size=2))
    client = app.test_client()
    assert client.get("/claims").status_code == 401
    assert client.get("/health").status_code == 200
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/claims", headers=key_for("reader")).status_code == 200


def test_keys_create_command_prints_a_working_key(app, anonymous):
    result = app.test_cli_runner().invoke(args=["keys", "create", "--owner", "Local Dev", "--role", "editor"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    response = anonymous.post("/speakers", json={"name": "Via CLI key"}, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 201


def test_a_caller_without_the_role_hears_that_before_anything_about_its_body(anonymous, key_for):
    assert anonymous.post("/speakers", data="x", content_type="text/plain").status_code == 401
    assert anonymous.post("/import", data="x", content_type="text/plain").status_code == 401
    assert anonymous.post("/speakers", data="x", content_type="text/plain",
                          headers=key_for("reader")).status_code == 403
    assert anonymous.post("/speakers", data="x", content_type="text/plain",
                          headers=key_for("editor")).status_code == 415
