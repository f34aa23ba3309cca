from flask import current_app, g, stream_with_context
from flask.views import MethodView

from schemas.audit import (AuditFeedArgsSchema, AuditPageSchema, ChainCheckArgsSchema, ChainReportSchema,
                           CheckpointPageSchema, CheckpointSchema, HeldCheckpointsSchema, MakeCheckpointSchema,
                           PublicKeyListSchema)
from schemas.bulk import NDJSON
from schemas.common import PageArgsSchema
from service.actions.checkpoints import make_checkpoint
from service.errors import NotFound
from service.store import audit, checkpoints, verification
from service.store.claims import history

from service.errors import Forbidden, Unauthorized
from service.rules.keys import role_allows

from . import Blueprint
from .auth import BEARER, hidden_resource_types, requires
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
        only on an empty page. The events of API keys are listed to admin keys only: for anyone else their
        sequence numbers are gaps.
        """
        return paged(*audit.feed(**args, hidden=hidden_resource_types()), cursor_param="after")


@blp.route("/audit/verify")
class AuditVerify(MethodView):
    @blp.doc(operationId="verifyAuditChain")
    @blp.arguments(ChainCheckArgsSchema, location="query")
    @blp.response(200, ChainReportSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(403, response="FORBIDDEN")
    def get(self, args):
        """Recompute the hash chain, check it against every stored checkpoint, and compare every claim and
        speaker with its events.

        An event edited, or deleted from the middle of the log, breaks the chain there: the answer names
        that event's sequence number and what is wrong with it; a checkpoint that fails is named with the
        event where it fails. The whole log is walked for admin keys only (or `flask --app service.app
        audit verify`). Anyone may check the chain from a verified point: `from_seq` and `from_hash` (an
        earlier answer's last_seq and last_hash) check only the newer events, at most 10000 a call for
        callers who are not admins; go on from the answer's last_seq.
        """
        if args["from_seq"] is not None:
            return audit.verify_chain(**args, at_most=None if _is_admin() else INCREMENTAL_LIMIT)
        _admin_only()
        return verification.verify()

    @blp.doc(operationId="verifyAuditAgainstCheckpoints")
    @blp.arguments(HeldCheckpointsSchema)
    @blp.response(200, ChainReportSchema)
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(403, response="FORBIDDEN")
    def post(self, data):
        """The same report, against checkpoints you kept (as GET /audit/checkpoints gave them).

        Checkpoints stored here could be rewritten with the log; ones held elsewhere cannot. It walks the
        whole log, so it needs an admin key; without one, check GET /audit/export with docs/verify.py.
        """
        _admin_only()
        return verification.verify(held=data["checkpoints"])


@blp.route("/audit/export")
class AuditExport(MethodView):
    @blp.doc(operationId="exportAuditLog")
    @blp.response(200, {"type": "string", "format": "binary",
                        "description": "NDJSON: one event a line, as canonical JSON (docs/audit.md)."},
                  content_type=NDJSON)
    def get(self):
        """Every audit event as NDJSON, oldest first, exactly as hashed: what docs/verify.py checks.

        Streamed from one consistent snapshot. Snapshot times are as stored (no zone), since the hash
        covers them so.
        """
        return current_app.response_class(stream_with_context(verification.exported_events()), mimetype=NDJSON)


@blp.route("/audit/checkpoints")
class Checkpoints(MethodView):
    @blp.doc(operationId="listCheckpoints")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, CheckpointPageSchema)
    def get(self, args):
        """Every signed checkpoint of the log, oldest first; keep them to check the log later.

        A page at a time: follow `next_cursor` (also in the Link header) until it is null.
        """
        return paged(*checkpoints.list_checkpoints(**args))

    @requires(blp, "admin")
    @blp.doc(operationId="makeCheckpoint")
    @blp.arguments(MakeCheckpointSchema)
    @blp.response(201, CheckpointSchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def post(self, _):
        """Sign a checkpoint of the log as it stands now.

        Needs an admin key. Checkpoints are also made every CHECKPOINT_EVERY_EVENTS events and
        CHECKPOINT_EVERY_MINUTES minutes.
        """
        return make_checkpoint()


@blp.route("/audit/checkpoints/latest")
class LatestCheckpoint(MethodView):
    @blp.doc(operationId="getLatestCheckpoint")
    @blp.response(200, CheckpointSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self):
        """The newest signed checkpoint.

        Fetch it now and then and keep it: it proves what the log held up to its `seq`.
        """
        newest = checkpoints.latest()
        if newest is None:
            raise NotFound("no checkpoint has been made yet")
        return newest


@blp.route("/audit/keys")
class CheckpointKeys(MethodView):
    @blp.doc(operationId="listCheckpointKeys")
    @blp.response(200, PublicKeyListSchema)
    def get(self):
        """Every public key checkpoints were signed with, the current one marked.

        Old keys stay listed after the signing key changes, so old checkpoints stay checkable.
        """
        return {"items": checkpoints.public_keys()}


def _is_admin():
    return g.role is not None and role_allows(g.role, "admin")


def _admin_only():
    """Walking the whole log grows with history: an admin's operation."""
    if _is_admin():
        return
    if g.role is None:
        raise Unauthorized("verifying the whole log needs an admin key; without one, check from a verified "
                           "point (from_seq and from_hash)", headers=BEARER)
    raise Forbidden("verifying the whole log needs the admin role; check from a verified point instead")
