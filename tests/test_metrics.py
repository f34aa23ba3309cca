"""GET /metrics: requests and latency by route and status code, and claims by status, for Prometheus."""
from prometheus_client.parser import text_string_to_metric_families

from service.app import create_app
from service.config import Config
from service.store.models import Claim
from tests.test_probes import unreachable_database_url


def scrape(client):
    """Every sample as {(name, labels): value}."""
    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def request_sample(endpoint, method, status, metric="claimtrail_http_requests_total"):
    return metric, (("endpoint", endpoint), ("method", method), ("status", str(status)))


def test_requests_are_counted_and_timed_by_route_method_and_status(client, api):
    before = scrape(client)
    speaker = api.speaker()
    api.speaker(name="John Roe")
    client.get("/speakers/00000000-0000-4000-8000-000000000000")
    client.get(f"/no/such/{speaker['id']}")
    after = scrape(client)

    def added(key):
        return after.get(key, 0) - before.get(key, 0)

    assert added(request_sample("/speakers", "POST", 201)) == 2
    assert added(request_sample("/speakers", "POST", 201, "claimtrail_http_request_duration_seconds_count")) == 2
    assert added(request_sample("/speakers/<uuid:speaker_id>", "GET", 404)) == 1
    assert added(request_sample("unmatched", "GET", 404)) == 1
    assert not any(speaker["id"] in str(labels) for _, labels in after), "raw paths must not become labels"


def test_claims_are_counted_by_status_when_scraped(client, api, db):
    api.claim()
    second = api.claim()
    Claim.update(status="in_review").where(Claim.uid == second["id"]).execute()
    samples = scrape(client)
    claims = {dict(labels)["status"]: value for (name, labels), value in samples.items() if name == "claimtrail_claims"}
    assert claims["unverified"] == 1 and claims["in_review"] == 1
    assert sum(claims.values()) == 2 and claims["false"] == 0


def test_with_the_database_down_metrics_still_answer_without_the_claim_counts(monkeypatch):
    monkeypatch.setattr("service.store.db.time.sleep", lambda seconds: None)
    client = create_app(Config(database_url=unreachable_database_url(), db_pool_size=2)).test_client()
    client.get("/health")
    names = {name for name, _ in scrape(client)}
    assert "claimtrail_http_requests_total" in names
    assert "claimtrail_claims" not in names
