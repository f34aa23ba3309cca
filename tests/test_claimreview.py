"""ClaimReview JSON-LD, checked against Google's fact-check structured data rules."""
import json
from datetime import date
from urllib.parse import urlparse

from service.rules import workflow
from service.rules.claimreview import rating

JSON_LD = "application/ld+json"


def google_fact_check_problems(review):
    """What Google's fact-check documentation would flag in one ClaimReview.

    Required: claimReviewed, reviewRating with alternateName, url. Recommended: author (with a name),
    datePublished, itemReviewed as a Claim with author, datePublished, appearance and firstAppearance
    (URL or CreativeWork). A numeric rating needs bestRating > worstRating >= 1 around its ratingValue.
    """
    problems = []

    def need(ok, message):
        if not ok:
            problems.append(message)

    def is_url(value):
        return isinstance(value, str) and urlparse(value).scheme in ("http", "https") and bool(urlparse(value).netloc)

    def is_date(value):
        try:
            return bool(date.fromisoformat(value))
        except (TypeError, ValueError):
            return False

    def named_party(party, where):
        need(isinstance(party, dict) and party.get("@type") in ("Person", "Organization"),
             f"{where} must be a Person or Organization")
        need(isinstance(party, dict) and bool(party.get("name")), f"{where}.name missing")

    def work(value, where):
        need(is_url(value) or (isinstance(value, dict) and is_url(value.get("url"))),
             f"{where} must be a URL or a CreativeWork with a url")

    need(review.get("@type") == "ClaimReview", "@type must be ClaimReview")
    need(isinstance(review.get("claimReviewed"), str) and review["claimReviewed"].strip(), "claimReviewed missing")
    need(is_url(review.get("url")), "url must be an absolute http(s) URL")
    rating_ = review.get("reviewRating") or {}
    need(rating_.get("@type") == "Rating", "reviewRating must be a Rating")
    need(isinstance(rating_.get("alternateName"), str) and rating_["alternateName"], "reviewRating.alternateName missing")
    numbers = [rating_.get(k) for k in ("ratingValue", "bestRating", "worstRating")]
    if any(n is not None for n in numbers):
        value, best, worst = numbers
        need(all(isinstance(n, (int, float)) for n in numbers), "a numeric rating needs value, best and worst")
        if all(isinstance(n, (int, float)) for n in numbers):
            need(worst >= 1, "worstRating must be at least 1")
            need(best > worst, "bestRating must be greater than worstRating")
            need(worst <= value <= best, "ratingValue must lie in worstRating..bestRating")
    named_party(review.get("author"), "author")
    need(is_date(review.get("datePublished")), "datePublished must be an ISO 8601 date")
    claim = review.get("itemReviewed") or {}
    need(claim.get("@type") == "Claim", "itemReviewed must be a Claim")
    named_party(claim.get("author"), "itemReviewed.author")
    need(is_date(claim.get("datePublished")), "itemReviewed.datePublished must be an ISO 8601 date")
    need(bool(claim.get("appearance")), "itemReviewed.appearance missing")
    for n, appearance in enumerate(claim.get("appearance") or []):
        work(appearance, f"itemReviewed.appearance[{n}]")
    work(claim.get("firstAppearance"), "itemReviewed.firstAppearance")
    return problems


def decide(client, api, verdict="false", **claim_fields):
    claim = api.claim(**claim_fields)
    client.post(f"/claims/{claim['id']}/reviews", json={}, headers={"If-Match": '"v1"'})
    response = client.post(f"/claims/{claim['id']}/reviews", json={"verdict": verdict, "rationale": "Checked."},
                           headers={"If-Match": '"v2"'})
    assert response.status_code == 201, response.json
    return claim


def claim_review(client, claim_id):
    response = client.get(f"/claims/{claim_id}/claimreview")
    assert response.status_code == 200, response.data
    assert response.content_type == JSON_LD
    return json.loads(response.data)


def test_a_decided_claim_publishes_a_claimreview_google_accepts(client, api):
    source = api.source(url="https://news.example/envoy", publisher="Example News")
    speaker = api.speaker(name="Jane Doe", role="Trade Minister")
    claim = decide(client, api, verdict="mostly_false", source=source, speaker=speaker, claim_date="2024-03-17")
    review = claim_review(client, claim["id"])
    assert google_fact_check_problems(review) == []
    assert review["@context"] == "https://schema.org"
    assert review["claimReviewed"] == "Exports rose 12 percent in 2023."
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Mostly false",
                                      "ratingValue": 3, "bestRating": 6, "worstRating": 1}
    assert review["datePublished"] == date.today().isoformat()
    item = review["itemReviewed"]
    assert item["author"] == {"@type": "Person", "name": "Jane Doe", "jobTitle": "Trade Minister"}
    assert item["datePublished"] == "2024-03-17"
    assert item["firstAppearance"] == {"@type": "CreativeWork", "url": "https://news.example/envoy",
                                       "name": "Test article", "datePublished": "2024-03-18",
                                       "publisher": {"@type": "Organization", "name": "Example News"}}
    assert item["appearance"] == [item["firstAppearance"]]


