def review(client, claim_id, etag, **body):
    return client.post(f"/claims/{claim_id}/reviews", json=body, headers={"If-Match": etag})


def test_a_claim_moves_through_review_to_a_verdict(client, api):
    claim = api.claim()
    started = review(client, claim["id"], '"v1"')
    assert started.status_code == 201
    assert started.json["status"] == "in_review" and started.json["verdict"] is None
    assert started.json["reviewer"] == "Ed Itor"
    decided = review(client, claim["id"], '"v2"', verdict="false", rationale="Exports fell 3 percent.",
                     evidence=[{"stance": "refutes", "url": "https://stats.example/exports-2023"}])
    assert decided.status_code == 201
    fetched = client.get(f"/claims/{claim['id']}")
    assert fetched.json["status"] == "false"
    assert fetched.headers["ETag"] == '"v3"'


def test_evidence_may_be_a_url_or_a_sentence_of_a_stored_source(client, api):
    source = api.source()
    claim = api.claim(source=source)
    review(client, claim["id"], '"v1"')
    response = review(client, claim["id"], '"v2"', verdict="half_true", rationale="Partly.", evidence=[
        {"stance": "supports", "source_id": source["id"], "sentence_index": 2, "note": "the original figure"},
        {"stance": "context", "url": "https://example.org/context"},
    ])
    assert response.status_code == 201
    assert response.json["evidence"] == [
        {"stance": "supports", "url": None, "source_id": source["id"], "sentence_index": 2,
         "note": "the original figure"},
        {"stance": "context", "url": "https://example.org/context", "source_id": None, "sentence_index": None,
         "note": None},
    ]
    listed = client.get(f"/claims/{claim['id']}/reviews").json["items"]
    assert [r["status"] for r in listed] == ["in_review", "half_true"]


def test_evidence_must_be_exactly_one_of_url_or_sentence(client, api):
    source = api.source()
    claim = api.claim(source=source)
    review(client, claim["id"], '"v1"')
    for item in [{"stance": "supports"},
                 {"stance": "supports", "url": "https://x.example", "source_id": source["id"], "sentence_index": 0},
                 {"stance": "supports", "source_id": source["id"], "sentence_index": 99}]:
        response = review(client, claim["id"], '"v2"', verdict="true", rationale="r", evidence=[item])
        assert response.status_code == 422, item
    assert client.get(f"/claims/{claim['id']}").json["status"] == "in_review"
    assert len(client.get(f"/claims/{claim['id']}/reviews").json["items"]) == 1


def test_a_verdict_needs_a_rationale_and_a_known_verdict(client, api):
    claim = api.claim()
    review(client, claim["id"], '"v1"')
    missing = review(client, claim["id"], '"v2"', verdict="false")
    assert missing.status_code == 422 and missing.json["errors"][0]["field"] == "rationale"
    unknown = review(client, claim["id"], '"v2"', verdict="sort_of", rationale="r")
    assert unknown.status_code == 422 and unknown.json["errors"][0]["field"] == "verdict"


def test_skipping_review_is_a_409_naming_the_allowed_moves(client, api):
    claim = api.claim()
    response = review(client, claim["id"], '"v1"', verdict="true", rationale="Looks right.")
    assert response.status_code == 409
    assert "in_review" in response.json["detail"] and "retracted" in response.json["detail"]
    assert client.get(f"/claims/{claim['id']}").json["status"] == "unverified"


def test_reopening_a_verdict_needs_a_reason(client, api):
    claim = api.claim()
    review(client, claim["id"], '"v1"')
    review(client, claim["id"], '"v2"', verdict="true", rationale="Checked.")
    assert review(client, claim["id"], '"v3"').status_code == 422
    reopened = review(client, claim["id"], '"v3"', rationale="New data came out.")
    assert reopened.status_code == 201
    assert client.get(f"/claims/{claim['id']}").json["status"] == "in_review"


def test_retraction_keeps_the_claim_and_ends_its_workflow(client, api):
    claim = api.claim()
    retracted = client.post(f"/claims/{claim['id']}/retraction", json={"reason": "Duplicate of another claim."},
                            headers={"If-Match": '"v1"'})
    assert retracted.status_code == 200 and retracted.json["status"] == "retracted"
    assert client.get(f"/claims/{claim['id']}").status_code == 200
    assert [c["id"] for c in client.get("/claims?status=retracted").json["items"]] == [claim["id"]]
    again = review(client, claim["id"], '"v2"')
    assert again.status_code == 409 and "stays retracted" in again.json["detail"]


def test_reviews_need_if_match_like_every_change(client, api):
    claim = api.claim()
    assert client.post(f"/claims/{claim['id']}/reviews", json={}).status_code == 428
    assert review(client, claim["id"], '"v9"').status_code == 412
    assert client.get(f"/claims/{claim['id']}/reviews").json["items"] == []


def test_the_verdict_scale_is_published(client):
    scale = client.get("/verdicts").json
    assert scale["best_rating"] == 6 and scale["worst_rating"] == 1
    assert {"id": "false", "label": "False", "rating_value": 2} in scale["verdicts"]
