from flask.views import MethodView

from schemas.audit import AuditFeedArgsSchema, AuditPageSchema, ChainReportSchema
from schemas.common import PageArgsSchema
from service.store import audit
from service.store.claims import history

from . import Blueprint
from .auth import hidden_resource_types
from .conventions import paged

blp = Blueprint("audit", __name__, description="The append-only, hash-chained history of every change")


@blp.route("/claims/<uuid:claim_id>/history")
class ClaimHistory(MethodView):
    @blp.doc(operationId="getClaimHistory")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, AuditPageSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, claim_id):
        """Every change to the claim and its reviews, oldest first: who, when, why, before and after.

        Read from the audit log. A page at a time: follow `next_cursor` (also in the Link header) until it is null.
        """
        return paged(*history(str(claim_id), **args))


@blp.route("/audit")
class AuditFeed(MethodView):
    @blp.doc(operationId="listAuditEvents")
    @blp.arguments(AuditFeedArgsSchema, location="query")
    @blp.response(200, AuditPageSchema)
    def get(self, args):
        """All audit events in order, each chained to the one before by its hash.

        Follow changes by polling with `after` set to the last next_cursor you got; next_cursor is null
        only on an empty page. The events of API keys are listed to admin keys only: for anyone else their
        sequence numbers are gaps.
        """
        return paged(*audit.feed(**args, hidden=hidden_resource_types()), cursor_param="after")


@blp.route("/audit/verify")
class AuditVerify(MethodView):
    @blp.doc(operationId="verifyAuditChain")
    @blp.response(200, ChainReportSchema)
    def get(self):
        """Recompute the whole hash chain and report the first broken link, if any.

        An event edited, or deleted from the middle of the log, breaks the chain there: the answer names
        that event's sequence number and what is wrong with it.
        """
        return audit.verify_chain()
