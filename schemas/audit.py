from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from service.store.paging import DEFAULT_LIMIT, MAX_LIMIT

from .common import page_of
from .fields import Snapshot, Text, UtcDateTime


class AuditEventSchema(Schema):
    seq = fields.Integer(required=True, metadata={"description": "Position in the log, from 1, without gaps."})
    resource_type = fields.String(required=True)
    resource_id = fields.String(required=True)
    action = fields.String(required=True)
    actor = fields.String(required=True, metadata={"description": "The key's owner, or the command line's own "
                                                                   "name (cli, seed) for what ran from the shell."})
    actor_key_id = fields.String(
        required=True, allow_none=True,
        metadata={"description": "The id of the API key that made the change; null from the command line and seeds, "
                                 "and in events written before keys were recorded. Hashed only when not null."},
    )
    at = UtcDateTime(required=True)
    before = Snapshot(required=True, allow_none=True)
    after = Snapshot(required=True, allow_none=True)
    reason = fields.String(required=True, allow_none=True)
    request_id = fields.String(required=True, allow_none=True)
    prev_hash = fields.String(required=True)
    hash = fields.String(required=True, metadata={"description": "SHA-256 over the event's canonical JSON."})


class AuditFeedArgsSchema(Schema):
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT))
    after = Text(
        max_length=200,
        metadata={"description": "A next_cursor from an earlier call: only events after it."},
    )


HASH = validate.Regexp(r"^[0-9a-f]{64}$")


class CheckpointSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "The checkpoint's number, from 1."})
    seq = fields.Integer(required=True, metadata={"description": "Events in the log when it was signed (0: none)."})
    head_hash = fields.String(required=True, metadata={"description": "The hash of event `seq` (64 zeros for none)."})
    time = fields.String(required=True, metadata={
        "description": "When it was signed, as signed: ISO 8601 to the microsecond, with +00:00."})
    key_id = fields.String(required=True, metadata={"description": "The signing key's id (GET /audit/keys)."})
    signature = fields.String(required=True, metadata={
        "description": "Base64 Ed25519 signature over the checkpoint's signed form (docs/audit.md)."})


class MakeCheckpointSchema(Schema):
    """Nothing to give: a checkpoint states the log as it stands. Send `{}`."""


class HeldCheckpointSchema(Schema):
    """A checkpoint as a client kept it: what was signed, and the signature."""

    id = fields.Integer(allow_none=True, strict=True)
    seq = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=2**62))
    head_hash = fields.String(required=True, validate=HASH)
    time = fields.String(required=True, validate=validate.Length(max=64))
    key_id = fields.String(required=True, validate=validate.Length(max=64))
    signature = fields.String(required=True, validate=validate.Length(max=200))


class HeldCheckpointsSchema(Schema):
    checkpoints = fields.List(fields.Nested(HeldCheckpointSchema), required=True,
                              validate=validate.Length(min=1, max=10_000))


class PublicKeySchema(Schema):
    key_id = fields.String(required=True, metadata={"description": "First 16 hex digits of the SHA-256 of the raw key."})
    algorithm = fields.String(required=True, metadata={"description": "Ed25519."})
    public_key = fields.String(required=True, metadata={"description": "Base64 of the raw 32-byte public key."})
    created_at = UtcDateTime(required=True)
    current = fields.Boolean(required=True, metadata={"description": "Whether new checkpoints are signed with it."})


class PublicKeyListSchema(Schema):
    items = fields.List(fields.Nested(PublicKeySchema), required=True)


class CheckpointFailureSchema(Schema):
    checkpoint_id = fields.Integer(required=True, allow_none=True)
    seq = fields.Integer(required=True, allow_none=True)
    failed_at_seq = fields.Integer(required=True, allow_none=True,
                                   metadata={"description": "The event where it fails; null for a bad signature."})
    problem = fields.String(required=True)


class MismatchSchema(Schema):
    resource_type = fields.String(required=True)
    resource_id = fields.String(required=True)
    seq = fields.Integer(required=True, allow_none=True, metadata={"description": "The event concerned, if one."})
    problem = fields.String(required=True)


class ChainReportSchema(Schema):
    valid = fields.Boolean(required=True, metadata={"description": "The chain, every checkpoint and every resource hold."})
    events_checked = fields.Integer(required=True)
    first_broken_seq = fields.Integer(required=True, allow_none=True)
    problem = fields.String(required=True, allow_none=True)
    last_seq = fields.Integer(required=True, allow_none=True, metadata={
        "description": "The last event verified: pass it as from_seq (with last_hash) to check only newer ones."})
    last_hash = fields.String(required=True, allow_none=True)
    checkpoints_checked = fields.Integer(required=True)
    checkpoint_failures = fields.List(fields.Nested(CheckpointFailureSchema), required=True)
    resources_checked = fields.Integer(required=True, metadata={"description": "Claims and speakers compared."})
    mismatches = fields.List(fields.Nested(MismatchSchema), required=True, metadata={
        "description": "Claims and speakers that do not stand as their events say (the first 100)."})


class ChainCheckArgsSchema(Schema):
    from_seq = fields.Integer(load_default=None, validate=validate.Range(min=1, max=2**63 - 1), metadata={
        "description": "Check only the events after this one, which an earlier check verified (with from_hash)."})
    from_hash = fields.String(load_default=None, validate=validate.Regexp(r"^[0-9a-f]{64}$"))

    @validates_schema
    def both_or_neither(self, data, **kwargs):
        if (data.get("from_seq") is None) != (data.get("from_hash") is None):
            raise ValidationError("give from_seq and from_hash together", "from_hash")


CheckpointPageSchema = page_of(CheckpointSchema, "CheckpointPage")


AuditPageSchema = page_of(AuditEventSchema, "AuditEventPage")
