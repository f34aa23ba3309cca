"""docs/verify.py, run as a third party would: a separate Python process, given the service's exports only."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

VERIFIER = Path(__file__).resolve().parents[1] / "docs" / "verify.py"


@pytest.fixture
def exported(app, client, varied, key_for, tmp_path):
    """The log, its checkpoints, the keys and the claims, as files fetched over the API."""
    admin = app.test_client()
    admin.environ_base["HTTP_AUTHORIZATION"] = key_for("admin")["Authorization"]
    assert admin.post("/audit/checkpoints", json={}).status_code == 201
    files = {"log": client.get("/audit/export").data, "claims": client.get("/export").data,
             "checkpoints": client.get("/audit/checkpoints?limit=100").data, "keys": client.get("/audit/keys").data}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


def run(folder, *only):
    names = only or ("log", "checkpoints", "keys", "claims")
    args = [arg for name in names for arg in (f"--{name}", str(folder / name))]
    return subprocess.run([sys.executable, str(VERIFIER), *args], capture_output=True, text=True, timeout=60,
                          cwd="/")


def rewrite(path, change):
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    path.write_text("".join(json.dumps(line) + "\n" for line in change(lines)))


def test_the_verifier_accepts_an_untouched_export(exported):
    result = run(exported)
    assert result.returncode == 0, result.stdout
    assert "VERIFIED" in result.stdout


def test_an_edited_event_is_found_where_it_is(exported):
    def forge(events):
        events[3]["actor"] = "someone else"
        return events

    rewrite(exported / "log", forge)
    result = run(exported)
    assert result.returncode == 1
    assert "FAIL event 4: its contents do not match its hash" in result.stdout
    assert "FAIL checkpoint" in result.stdout


def test_the_newest_events_cut_off_fail_the_latest_checkpoint(exported):
    rewrite(exported / "log", lambda events: events[:-2])
    result = run(exported)
    assert result.returncode == 1
    assert "were removed" in result.stdout and "FAIL checkpoint" in result.stdout


def test_a_forged_checkpoint_signature_is_refused(exported):
    page = json.loads((exported / "checkpoints").read_text())
    page["items"][-1]["seq"] -= 1
    (exported / "checkpoints").write_text(json.dumps(page))
    result = run(exported)
    assert result.returncode == 1 and "its signature does not hold" in result.stdout


def test_a_claim_changed_in_the_export_is_found_against_the_log(exported):
    def change(lines):
        lines[0]["status"] = "true"
        return lines

    rewrite(exported / "claims", change)
    result = run(exported)
    assert result.returncode == 1
    assert f"FAIL claim {json.loads((exported / 'claims').read_text().splitlines()[0])['id']}" in result.stdout
    assert "status: the export says" in result.stdout


def test_a_claim_left_out_of_the_export_is_found(exported):
    rewrite(exported / "claims", lambda lines: lines[1:])
    result = run(exported)
    assert result.returncode == 1 and "the export leaves it out" in result.stdout


def test_the_verifier_needs_nothing_of_the_service():
    source = VERIFIER.read_text()
    assert "import service" not in source and "from service" not in source
