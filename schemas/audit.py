from marshmallow import Schema, fields, validate

from service.store.paging import DEFAULT_LIMIT, MAX_LIMIT

from .common import page_of
from .fields import Text, UtcDateTime


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
    before = fields.Dict(required=True, allow_none=True)
    after = fields.Dict(required=True, allow_none=True)
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


class ChainReportSchema(Schema):
    valid = fields.Boolean(required=True)
    events_checked = fields.Integer(required=True)
    first_broken_seq = fields.Integer(required=True, allow_none=True)
    problem = fields.String(required=True, allow_none=True)


AuditPageSchema = page_of(AuditEventSchema, "AuditEventPage")