def test_publisher_and_urls_come_from_configuration(app, client, api):
    config = app.extensions["claimtrail"]
    config.public_base_url = "https://checks.example/"
    config.claimreview_publisher_name = "Example Checks"
    config.claimreview_publisher_url = "https://example.org"
    speaker = api.speaker(name="Example Party", kind="organization")
    claim = decide(client, api, speaker=speaker)
    review = claim_review(client, claim["id"])
    assert review["url"] == f"https://checks.example/claims/{claim['id']}"
    assert review["author"] == {"@type": "Organization", "name": "Example Checks", "url": "https://example.org"}
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Example Party"}
    source_id = claim["appearances"][0]["source_id"]
    assert review["itemReviewed"]["firstAppearance"]["url"] == f"https://checks.example/sources/{source_id}"


def test_unknown_values_are_left_out_rather_than_guessed(client, api):
    claim = decide(client, api, verdict="unproven")
    review = claim_review(client, claim["id"])
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unproven"}
    assert "datePublished" not in review["itemReviewed"]
    assert google_fact_check_problems(review) == ["itemReviewed.datePublished must be an ISO 8601 date"]


def test_a_claim_without_a_verdict_has_no_claimreview(client, api):
    claim = api.claim()
    response = client.get(f"/claims/{claim['id']}/claimreview")
    assert response.status_code == 404 and response.content_type == "application/problem+json"
    assert "no verdict" in response.json["detail"] and "unverified" in response.json["detail"]
    assert client.get("/claims/00000000-0000-4000-8000-000000000000/claimreview").status_code == 404


def test_the_feed_streams_every_decided_claim_as_a_datafeed(client, api):
    source = api.source()
    first = decide(client, api, source=source, verdict="true", claim_date="2024-01-01")
    api.claim(source=source)  # no verdict: not in the feed
    second = decide(client, api, source=source, verdict="pants_on_fire", claim_date="2024-01-02")
    response = client.get("/claimreview")
    assert response.status_code == 200 and response.content_type == JSON_LD
    assert response.is_streamed
    feed = json.loads(response.data)
    assert feed["@context"] == "https://schema.org" and feed["@type"] == "DataFeed"
    elements = feed["dataFeedElement"]
    assert [e["url"].rsplit("/", 1)[1] for e in elements] == [first["id"], second["id"]]
    assert [e["reviewRating"]["alternateName"] for e in elements] == ["True", "Pants on fire"]
    assert all(google_fact_check_problems(e) == [] for e in elements)


def test_a_scale_that_runs_downwards_or_from_zero_is_published_upwards_from_one():
    downwards = workflow.VerdictScale(1, 3, (workflow.Verdict("correct", "Correct", 1),
                                             workflow.Verdict("wrong", "Wrong", 3)))
    assert rating(downwards.get("correct"), downwards) == {
        "@type": "Rating", "alternateName": "Correct", "ratingValue": 3, "bestRating": 3, "worstRating": 1}
    from_zero = workflow.VerdictScale(4, 0, (workflow.Verdict("false", "False", 0),))
    assert rating(from_zero.get("false"), from_zero) == {
        "@type": "Rating", "alternateName": "False", "ratingValue": 1, "bestRating": 5, "worstRating": 1}


def test_a_host_header_the_configuration_does_not_allow_never_reaches_a_claimreview(app, client, api):
    claim = decide(client, api)
    evil = {"Host": "evil.example"}
    for response in (client.get(f"/claims/{claim['id']}/claimreview", headers=evil),
                     client.get("/claimreview", headers=evil)):
        assert response.status_code == 200 and b"evil.example" not in response.data
    review = json.loads(client.get(f"/claims/{claim['id']}/claimreview", headers=evil).data)
    assert review["url"] == f"/claims/{claim['id']}"  # relative to whichever site the reader trusts
    app.extensions["claimtrail"].allowed_hosts = (".checks.example",)
    allowed = client.get(f"/claims/{claim['id']}/claimreview", headers={"Host": "www.checks.example:8443"})
    assert json.loads(allowed.data)["url"] == f"http://www.checks.example:8443/claims/{claim['id']}"
    assert claim_review(client, claim["id"])["url"] == f"/claims/{claim['id']}"  # localhost: no longer allowed
