from flask.views import MethodView

from schemas.candidates import (
    AcceptanceSchema,
    AcceptedSchema,
    CandidateFilterArgsSchema,
    CandidateListArgsSchema,
    CandidatePageSchema,
    CandidateSchema,
    ExtractionRequestSchema,
    ExtractionSchema,
    RejectionInputSchema,
)
from service.actions import candidates as write
from service.store import candidates
from service.store.versioning import etag

from . import Blueprint
from .auth import requires
from .conventions import expected_version, paged, requires_if_match, with_etag, write_context

blp = Blueprint("candidates", __name__, description="Claims that extraction proposes from a source, for a checker "
                                                     "to accept or reject")


@blp.route("/sources/<uuid:source_id>/candidates")
class SourceCandidates(MethodView):
    @blp.doc(operationId="listSourceCandidates")
    @blp.arguments(CandidateFilterArgsSchema, location="query")
    @blp.response(200, CandidatePageSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, source_id):
        """The source's candidate claims in the order of its text.

        Filter by status and a minimum check-worthiness; a page at a time, following `next_cursor`.
        """
        return paged(*candidates.list_source_candidates(str(source_id), **args))

    @requires(blp, "editor")
    @blp.doc(operationId="proposeSourceCandidates")
    @blp.arguments(ExtractionRequestSchema)
    @blp.response(200, ExtractionSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, _empty, source_id):
        """Run extraction over the source now and store what it proposes.

        Proposals stored before are left as they are (accepted, rejected or not): running it again never
        duplicates a candidate. It parses the whole text, which for a long source takes a while.
        """
        return write.propose_for_source(write_context(), str(source_id)).as_dict()


@blp.route("/candidates")
class Candidates(MethodView):
    @blp.doc(operationId="listCandidates")
    @blp.arguments(CandidateListArgsSchema, location="query")
    @blp.response(200, CandidatePageSchema)
    def get(self, args):
        """Candidate claims across sources, in the order they were proposed.

        Filter by source, status and a minimum check-worthiness: a checker's queue of proposals to decide.
        """
        return paged(*candidates.list_candidates(**args))


@blp.route("/candidates/<uuid:candidate_id>")
class CandidateById(MethodView):
    @blp.doc(operationId="getCandidate")
    @blp.response(200, CandidateSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, candidate_id):
        """One candidate; its ETag is what accepting or rejecting it must send in If-Match.

        Its speaker says how it was found (named, role, pronoun, stored, publisher) and how sure that is.
        """
        return with_etag(candidates.get_candidate(str(candidate_id)))


@blp.route("/candidates/<uuid:candidate_id>/acceptance")
class CandidateAcceptance(MethodView):
    @requires(blp, "checker")
    @blp.doc(operationId="acceptCandidate")
    @blp.arguments(AcceptanceSchema)
    @blp.response(201, AcceptedSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    @requires_if_match(blp)
    def post(self, data, candidate_id):
        """Accept a candidate: the claim it proposes is made, with any edits to its text, speaker or quote.

        A speaker named but not stored is created. The candidate links to the claim; both are audited.
        """
        accepted = write.accept(write_context(), str(candidate_id), expected_version=expected_version(), **data)
        return accepted, {"ETag": etag(accepted["candidate"]["version"])}


@blp.route("/candidates/<uuid:candidate_id>/rejection")
class CandidateRejection(MethodView):
    @requires(blp, "checker")
    @blp.doc(operationId="rejectCandidate")
    @blp.arguments(RejectionInputSchema)
    @blp.response(200, CandidateSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    @requires_if_match(blp)
    def post(self, data, candidate_id):
        """Reject a candidate, with the reason (a duplicate names the claim it repeats); it is audited.

        Accepted and rejected candidates together are labelled data for judging extraction. Needs a checker key.
        """
        return with_etag(write.reject(write_context(), str(candidate_id), expected_version=expected_version(),
                                           **data))
