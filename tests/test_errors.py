"""One problem format everywhere (bad bodies on write endpoints: tests/test_hostile_input.py)."""


def assert_problem(response, status):
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["detail"]
    assert body["type"].startswith("urn:claimtrail:problem:"), body["type"]
    return body


def test_unknown_path_is_a_json_404(client):
    assert_problem(client.get("/no/such/thing"), 404)


def test_wrong_method_is_405_with_allow(client):
    response = client.delete("/claims")
    assert_problem(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_no_such_route_or_method_is_answered_before_the_body_or_key_is_looked_at(anonymous):
    assert_problem(anonymous.put("/health", data="x", content_type="text/plain"), 405)
    assert_problem(anonymous.post("/no/such/thing", data="x", content_type="text/plain",
                                  headers={"Authorization": "Bearer not-a-key"}), 404)


def test_bad_query_values_are_422_naming_the_parameter(client):
    for query, field in [("limit=0", "limit"), ("limit=101", "limit"), ("status=maybe", "status"),
                         ("cursor=garbage", "cursor"), ("speaker_id=not-a-uuid", "speaker_id")]:
        body = assert_problem(client.get(f"/claims?{query}"), 422)
        assert body["errors"][0] == {"location": "query", "field": field, "message": body["errors"][0]["message"]}


def test_request_id_is_echoed_and_in_problems(client):
    response = client.get("/claims/00000000-0000-4000-8000-000000000000", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"
    assert response.json["request_id"] == "abc-123"


def test_a_method_the_path_does_not_have_is_405_even_with_a_body_that_is_not_json(client):
    response = client.put("/health", data="x", content_type="text/plain")
    assert_problem(response, 405)


def test_a_body_over_the_limit_is_a_413_problem_of_the_services_own_urn_type(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 100
    over = assert_problem(client.post("/speakers", json={"name": "x" * 200}), 413)
    assert over["type"] == "urn:claimtrail:problem:request-entity-too-large"


def test_a_problem_raised_by_the_web_layer_has_the_same_type_as_ours_for_that_status(client):
    no_route = assert_problem(client.get("/no/such/thing"), 404)
    no_claim = assert_problem(client.get("/claims/00000000-0000-4000-8000-000000000000"), 404)
    assert no_route["type"] == no_claim["type"] == "urn:claimtrail:problem:not-found"
