from tests.samples import ARTICLE


def test_creating_a_claim_locates_its_quote_in_the_source(client, api):
    source = api.source()
    claim = api.claim(source=source, sentence_index=2, quote="exports rose 12 percent")
    assert claim["status"] == "unverified"
    assert claim["version"] == 1
    [appearance] = claim["appearances"]
    start, end = appearance["position_selector"]["start"], appearance["position_selector"]["end"]
    assert ARTICLE[start:end] == "exports rose 12 percent"
    quote = appearance["quote_selector"]
    assert quote["exact"] == "exports rose 12 percent"
    assert ARTICLE[:start].endswith(quote["prefix"]) and ARTICLE[end:].startswith(quote["suffix"])
    assert quote["prefix"] and quote["suffix"]
    assert claim["first_appearance_id"] == appearance["id"]


def test_without_a_quote_the_whole_sentence_anchors_the_claim(client, api):
    claim = api.claim(quote=None, sentence_index=1)
    position = claim["appearances"][0]["position_selector"]
    assert ARTICLE[position["start"]:position["end"]] == "The U.S. envoy met officials in Washington on Monday."


def test_a_quote_not_in_the_sentence_is_422_and_nothing_is_stored(client, api):
    source = api.source()
    speaker = api.speaker()
    response = client.post("/claims", json={
        "text": "x", "speaker_id": speaker["id"],
        "appearance": {"source_id": source["id"], "sentence_index": 1, "quote": "exports rose"},
    })
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "quote"
    assert client.get("/claims").json["items"] == []


def test_a_quote_found_twice_in_its_sentence_anchors_at_the_occurrence_the_client_names(client, api):
    text = "He said no, and then he said no again."
    source = api.source(text=text)
    first = api.claim(source=source, sentence_index=0, quote="said no")
    second = client.post("/claims", json={"text": "He said no twice.", "appearance": {
        "source_id": source["id"], "sentence_index": 0, "quote": "said no", "occurrence": 2}}).json
    assert first["appearances"][0]["position_selector"]["start"] == text.index("said no")
    position = second["appearances"][0]["position_selector"]
    assert (position["start"], position["end"]) == (24, 31) and text[24:31] == "said no"
    assert second["appearances"][0]["quote_selector"]["prefix"] == "He said no, and then he "
    added = client.post(f"/claims/{first['id']}/appearances", headers={"If-Match": '"v1"'}, json={
        "source_id": source["id"], "sentence_index": 0, "quote": "said no", "occurrence": 2})
    assert added.status_code == 201, added.json
    assert added.json["appearances"][1]["position_selector"]["start"] == 24
    for occurrence, field in ((3, "occurrence"), (0, "appearance.occurrence")):  # the rule's, the schema's
        response = client.post("/claims", json={"text": "x", "appearance": {
            "source_id": source["id"], "sentence_index": 0, "quote": "said no", "occurrence": occurrence}})
        assert response.status_code == 422 and response.json["errors"][0]["field"] == field


def test_unknown_speaker_source_or_sentence_is_422(client, api):
    source = api.source()
    speaker = api.speaker()
    ghost = "00000000-0000-4000-8000-000000000000"
    cases = [
        ({"speaker_id": ghost}, "speaker_id"),
        ({"appearance": {"source_id": ghost, "sentence_index": 0}}, "source_id"),
        ({"appearance": {"source_id": source["id"], "sentence_index": 99}}, "sentence_index"),
    ]
    for override, field in cases:
        body = {"text": "x", "speaker_id": speaker["id"],
                "appearance": {"source_id": source["id"], "sentence_index": 0}, **override}
        response = client.post("/claims", json=body)
        assert response.status_code == 422, override
        assert response.json["errors"][0]["field"] == field
    assert client.get("/claims").json["items"] == []


def test_claim_embeds_its_speaker_and_keeps_an_unknown_date_unknown(client, api):
    speaker = api.speaker(name="Ali Mahmoud Abbas")
    claim = api.claim(speaker=speaker)
    fetched = client.get(f"/claims/{claim['id']}")
    assert fetched.json["speaker"]["name"] == "Ali Mahmoud Abbas"
    assert fetched.json["claim_date"] is None
    assert fetched.headers["ETag"] == '"v1"'


def test_patch_changes_text_tags_and_date_under_if_match(client, api):
    claim = api.claim(tags=["economy"])
    response = client.patch(f"/claims/{claim['id']}", headers={"If-Match": '"v1"'},
                            json={"text": "Exports grew 12%.", "tags": ["trade", " trade ", "economy"],
                                  "claim_date": "2024-01-02"})
    assert response.status_code == 200
    assert response.json["text"] == "Exports grew 12%."
    assert response.json["tags"] == ["trade", "economy"]
    assert response.json["claim_date"] == "2024-01-02"
    assert response.json["version"] == 2


def test_patch_needs_something_to_change_and_a_fresh_etag(client, api):
    claim = api.claim()
    assert client.patch(f"/claims/{claim['id']}", json={}, headers={"If-Match": '"v1"'}).status_code == 422
    assert client.patch(f"/claims/{claim['id']}", json={"text": "y"}).status_code == 428
    assert client.patch(f"/claims/{claim['id']}", json={"text": "y"}, headers={"If-Match": '"v7"'}).status_code == 412
    assert client.get(f"/claims/{claim['id']}").json["text"] == "Exports rose 12 percent in 2023."


