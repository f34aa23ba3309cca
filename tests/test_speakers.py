def test_create_and_read_a_speaker(client, api):
    made = api.speaker(name="Mohammad Baqeri", aliases=["Mohammad Bagheri"], role="Chief of Staff",
                       affiliation="Iranian Armed Forces", region="Tehran", external_id="Q123")
    fetched = client.get(f"/speakers/{made['id']}")
    assert fetched.status_code == 200
    assert fetched.json["aliases"] == ["Mohammad Bagheri"]
    assert fetched.json["external_id"] == "Q123"
    assert fetched.json["region"] == "Tehran"
    assert fetched.json["kind"] == "person"
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


def test_a_speaker_is_a_person_or_an_organization(client, api):
    made = api.speaker(name="Example Party", kind="organization")
    assert client.get(f"/speakers/{made['id']}").json["kind"] == "organization"
    refused = client.post("/speakers", json={"name": "X", "kind": "robot"})
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "kind"
