import logging

from flask import Response
from flask.views import MethodView

from service.store.db import connect_for_request
from service.errors import Unavailable
from service.metrics import exposition
from service.store.claims import count_by_status

from . import Blueprint

blp = Blueprint("metrics", __name__, description="Prometheus metrics")
log = logging.getLogger(__name__)
TEXT = {"type": "string", "example": 'claimtrail_claims{status="unverified"} 9.0'}


@blp.route("/metrics")
class Metrics(MethodView):
    @blp.doc(operationId="getMetrics", security=[])
    @blp.response(200, TEXT, content_type="text/plain", description="Prometheus text exposition format")
    def get(self):
        """Requests and latency by endpoint, method and status code; claims by status.

        While the database is down the claim counts are left out and the rest still answers."""
        try:
            connect_for_request()
            claim_counts = count_by_status()
        except Unavailable:
            log.warning("claims by status left out of /metrics: the database did not answer")
            claim_counts = None
        body, content_type = exposition(claim_counts)
        return Response(body, content_type=content_type)
