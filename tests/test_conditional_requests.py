"""If-Match and If-None-Match as RFC 9110 says: strong comparison for If-Match, lists, `*`, and 304 for a GET
whose If-None-Match names the current ETag."""
from datetime import datetime, timezone


def patch_claim(client, claim, if_match, text="Exports grew 12%."):
    return client.patch(f"/claims/{claim['id']}", json={"text": text}, headers={"If-Match": if_match})


def test_a_weak_tag_in_if_match_never_matches_even_for_the_current_version(client, api):
    claim = api.claim()
    response = patch_claim(client, claim, 'W/"v1"')
    assert response.status_code == 412
    assert response.json["type"] == "urn:claimtrail:problem:precondition-failed"
    assert client.get(f"/claims/{claim['id']}").json["version"] == 1


def test_an_if_match_list_applies_the_change_when_any_member_is_current(client, api):
    claim = api.claim()
    changed = patch_claim(client, claim, '"v7", "v1"')
    assert changed.status_code == 200
    assert changed.headers["ETag"] == '"v2"'
    speaker = api.speaker()
    assert client.patch(f"/speakers/{speaker['id']}", json={"role": "Mayor"},
                        headers={"If-Match": '"v3","v1" , "v9"'}).status_code == 200


def test_an_if_match_list_none_of_whose_strong_members_is_current_is_412_with_the_current_etag(client, api):
    claim = api.claim()
    for header in ('"v7", "v9"', 'W/"v1", "v2"', '"v1"x', "v1", '"x1", W/"v1"'):
        response = patch_claim(client, claim, header)
        assert response.status_code == 412, header
        if header.startswith('"v7"') or header.startswith('W/'):
            assert response.headers["ETag"] == '"v1"'
    assert client.get(f"/claims/{claim['id']}").json["version"] == 1


def test_if_match_star_applies_to_whatever_version_is_current(client, api):
    claim = api.claim()
    assert patch_claim(client, claim, "*", text="First change.").status_code == 200
    second = patch_claim(client, claim, " * ", text="Second change.")
    assert second.status_code == 200
    assert second.json["version"] == 3
    review = client.post(f"/claims/{claim['id']}/reviews", json={}, headers={"If-Match": "*"})
    assert review.status_code == 201
    speaker = api.speaker()
    assert client.patch(f"/speakers/{speaker['id']}", json={"role": "Mayor"},
                        headers={"If-Match": "*"}).status_code == 200


def test_if_match_star_on_a_claim_that_does_not_exist_is_404(client):
    response = client.patch("/claims/00000000-0000-4000-8000-000000000000", json={"text": "x"},
                            headers={"If-Match": "*"})
    assert response.status_code == 404


def test_a_missing_or_blank_if_match_is_still_428(client, api):
    claim = api.claim()
    assert client.patch(f"/claims/{claim['id']}", json={"text": "x"}).status_code == 428
    assert patch_claim(client, claim, "  ").status_code == 428


def test_a_get_whose_if_none_match_names_the_current_etag_is_304_without_a_body(client, api):
    claim = api.claim()
    path = f"/claims/{claim['id']}"
    for header in ('"v1"', 'W/"v1"', '"v0", "v1"', "*"):
        response = client.get(path, headers={"If-None-Match": header})
        assert response.status_code == 304, header
        assert response.data == b""
        assert response.headers["ETag"] == '"v1"'
    assert patch_claim(client, claim, '"v1"').status_code == 200
    stale = client.get(path, headers={"If-None-Match": '"v1"'})
    assert stale.status_code == 200
    assert stale.headers["ETag"] == '"v2"'
    assert stale.json["version"] == 2


def test_a_speaker_get_answers_304_for_its_current_etag_and_200_once_it_changed(client, api):
    speaker = api.speaker()
    path = f"/speakers/{speaker['id']}"
    assert client.get(path, headers={"If-None-Match": '"v1"'}).status_code == 304
    assert client.patch(path, json={"role": "Mayor"}, headers={"If-Match": '"v1"'}).status_code == 200
    fresh = client.get(path, headers={"If-None-Match": '"v1"'})
    assert fresh.status_code == 200
    assert fresh.json["role"] == "Mayor"


def test_if_none_match_on_a_missing_claim_or_a_past_state_never_gives_304(client, api):
    assert client.get("/claims/00000000-0000-4000-8000-000000000000",
                      headers={"If-None-Match": "*"}).status_code == 404
    claim = api.claim()
    after_creation = datetime.now(timezone.utc).isoformat()
    past = client.get(f"/claims/{claim['id']}", query_string={"as_of": after_creation},
                      headers={"If-None-Match": "*"})
    assert past.status_code == 200
    assert "ETag" not in past.headers
