"""One problem format everywhere, and nothing stored when a request is refused."""
import pytest


def assert_problem(response, status):
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_unknown_path_is_a_json_404(client):
    assert_problem(client.get("/no/such/thing"), 404)


def test_wrong_method_is_405_with_allow(client):
    response = client.delete("/claims")
    assert_problem(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


@pytest.mark.parametrize("body, content_type", [("text=x", "application/x-www-form-urlencoded"),
                                                ("{}", "text/plain")])
def test_a_body_that_is_not_json_is_415(client, body, content_type):
    assert_problem(client.post("/speakers", data=body, content_type=content_type), 415)


@pytest.mark.parametrize("raw", ['{"name": ', "[" * 100_000, '{"name": 1' + "0" * 5000 + "}"])
def test_malformed_deep_or_absurd_json_is_400(client, raw):
    body = assert_problem(client.post("/speakers", data=raw, content_type="application/json"), 400)
    assert body["errors"][0]["location"] == "body"
    assert client.get("/speakers").json["items"] == []


def test_a_body_over_the_limit_is_413(client, app):
    too_big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/sources", json={"title": "big", "text": too_big})
    assert_problem(response, 413)
    assert client.get("/sources").json["items"] == []


def test_validation_errors_name_each_field(client):
    body = assert_problem(client.post("/speakers", json={"name": 5, "aliases": ["ok", 7]}), 422)
    assert {(e["location"], e["field"]) for e in body["errors"]} == {("body", "name"), ("body", "aliases.1")}


def test_nul_bytes_are_refused_not_stored(client):
    body = assert_problem(client.post("/speakers", json={"name": "Ja\x00ne"}), 422)
    assert body["errors"][0]["field"] == "name"
    assert client.get("/speakers").json["items"] == []


def test_bad_query_values_are_422_naming_the_parameter(client):
    for query, field in [("limit=0", "limit"), ("limit=101", "limit"), ("status=maybe", "status"),
                         ("cursor=garbage", "cursor"), ("speaker_id=not-a-uuid", "speaker_id")]:
        body = assert_problem(client.get(f"/claims?{query}"), 422)
        assert body["errors"][0] == {"location": "query", "field": field, "message": body["errors"][0]["message"]}


def test_script_and_sql_looking_text_is_stored_verbatim(client):
    name = "Robert'); DROP TABLE speaker;-- <script>alert(1)</script>"
    made = client.post("/speakers", json={"name": name})
    assert made.status_code == 201
    assert client.get(f"/speakers/{made.json['id']}").json["name"] == name


def test_request_id_is_echoed_and_in_problems(client):
    response = client.get("/claims/00000000-0000-4000-8000-000000000000", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"
    assert response.json["request_id"] == "abc-123"


def test_a_method_the_path_does_not_have_is_405_even_with_a_body_that_is_not_json(client):
    response = client.put("/health", data="x", content_type="text/plain")
    assert_problem(response, 405)
