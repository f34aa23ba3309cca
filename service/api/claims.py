from flask.views import MethodView

from schemas.claims import (
    AppearanceAddSchema,
    ClaimCreatedSchema,
    ClaimCreateSchema,
    ClaimListArgsSchema,
    ClaimPageSchema,
    ClaimReadArgsSchema,
    ClaimSchema,
    ClaimUpdateSchema,
    MatchRequestSchema,
    MatchResultSchema,
    ProvenanceSchema,
)
from schemas.claim_counts import ClaimCountsSchema
from schemas.reviews import RetractionSchema
from service.actions.claims import add_appearance, create_claim, match, retract_claim, update_claim
from service.store.claims import count_by_status, get_claim, get_claim_as_of, list_claims, provenance

from . import Blueprint
from .auth import requires
from .idempotency import idempotent
from .conventions import answers_not_modified, expected_version, paged_documents, requires_if_match, stored, write_context

blp = Blueprint("claims", __name__, url_prefix="/claims", description="Atomic checkable statements and their provenance")


@blp.route("")
class Claims(MethodView):
    @blp.doc(operationId="listClaims")
    @blp.arguments(ClaimListArgsSchema, location="query")
    @blp.response(200, ClaimPageSchema)
    def get(self, args):
        """List claims, oldest first, filtered by any combination of the parameters.

        A page at a time: follow `next_cursor` (also in the Link header) until it is null.
        """
        return paged_documents(*list_claims(**args))

    @requires(blp, "editor")
    @idempotent(blp)
    @blp.doc(operationId="createClaim")
    @blp.arguments(ClaimCreateSchema)
    @blp.response(201, ClaimCreatedSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, data):
        """Record a claim and the sentence it comes from; the quote's offsets are found for you.

        The answer lists stored claims it likely duplicates, so prior work is not missed.
        """
        return stored(create_claim(write_context(), **data), 201)


@blp.route("/counts")
class ClaimCounts(MethodView):
    @blp.doc(operationId="countClaimsByStatus")
    @blp.response(200, ClaimCountsSchema)
    def get(self):
        """How many claims stand in each status (every status of the workflow, zeros included).

        The same counts as /metrics gives, as JSON.
        """
        counts = count_by_status()  # one grouped count over the (status, id) index, as /metrics runs
        return {"items": [{"status": status, "count": count} for status, count in counts.items()],
                "total": sum(counts.values())}


@blp.route("/match")
class ClaimMatch(MethodView):
    @blp.doc(operationId="matchClaims")
    @blp.arguments(MatchRequestSchema)
    @blp.response(200, MatchResultSchema)
    def post(self, data):
        """Stored claims most likely to be the same claim as the text, best first, with scores (0 to 1).

        Ask before recording a claim, so that earlier work on the same claim is found.
        """
        return {"matches": match(data["text"], limit=data["limit"])}


@blp.route("/<uuid:claim_id>")
class ClaimById(MethodView):
    @blp.doc(operationId="getClaim")
    @blp.arguments(ClaimReadArgsSchema, location="query")
    @blp.response(200, ClaimSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @answers_not_modified(blp)
    def get(self, args, claim_id):
        """One claim with its speaker and appearances; its ETag is what a change must send in If-Match.

        With `as_of`, the claim as it stood then, rebuilt from its history (no ETag: it cannot be changed).
        """
        if args.get("as_of"):
            return get_claim_as_of(str(claim_id), args["as_of"])
        return stored(get_claim(str(claim_id)))

    @requires(blp, "editor")
    @blp.doc(operationId="updateClaim")
    @blp.arguments(ClaimUpdateSchema)
    @blp.response(200, ClaimSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @requires_if_match(blp)
    def patch(self, data, claim_id):
        """Change a claim's text, speaker, date or tags (its status moves through reviews).

        Needs an editor key and the claim's ETag in If-Match (or `*`); a stale one is 412 with the
        current ETag. The change and its reason are kept in the claim's history.
        """
        reason = data.pop("reason", None)
        return stored(update_claim(write_context(), str(claim_id), data, expected_version=expected_version(),
                                          reason=reason))


@blp.route("/<uuid:claim_id>/appearances")
class ClaimAppearances(MethodView):
    @requires(blp, "editor")
    @idempotent(blp)
    @blp.doc(operationId="addClaimAppearance")
    @blp.arguments(AppearanceAddSchema)
    @blp.response(201, ClaimSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @requires_if_match(blp)
    def post(self, data, claim_id):
        """Record another place the claim appears; answers with the whole claim.

        Needs an editor key and the claim's ETag in If-Match. The quote, when given, must be in the
        named sentence of the source.
        """
        return stored(add_appearance(write_context(), str(claim_id), expected_version=expected_version(), **data),
                      201)


@blp.route("/<uuid:claim_id>/retraction")
class ClaimRetraction(MethodView):
    @requires(blp, "checker")
    @blp.doc(operationId="retractClaim")
    @blp.arguments(RetractionSchema)
    @blp.response(200, ClaimSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @requires_if_match(blp)
    def post(self, data, claim_id):
        """Withdraw a claim, with the reason. It stays readable, with its history; it is never deleted.

        Needs a checker key and the claim's ETag in If-Match.
        """
        return stored(retract_claim(write_context(), str(claim_id), expected_version=expected_version(), **data))


@blp.route("/<uuid:claim_id>/provenance")
class ClaimProvenance(MethodView):
    @blp.doc(operationId="getClaimProvenance")
    @blp.response(200, ProvenanceSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, claim_id):
        """Where the claim comes from, and whether each quote still matches the stored source text.

        Each appearance of the claim with its source, its sentence and its quote.
        """
        return provenance(str(claim_id))
