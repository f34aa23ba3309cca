"""openapi.yaml is what the code generates, and it is a valid OpenAPI document."""
import json
from pathlib import Path

import yaml
from openapi_spec_validator import validate

from service.app import create_app
from service.config import Config

OPENAPI_YAML = Path(__file__).resolve().parents[1] / "openapi.yaml"


def generated_spec(tmp_path):
    app = create_app(Config(database_url=f"sqlite:///{tmp_path / 'spec.db'}"))
    return app.extensions["claimtrail_api"].spec.to_dict()


def test_committed_openapi_yaml_matches_the_code(tmp_path):
    committed = yaml.safe_load(OPENAPI_YAML.read_text(encoding="utf-8"))
    assert committed == generated_spec(tmp_path), "openapi.yaml is stale: run `make openapi` and commit it"


def test_openapi_yaml_is_a_valid_openapi_document():
    validate(yaml.safe_load(OPENAPI_YAML.read_text(encoding="utf-8")))


def test_every_operation_has_an_id_a_summary_and_a_problem_response(tmp_path):
    spec = generated_spec(tmp_path)
    seen = set()
    for path, item in spec["paths"].items():
        for method, operation in ((m, o) for m, o in item.items() if m != "parameters"):
            assert operation.get("operationId"), (method, path)
            assert operation["operationId"] not in seen
            seen.add(operation["operationId"])
            assert operation.get("summary"), (method, path)
            assert "default" in operation["responses"], (method, path)
    problem = spec["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(problem) == ["application/problem+json"]


def test_documented_headers_never_hide_an_operations_query_parameters(tmp_path):
    spec = generated_spec(tmp_path)

    def parameters(method, path):
        return {(p["in"], p["name"]): p["required"] for p in spec["paths"][path][method]["parameters"]}

    assert parameters("get", "/claims/{claim_id}") == {("query", "as_of"): False, ("header", "If-None-Match"): False}
    assert parameters("post", "/sources") == {("query", "extract"): False, ("header", "Idempotency-Key"): False}
    assert parameters("post", "/claims/{claim_id}/reviews") == {("header", "If-Match"): True,
                                                                 ("header", "Idempotency-Key"): False}


def test_every_component_schema_is_used(tmp_path):
    """A schema nothing refers to (as flask-smorest's X-Pagination metadata was) is a stray model in
    every generated client. NDJSON's line has no OpenAPI form: its description names ClaimLine."""
    spec = generated_spec(tmp_path)
    text = json.dumps(spec)
    unused = [name for name in spec["components"]["schemas"]
              if f'"#/components/schemas/{name}"' not in text and f"components.schemas.{name}" not in text]
    assert unused == []


def test_served_spec_and_docs(client):
    assert client.get("/openapi.json").json["info"]["title"] == "Claimtrail"
    docs = client.get("/docs")
    assert docs.status_code == 200 and b"swagger" in docs.data.lower()
