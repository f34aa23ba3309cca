"""Prometheus metrics: requests and their latency by endpoint, method and status code, and the
number of claims in each status, counted in the database when scraped.

Under gunicorn each worker keeps its counts in files in PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py
sets it before any worker starts), and a scrape adds up every worker's, whichever worker answers.
"""
import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector


LABELS = ("endpoint", "method", "status")
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")  # others count as "other"
_REQUEST_METRICS = CollectorRegistry()
REQUESTS = Counter("claimtrail_http_requests", "HTTP requests answered.", LABELS, registry=_REQUEST_METRICS)
LATENCY = Histogram("claimtrail_http_request_duration_seconds", "Time taken to answer HTTP requests.", LABELS,
                    registry=_REQUEST_METRICS)


def observe_request(endpoint, method, status, seconds):
    labels = (endpoint, method if method in METHODS else "other", str(status))
    REQUESTS.labels(*labels).inc()
    LATENCY.labels(*labels).observe(seconds)


def exposition(claim_counts):
    """The scrape's body and content type; `claim_counts` is None when the database did not answer."""
    return generate_latest(_Scrape(claim_counts)), CONTENT_TYPE_LATEST


class _Scrape:
    def __init__(self, claim_counts):
        self.claim_counts = claim_counts

    def collect(self):
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            yield from MultiProcessCollector(None).collect()
        else:
            yield from _REQUEST_METRICS.collect()
        if self.claim_counts is not None:
            claims = GaugeMetricFamily("claimtrail_claims", "Claims in each status.", labels=["status"])
            for status, count in self.claim_counts.items():
                claims.add_metric([status], count)
            yield claims
