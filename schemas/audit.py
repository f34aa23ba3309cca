from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from service.store.paging import DEFAULT_LIMIT, MAX_LIMIT

from .common import page_of
from .fields import UtcDateTime


class AuditEventSchema(Schema):
    seq = fields.Integer(required=True, metadata={"description": "Position in the log, from 1, without gaps."})
    resource_type = fields.String(required=True)
    resource_id = fields.String(required=True)
    action = fields.String(required=True)
    actor = fields.String(required=True)
    at = UtcDateTime(required=True)
    before = fields.Dict(required=True, allow_none=True)
    after = fields.Dict(required=True, allow_none=True)
    reason = fields.String(required=True, allow_none=True)
    request_id = fields.String(required=True, allow_none=True)
    prev_hash = fields.String(required=True)
    hash = fields.String(required=True, metadata={"description": "SHA-256 over the event's canonical JSON."})


class AuditFeedArgsSchema(Schema):
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT))
    after = fields.String(
        validate=validate.Length(max=200),
        metadata={"description": "A next_cursor from an earlier call: only events after it."},
    )


class ChainReportSchema(Schema):
    valid = fields.Boolean(required=True)
    events_checked = fields.Integer(required=True)
    first_broken_seq = fields.Integer(required=True, allow_none=True)
    problem = fields.String(required=True, allow_none=True)
    last_seq = fields.Integer(required=True, allow_none=True, metadata={
        "description": "The last event verified: pass it as from_seq (with last_hash) to check only newer ones."})
    last_hash = fields.String(required=True, allow_none=True)


class ChainCheckArgsSchema(Schema):
    from_seq = fields.Integer(load_default=None, validate=validate.Range(min=1, max=2**63 - 1), metadata={
        "description": "Check only the events after this one, which an earlier check verified (with from_hash)."})
    from_hash = fields.String(load_default=None, validate=validate.Regexp(r"^[0-9a-f]{64}$"))

    @validates_schema
    def both_or_neither(self, data, **kwargs):
        if (data.get("from_seq") is None) != (data.get("from_hash") is None):
            raise ValidationError("give from_seq and from_hash together", "from_hash")


AuditPageSchema = page_of(AuditEventSchema, "AuditEventPage")
