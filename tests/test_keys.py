"""Who may write: keys with roles, shown once, stored as hashes, named as the actor of each change."""
import hashlib

import pytest

from service.config import Config
from service.store.models import ApiKey


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
    assert made.json["prefix"] == secret[:10]


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
