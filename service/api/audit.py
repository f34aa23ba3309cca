from flask import g
from flask.views import MethodView

from schemas.audit import AuditFeedArgsSchema, AuditPageSchema, ChainCheckArgsSchema, ChainReportSchema
from schemas.common import PageArgsSchema
from service.store import audit
from service.store.claims import history

from service.errors import Forbidden, Unauthorized
from service.rules.keys import role_allows

from . import Blueprint
from .auth import BEARER
from .conventions import paged

# Events one check from a verified point walks for a caller who is not an admin; it goes on from last_seq.
INCREMENTAL_LIMIT = 10_000

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
        only on an empty page.
        """
        return paged(*audit.feed(**args), cursor_param="after")


@blp.route("/audit/verify")
class AuditVerify(MethodView):
    @blp.doc(operationId="verifyAuditChain")
    @blp.arguments(ChainCheckArgsSchema, location="query")
    @blp.response(200, ChainReportSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(403, response="FORBIDDEN")
    def get(self, args):
        """Recompute the hash chain and report the first broken link, if any.

        An event edited, or deleted from the middle of the log, breaks the chain there: the answer names
        that event's sequence number and what is wrong with it. The whole log is walked for admin keys
        only (or `flask --app service.app audit verify`). Anyone may check from a verified point:
        `from_seq` and `from_hash` (an earlier answer's last_seq and last_hash) check only the newer events,
        at most 10000 a call for callers who are not admins; go on from the answer's last_seq.
        """
        admin = g.role is not None and role_allows(g.role, "admin")
        if args["from_seq"] is None and not admin:
            if g.role is None:
                raise Unauthorized("verifying the whole log needs an admin key; without one, check from a "
                                   "verified point (from_seq and from_hash)", headers=BEARER)
            raise Forbidden("verifying the whole log needs the admin role; check from a verified point instead")
        return audit.verify_chain(**args, at_most=None if admin else INCREMENTAL_LIMIT)
