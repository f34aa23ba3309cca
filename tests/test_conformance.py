"""schemathesis sends generated requests, valid and invalid, to every operation in openapi.yaml on a live
gunicorn: no answer may be a 5xx or contradict the spec (status, content type, headers, body schema)."""
import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.live_server import ROOT

BIN = Path(sys.executable).parent
CONFIG = Path(__file__).with_name("schemathesis.toml")
TIME_LIMIT = 240


def test_every_answer_to_generated_requests_conforms_to_openapi_yaml(gunicorn_server, tmp_path):
    run = subprocess.run(
        [BIN / "schemathesis", "--config-file", CONFIG, "--no-color", "run", ROOT / "openapi.yaml",
         "--url", gunicorn_server.url, "-H", f"Authorization: {gunicorn_server.key('admin')['Authorization']}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=TIME_LIMIT,  # hypothesis leaves files in its cwd
    )
    assert run.returncode == 0, run.stdout[-30_000:] + run.stderr[-5_000:]


def test_an_over_long_query_value_gets_the_services_problem_not_gunicorns_page(gunicorn_server):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{gunicorn_server.url}/speakers?name={'n' * 6000}", timeout=10)
    assert refused.value.code == 422
    assert refused.value.headers["Content-Type"] == "application/problem+json"
    assert json.load(refused.value)["errors"][0]["field"] == "name"
