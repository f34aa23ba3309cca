"""GET /claims/counts: claims per status in one grouped count over the (status, id) index, so the
console's queue shows its tabs' sizes without paging through a large database (as /metrics does)."""
from flask.views import MethodView

from schemas.claim_counts import ClaimCountsSchema
from service.metrics import claims_by_status

from . import Blueprint

blp = Blueprint("claim-counts", __name__, url_prefix="/claims", description="Claims per status")


@blp.route("/counts")
class ClaimCounts(MethodView):
    @blp.doc(operationId="countClaimsByStatus")
    @blp.response(200, ClaimCountsSchema)
    def get(self):
        """How many claims stand in each status (every status of the workflow, zeros included)."""
        counts = claims_by_status()
        return {"items": [{"status": status, "count": count} for status, count in counts.items()],
                "total": sum(counts.values())}