def test_adding_an_appearance_and_first_appearance_follows_publication_date(client, api):
    later = api.source(published_date="2024-05-01")
    earlier = api.source(text="Last year exports rose 12 percent, he said.", published_date="2023-12-01")
    claim = api.claim(source=later)
    response = client.post(f"/claims/{claim['id']}/appearances", headers={"If-Match": '"v1"'},
                           json={"source_id": earlier["id"], "sentence_index": 0, "quote": "exports rose 12 percent"})
    assert response.status_code == 201
    assert len(response.json["appearances"]) == 2
    assert response.json["first_appearance_id"] == response.json["appearances"][1]["id"]
    assert response.json["version"] == 2


def test_list_filters_by_status_speaker_source_and_tag(client, api):
    source_a, source_b = api.source(), api.source(text="Critics said exports rose 12 percent.")
    alice, bob = api.speaker(name="Alice"), api.speaker(name="Bob")
    one = api.claim(source=source_a, speaker=alice, tags=["trade"])
    two = api.claim(source=source_b, speaker=bob, sentence_index=0, tags=["politics"])

    def ids(query):
        response = client.get(f"/claims?{query}")
        assert response.status_code == 200
        return [c["id"] for c in response.json["items"]]

    assert ids(f"speaker_id={alice['id']}") == [one["id"]]
    assert ids(f"source_id={source_b['id']}") == [two["id"]]
    assert ids("tag=trade") == [one["id"]]
    assert ids("status=unverified") == [one["id"], two["id"]]
    assert ids("status=false") == []
    assert ids(f"speaker_id={bob['id']}&tag=trade") == []


def test_list_filters_by_claim_date_range(client, api):
    old = api.claim(claim_date="2020-01-01")
    new = api.claim(claim_date="2024-01-01")
    api.claim()  # date unknown: in no range
    assert [c["id"] for c in client.get("/claims?date_from=2023-01-01").json["items"]] == [new["id"]]
    assert [c["id"] for c in client.get("/claims?date_to=2021-01-01").json["items"]] == [old["id"]]


def test_list_filters_by_when_claims_last_changed(client, api):
    first, second = api.claim(), api.claim()
    changed = client.patch(f"/claims/{first['id']}", json={"tags": ["revisited"]}, headers={"If-Match": '"v1"'})
    assert changed.status_code == 200

    def ids(since):
        response = client.get("/claims", query_string={"updated_since": since})
        assert response.status_code == 200
        return [c["id"] for c in response.json["items"]]

    assert ids(second["updated_at"]) == [first["id"], second["id"]]  # at or after: the second counts
    assert ids(changed.json["updated_at"]) == [first["id"]]
    assert ids("2999-01-01T00:00:00Z") == []


def test_paging_through_claims_visits_each_once_in_a_stable_order(client, api):
    source, speaker = api.source(), api.speaker()
    made = [api.claim(source=source, speaker=speaker)["id"] for _ in range(7)]
    seen, cursor = [], None
    for _ in range(50):  # bounded: a cursor that stops advancing fails instead of hanging
        response = client.get("/claims?limit=3" + (f"&cursor={cursor}" if cursor else ""))
        seen += [c["id"] for c in response.json["items"]]
        cursor = response.json["next_cursor"]
        if not cursor:
            assert "Link" not in response.headers
            break
        assert cursor in response.headers["Link"]
    else:
        raise AssertionError("paging never reached the last page")
    assert seen == made


def test_the_next_page_link_is_relative_so_a_host_header_is_never_echoed(client, api):
    source, speaker = api.source(), api.speaker()
    for _ in range(2):
        api.claim(source=source, speaker=speaker)
    response = client.get("/claims?limit=1&tag=", headers={"Host": "evil.example"})
    cursor = response.json["next_cursor"]
    assert response.headers["Link"] == f'</claims?limit=1&tag=&cursor={cursor}>; rel="next"'
    followed = client.get(response.headers["Link"][1:].split(">")[0])
    assert followed.status_code == 200 and followed.json["next_cursor"] is None


def test_provenance_reports_each_appearance_and_that_it_still_matches(client, api, db):
    from service.store.models import Source

    source = api.source()
    claim = api.claim(source=source)
    body = client.get(f"/claims/{claim['id']}/provenance").json
    [link] = body["appearances"]
    assert link["sentence"]["text"] == "Officials said exports rose 12 percent in 2023."
    assert link["source"]["sha256"] == source["sha256"]
    assert link["check"] == {"source_text_intact": True, "quote_matches": True, "context_matches": True,
                             "verified": True}
    assert body["verified"] is True

    # Someone edits the stored text behind the service's back: provenance must say so.
    Source.update(text="X" + ARTICLE[1:]).where(Source.uid == source["id"]).execute()
    check = client.get(f"/claims/{claim['id']}/provenance").json["appearances"][0]["check"]
    assert check["source_text_intact"] is False
    assert check["quote_matches"] is True
    assert client.get(f"/claims/{claim['id']}/provenance").json["verified"] is False


def test_unknown_claim_is_404_everywhere(client):
    ghost = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/claims/{ghost}").status_code == 404
    assert client.get(f"/claims/{ghost}/provenance").status_code == 404
    response = client.post(f"/claims/{ghost}/appearances", headers={"If-Match": '"v1"'},
                           json={"source_id": ghost, "sentence_index": 0})
    assert response.status_code == 404
