"""ClaimReview JSON-LD: one claim's, and all of them as a schema.org DataFeed (streamed)."""
import json
import re

from flask import current_app, request, stream_with_context
from flask.views import MethodView

from schemas.claimreview import ClaimReviewElementSchema, ClaimReviewFeedSchema, ClaimReviewSchema
from service.rules.claimreview import CONTEXT, Publisher
from service.store.claimreview import claim_review, feed_elements
from service.store.db import read_snapshot

from . import Blueprint

JSON_LD = "application/ld+json"
_HOST = re.compile(r"([a-z0-9.-]+|\[[a-f0-9:.]+\])(?::\d{1,5})?", re.IGNORECASE)

blp = Blueprint("claimreview", __name__, description="schema.org ClaimReview markup of published verdicts")


def _publisher():
    config = current_app.extensions["claimtrail"]
    base = config.public_base_url or (request.url_root if _host_allowed(request.host, config.allowed_hosts) else "/")
    return Publisher(name=config.claimreview_publisher_name,
                                 url=config.claimreview_publisher_url or base, base_url=base)


def _host_allowed(host, allowed):
    """Whether the Host header names one of `allowed` (".example.org": it and its subdomains), any port."""
    match = _HOST.fullmatch(host or "")
    name = match.group(1).lower() if match else None
    return bool(name) and any(name == a.lower().lstrip(".") or (a.startswith(".") and name.endswith(a.lower()))
                              for a in allowed)


def _json_ld(chunks):
    return current_app.response_class(chunks, mimetype=JSON_LD)


@blp.route("/claims/<uuid:claim_id>/claimreview")
class ClaimReviewOfClaim(MethodView):
    @blp.doc(operationId="getClaimReview")
    @blp.response(200, ClaimReviewSchema, content_type=JSON_LD)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, claim_id):
        """The claim's ClaimReview (JSON-LD); 404 while the claim has no verdict.

        schema.org ClaimReview as search engines and fact-check aggregators read it; its url is built on
        PUBLIC_BASE_URL when that is set.
        """
        review = claim_review(str(claim_id), _publisher())
        return _json_ld(json.dumps(ClaimReviewSchema().dump(review), ensure_ascii=False))


@blp.route("/claimreview")
class ClaimReviewFeed(MethodView):
    @blp.doc(operationId="getClaimReviewFeed")
    @blp.response(200, ClaimReviewFeedSchema, content_type=JSON_LD)
    def get(self):
        """Every claim with a verdict as one schema.org DataFeed, oldest first, streamed as it is read.

        For aggregators that take a whole feed: the answer starts at once, however many claims there are.
        """
        publisher, element = _publisher(), ClaimReviewElementSchema()

        def chunks():
            yield '{"@context": "%s", "@type": "DataFeed", "dataFeedElement": [' % CONTEXT
            with read_snapshot():
                for n, review in enumerate(feed_elements(publisher)):
                    yield ("," if n else "") + json.dumps(element.dump(review), ensure_ascii=False)
            yield "]}"

        return _json_ld(stream_with_context(chunks()))
