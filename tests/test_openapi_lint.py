"""openapi.yaml passes two third-party linters clean: Redocly's recommended rules and Spectral's spectral:oas.
Their versions are pinned in tests/openapi-lint/package-lock.json, which `make test` installs (npm ci); the
findings kept on purpose, each with its reason, are in that folder's configuration files."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_DIR = ROOT / "tests" / "openapi-lint"
OPENAPI_YAML = ROOT / "openapi.yaml"
# Neither tool may phone home or print an update notice into the output read below.
QUIET = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_UPDATE_NOTIFIER": "1"}


@pytest.fixture(scope="module")
def npx():
    path = shutil.which("npx")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the OpenAPI linters, and npx is not on PATH")
        pytest.skip("npx is not on PATH: install Node.js to run the OpenAPI linters")
    if not (LINT_DIR / "node_modules" / ".bin" / "redocly").exists():
        pytest.fail("the OpenAPI linters are not installed: run `make lint-tools` (make test does)")
    return path


def run(npx, *args):
    # --no-install: only the versions the lock file pinned, never one fetched on the fly
    return subprocess.run([npx, "--no-install", *args], cwd=LINT_DIR, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **QUIET})


def test_openapi_yaml_passes_redoclys_recommended_rules_without_an_error_or_a_warning(npx):
    result = run(npx, "redocly", "lint", str(OPENAPI_YAML), "--config", "redocly.yaml", "--format", "json")
    assert result.stdout.strip(), result.stderr
    report = json.loads(result.stdout)
    findings = [f"{p['severity']} {p['ruleId']}: {p['message']} at {[loc.get('pointer') for loc in p['location']]}"
                for p in report["problems"]]
    assert findings == []
    assert report["totals"]["errors"] == report["totals"]["warnings"] == 0


def test_openapi_yaml_passes_spectrals_oas_ruleset_without_an_error_or_a_warning(npx, tmp_path):
    output = tmp_path / "spectral.json"
    result = run(npx, "spectral", "lint", "--ruleset", ".spectral.yaml", "--format", "json", "--output", str(output),
                 "--fail-severity", "hint", str(OPENAPI_YAML))
    assert output.exists(), result.stderr
    findings = [f"{f['code']}: {f['message']} at {'.'.join(map(str, f['path']))}"
                for f in json.loads(output.read_text())]
    assert findings == []
    assert result.returncode == 0, result.stderr
