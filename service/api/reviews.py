from flask.views import MethodView

from schemas.common import PageArgsSchema
from schemas.reviews import ReviewCreateSchema, ReviewPageSchema, ReviewSchema, VerdictScaleSchema
from service.actions.reviews import add_review
from service.rules import workflow
from service.store.reviews import list_reviews

from . import Blueprint
from .auth import requires
from .idempotency import idempotent
from .conventions import expected_version, paged, requires_if_match, write_context

blp = Blueprint("reviews", __name__, description="Fact-checkers' reviews, verdicts and evidence")


@blp.route("/claims/<uuid:claim_id>/reviews")
class ClaimReviews(MethodView):
    @blp.doc(operationId="listClaimReviews")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ReviewPageSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, claim_id):
        """The claim's reviews, oldest first.

        A page at a time: follow `next_cursor` (also in the Link header) until it is null.
        """
        return paged(*list_reviews(str(claim_id), **args))

    @requires(blp, "checker")
    @idempotent(blp)
    @blp.doc(operationId="createClaimReview")
    @blp.arguments(ReviewCreateSchema)
    @blp.response(201, ReviewSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @requires_if_match(blp)
    def post(self, data, claim_id):
        """Record a review; the claim takes its verdict, or goes (back) into review when it has none.

        If-Match carries the claim's ETag. A move the workflow does not allow is a 409 naming the allowed ones.
        """
        return add_review(write_context(), str(claim_id), expected_version=expected_version(), **data)


@blp.route("/verdicts")
class Verdicts(MethodView):
    @blp.doc(operationId="getVerdictScale")
    @blp.response(200, VerdictScaleSchema)
    def get(self):
        """The verdict scale in use, with the ClaimReview rating each verdict publishes as.

        The default scale, or the one in the file VERDICT_SCALE_FILE names.
        """
        return workflow.scale()
