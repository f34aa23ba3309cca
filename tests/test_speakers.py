def test_create_and_read_a_speaker(client, api):
    made = api.speaker(name="Mohammad Baqeri", aliases=["Mohammad Bagheri"], role="Chief of Staff",
                       affiliation="Iranian Armed Forces", external_id="Q123")
    fetched = client.get(f"/speakers/{made['id']}")
    assert fetched.status_code == 200
    assert fetched.json["aliases"] == ["Mohammad Bagheri"]
    assert fetched.json["external_id"] == "Q123"
    assert fetched.headers["ETag"] == '"v1"'


def test_patch_changes_only_the_given_fields_and_moves_the_etag(client, api):
    made = api.speaker(name="Jane Doe", role="Mayor")
    response = client.patch(f"/speakers/{made['id']}", json={"role": "Governor"}, headers={"If-Match": '"v1"'})
    assert response.status_code == 200
    assert response.json["role"] == "Governor"
    assert response.json["name"] == "Jane Doe"
    assert response.json["version"] == 2
    assert response.headers["ETag"] == '"v2"'


def test_patch_without_if_match_is_428_and_with_a_stale_one_412(client, api):
    made = api.speaker()
    missing = client.patch(f"/speakers/{made['id']}", json={"role": "x"})
    assert missing.status_code == 428
    client.patch(f"/speakers/{made['id']}", json={"role": "y"}, headers={"If-Match": '"v1"'})
    stale = client.patch(f"/speakers/{made['id']}", json={"role": "z"}, headers={"If-Match": '"v1"'})
    assert stale.status_code == 412
    assert client.get(f"/speakers/{made['id']}").json["role"] == "y"


def test_speaker_list_filters_by_name(client, api):
    api.speaker(name="A")
    api.speaker(name="B")
    assert [s["name"] for s in client.get("/speakers?name=B").json["items"]] == ["B"]
    assert len(client.get("/speakers").json["items"]) == 2


def test_speaker_needs_a_name_and_rejects_unknown_fields(client):
    response = client.post("/speakers", json={"nickname": "x"})
    assert response.status_code == 422
    assert {(e["field"], e["message"]) for e in response.json["errors"]} >= {("nickname", "Unknown field.")}
    assert "name" in {e["field"] for e in response.json["errors"]}


def test_patching_an_unknown_speaker_is_404(client):
    response = client.patch("/speakers/00000000-0000-4000-8000-000000000000", json={"role": "x"},
                            headers={"If-Match": '"v1"'})
    assert response.status_code == 404


def merge(client, speaker, into, etag='"v1"', **extra):
    return client.post(f"/speakers/{speaker['id']}/merge", json={"into": into["id"], **extra},
                       headers={"If-Match": etag})


def test_merging_moves_claims_keeps_the_speaker_and_records_every_step(client, api):
    duplicate = api.speaker(name="M. Baqeri", aliases=["Gen. Baqeri"])
    kept = api.speaker(name="Mohammad Baqeri")
    claim = api.claim(speaker=duplicate)
    response = merge(client, duplicate, kept, reason="same person")
    assert response.status_code == 200
    assert response.json["merged_into_id"] == kept["id"]
    assert client.get(f"/speakers/{duplicate['id']}").json["merged_into_id"] == kept["id"]
    moved = client.get(f"/claims/{claim['id']}").json
    assert moved["speaker"]["id"] == kept["id"] and moved["version"] == 2
    assert client.get(f"/speakers/{kept['id']}").json["aliases"] == ["M. Baqeri", "Gen. Baqeri"]
    assert [s["id"] for s in client.get("/speakers").json["items"]] == [kept["id"]]
    assert len(client.get("/speakers?include_merged=true").json["items"]) == 2
    history = client.get(f"/claims/{claim['id']}/history").json["items"]
    assert history[-1]["reason"] == "same person" and history[-1]["after"]["speaker_id"] == kept["id"]
    actions = [(e["resource_id"], e["action"]) for e in client.get("/audit?limit=100").json["items"]]
    assert (duplicate["id"], "merge") in actions and (kept["id"], "update") in actions


def test_a_merged_speaker_cannot_take_new_claims_or_be_merged_again(client, api):
    duplicate, kept, other = api.speaker(name="A"), api.speaker(name="B"), api.speaker(name="C")
    merge(client, duplicate, kept)
    response = client.post("/claims", json={"text": "x", "speaker_id": duplicate["id"],
                                            "appearance": {"source_id": api.source()["id"], "sentence_index": 0}})
    assert response.status_code == 422 and kept["id"] in response.json["detail"]
    assert merge(client, duplicate, other, etag='"v2"').status_code == 409
    assert merge(client, other, duplicate).status_code == 409


def test_merging_into_itself_or_with_a_stale_etag_is_refused(client, api):
    speaker, other = api.speaker(name="A"), api.speaker(name="B")
    assert merge(client, speaker, speaker).status_code == 422
    assert merge(client, speaker, other, etag='"v5"').status_code == 412
    assert client.get(f"/speakers/{speaker['id']}").json["merged_into_id"] is None
